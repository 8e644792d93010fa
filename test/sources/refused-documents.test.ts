import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { HOSTILE_CLASSES, refusedPod } from '../../bench/hostile-inputs.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { isSharedRefusal } from '../../src/sources/shared-refusals.js';
import { MAX_UNCONFIRMED_BYTES, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Issue 17: a large document kubectl refuses is refused on js-yaml's error, without the exact
 * reader's second read, and without parsing it again to place its findings. What must survive:
 * the error's line and cause, and the threat search (the salvage before the error, the raw text
 * after it). The timing is test/sources/hostile-growth.test.ts's, over the same classes.
 */

const SIZE = 100 * 1024;

async function scan(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-refused-'));
  try {
    writeFileSync(join(dir, text.startsWith('{') ? 'input.json' : 'input.yaml'), text);
    return await scanManifests({ paths: ['.'], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES, today: '2026-01-01' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The 1-based line holding `marker` (its first occurrence), plus `after`. */
function lineOf(text: string, marker: string, after = 0): number {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker ${JSON.stringify(marker)} not in the text`);
  return text.slice(0, at).split('\n').length + after;
}

/** Where each class's error is, and what it says: the line js-yaml names, as before this change. */
const EXPECTED: Record<string, { marker: string; after?: number; cause: RegExp }> = {
  'refused: a lone dash in a flow map at the start': { marker: '{note: - }', cause: /^missed comma between flow collection entries$/ },
  'refused: bad indentation in the middle': { marker: '     value: x', cause: /^bad indentation of a sequence entry$/ },
  // The end of the stream, one past the last line, as js-yaml counts it.
  'refused: unterminated quote at the last byte': { marker: '      value: "x', after: 1, cause: /^unexpected end of the stream within a double quoted scalar$/ },
  'refused: a tab in the indentation': { marker: '\t- name: TAB', cause: /^tab characters must not be used in indentation$/ },
  'refused: unterminated flow list in the middle': { marker: '[1, 2', after: 1, cause: /^missed comma between flow collection entries$/ },
  'refused: an unknown escape': { marker: '"\\q"', cause: /^unknown escape sequence$/ },
  // Was the exact reader's "Sequence item without - indicator" on line 1; now the line of the fault.
  'refused: also on the exact reader': { marker: '     value: x', cause: /^bad indentation of a sequence entry$/ },
  'refused: between good documents': { marker: '     value: x', cause: /^bad indentation of a sequence entry$/ },
  'refused: JSON with a stray comma': { marker: ',,', cause: /^expected the node content, but found ','$/ },
};

const REFUSED = HOSTILE_CLASSES.filter((c) => c.name.startsWith('refused'));

test('every refused hostile class has an expectation here', () => {
  assert.deepEqual(REFUSED.map((c) => c.name).sort(), Object.keys(EXPECTED).sort());
});

for (const hostile of REFUSED) {
  test(`${hostile.name}: the error's line and cause, and the miner on both sides of it`, async () => {
    const text = hostile.generate(SIZE);
    assert.ok(text.length > MAX_UNCONFIRMED_BYTES, 'large enough to take the path without the exact reader');
    const expected = EXPECTED[hostile.name]!;
    const report = await scan(text);
    assert.equal(report.errors.length, 1, JSON.stringify(report.errors));
    const [error] = report.errors;
    assert.equal(error!.line, lineOf(text, expected.marker, expected.after ?? 0));
    assert.match(error!.message, expected.cause);
    const threat = report.findings.find((f) => f.ruleId === 'manifest-parse-ambiguity');
    assert.ok(threat, 'the refused document is still searched for threats');
    const evidence = threat.evidence.join('\n');
    assert.match(evidence, /^refused: /m);
    // Before the error: read by the salvage or the raw text; after it: the raw text only.
    assert.match(evidence, /xmrig/);
    assert.match(evidence, /late\.pool\.example/);
    // The other documents of the file are read and judged as ever.
    if (hostile.name.includes('between good')) assert.equal(parseYamlStream(text).documents.filter((d) => !d.refused).length, 2);
  });
}

test('a large document js-yaml refuses for duplicate keys is still read, as Kubernetes reads it', async () => {
  const text = refusedPod(SIZE, '    - name: DUP\n      name: DUP2\n', 'middle');
  const read = parseYamlStream(text);
  assert.equal(read.errors.length, 0);
  assert.equal(read.documents.length, 1);
  assert.match((read.documents[0]!.readingNotes ?? []).join('\n'), /DUP/);
});

test('an error after `...` does not refuse a large document: Kubernetes reads only what comes before', () => {
  const text = `${refusedPod(SIZE, '', 'start')}...\nnot: [valid\n`;
  assert.ok(text.length > MAX_UNCONFIRMED_BYTES);
  const read = parseYamlStream(text);
  assert.deepEqual(read.errors, []);
  assert.equal((read.documents[0]!.value as { kind?: unknown }).kind, 'Pod');
});

test('js-yaml refusals kubectl does not share are not trusted', () => {
  const refusal = (text: string): unknown => {
    try {
      yaml.load(text);
    } catch (error) {
      return error;
    }
    assert.fail(`js-yaml read ${JSON.stringify(text)}`);
  };
  assert.equal(isSharedRefusal(refusal('a: 1\na: 2\n'), 'a: 1\na: 2\n'), false, 'duplicate keys');
  assert.equal(isSharedRefusal(refusal('a: !foo x\n'), 'a: !foo x\n'), false, 'a local tag');
  assert.equal(isSharedRefusal(refusal('a:\n  b: 1\n c: 2\n'), 'a:\n  b: 1\n c: 2\n'), true, 'bad indentation');
  assert.equal(isSharedRefusal(refusal('a:\n  b: 1\n c: 2\n'), 'x: 1\n...\na:\n  b: 1\n c: 2\n'), false, 'after a document end');
  assert.equal(isSharedRefusal(new Error('bad indentation of a mapping entry'), ''), false, 'not a js-yaml error');
  // go-yaml reads a `-` before `,`, `]` or `}` in flow as the string "-"; before a blank it refuses it too.
  for (const text of ['a: [x, -]\n', 'a: {k: -}\n', 'a: [-, x]\n', 'a: [x, -,\n  y]\n']) assert.equal(isSharedRefusal(refusal(text), text), false, text);
  assert.equal(isSharedRefusal(refusal('a: [x, - ]\n'), 'a: [x, - ]\n'), true, 'a dash and a blank');
});

test('a large document with a lone `-` in a flow list is read as kubectl reads it, not refused', requiresKubectl(), () => {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dash\ndata:\n  flags: [a, -]\n${Array.from({ length: 4000 }, (_, i) => `  k${i}: value-${i}\n`).join('')}`;
  assert.ok(text.length > MAX_UNCONFIRMED_BYTES);
  const read = parseYamlStream(text);
  assert.deepEqual(read.errors, []);
  const oracle = kubectlDecodeAll([text]);
  assert.deepEqual(compareWithKubectl(text, oracle[0]!), []);
});
