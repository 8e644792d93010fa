import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COLLECTION_KEY, mayReadDifferently } from '../../src/sources/exact-route.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * A sequence or mapping as a mapping key: kubectl refuses the document ("invalid map key"), js-yaml
 * makes a string of the key (`[a]: 1` is `{"a": 1}`). The fast path read such documents, so a
 * manifest kubectl cannot apply was scanned as if it could. Found by the syntax-mask differential
 * (counterexample seed -1980322603), 2026-12-05.
 */
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: m\n    image: tensorflow/tensorflow:latest-gpu\n';

const KEYS = [
  '? [a]\n: 1\n',
  '[a]: 1\n',
  '{a: 1}: 1\n',
  '? {a: 1}\n: 1\n',
  '? - a\n: 1\n',
  '? a: 1\n: 1\n',
  'x: &a [b]\n*a : 1\n',
  'x: &a {b: 1}\n*a : 1\n',
  'x: {[a]: 1}\n',
  'x: [{a: 1}: 2]\n',
  'x: [[a]: 2]\n',
  'l:\n- [a]: 1\n',
  'x: &a\n  - b\n*a : 1\n',
];

function refused(text: string): boolean {
  const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  return errors.length > 0 || documents.some((d) => d.refused !== undefined);
}

test('a collection as a mapping key sends the document to the exact reader, which refuses it', () => {
  for (const key of KEYS) {
    const text = POD + key;
    assert.ok(mayReadDifferently(text), key);
    assert.ok(refused(text), `kfguard reads a document kubectl refuses:\n${key}`);
  }
});

test('kubectl refuses each collection key kfguard refuses', requiresKubectl(), async () => {
  const results = await kubectlDecodeAll(KEYS.map((key) => POD + key), {}, 1);
  results.forEach((result, i) => assert.ok(result.error, `kubectl read ${KEYS[i]}`));
  // A scalar alias as a key is a key for both.
  const [scalar] = await kubectlDecodeAll([`${POD}x: &a b\n*a : 1\n`], {}, 1);
  assert.equal(scalar!.error, undefined);
  assert.equal(refused(`${POD}x: &a b\n*a : 1\n`), false);
});

// Its growth is checked with every other pattern by test/core/regex-growth.test.ts.
test('the check ignores look-alikes in plain text', () => {
  for (const text of ['image: foo*bar:1\n', 'cron: "*/5 * * * *"\n', 'q: what? yes\n', 'path: a[0]\n', 'x: *a\n']) assert.equal(COLLECTION_KEY.test(text), false, text);
  for (const text of ['? a\n', '[a]: 1', '{a: 1}: 1', '*a : 1', '[*a : 1]']) assert.equal(COLLECTION_KEY.test(text), true, text);
});
