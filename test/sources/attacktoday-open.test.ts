import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * Differences attacktoday found and did not fix (2026-12-05), kept as `todo` tests: each fails
 * today and passes once its cause is fixed (then drop the `todo`). The expected readings are
 * kubectl 1.32's (`kubectl label --local -f FILE x=y -o json`). None hides a miner: each refused
 * document's raw text is still searched (crypto-miner-workload fires on it).
 */
const HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

function read(body: string): { value: unknown; errors: number } {
  const { documents, errors } = parseYamlStream(`${HEAD}${body}`);
  return { value: documents[0]?.value, errors: errors.length };
}

test('a `!!` tag whose suffix holds a `!` is read, as kubectl reads it (tag:yaml.org,2002:e!s)', () => {
  for (const body of ['x: !!e!s [a]\n', 'x: [!!e!s a]\n', 'x: !!a!b {}\n']) {
    const { errors } = read(body);
    assert.equal(errors, 0, body);
  }
  assert.deepEqual((read('x: [!!e!s a]\n').value as { x: unknown }).x, ['a']);
});

test('a flow mapping with a quote inside a plain key, continued less indented than its parent, is read', { todo: 'the full reader refuses: Flow map in block collection must be sufficiently indented' }, () => {
  // kubectl: s: [{false: null, v: {k: [], 'k"': null}}, null]
  const { value, errors } = read('s:\n    - n:\n      v: &a {k",\nk: []}\n    -\n');
  assert.equal(errors, 0);
  assert.deepEqual((value as { s: unknown }).s, [{ false: null, v: { 'k"': null, k: [] } }, null]);
});

test('the full reader keeps a blank line of spaces past an explicit indentation indicator, as kubectl does', { todo: 'decodeLikeKubectl reads "" where kubectl and the fast path read the spaces' }, () => {
  assert.equal((decodeLikeKubectl(`${HEAD}k: >-1\n    \nz: 1\n`).value as { k: unknown }).k, '   ');
  assert.equal((decodeLikeKubectl(`${HEAD}k: |2\n     \nz: 1\n`).value as { k: unknown }).k, '   \n');
});

test('an undeclared handle is refused without the `yaml` parser beside a flow sequence holding a quoted scalar', () => {
  const env = Array.from({ length: 50 }, (_, i) => `  - name: a${i}\n    value: !e!s x\n`).join('');
  const before = yamlParseCount();
  const { errors } = parseYamlStream(`${HEAD}spec:\n  args: ["sh", "-c"]\n  env:\n${env}`);
  assert.match(errors[0]?.message ?? '', /Could not resolve tag: !e!s/, 'kubectl refuses the undeclared handle');
  // Refused before the parse (go-yaml-undeclared-handles.ts): the `yaml` parser never ran.
  assert.equal(yamlParseCount(), before);
});
