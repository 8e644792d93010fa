import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLean } from '../../src/sources/go-yaml-lean.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * go-yaml merges into a map keyed by typed values, so a merged `true` and a written `"true"` (or
 * `1` and `"1"`, `1.5` and `"1.5"`) are two keys there, and sigs.k8s.io/yaml keeps either at random
 * as one JSON key: kubectl read `{<<: *a, "true": q}` over `a: {true: x}` as x once and q five times
 * in six runs (attackmerge). kfguard reads one of them and notes the other, as it does for two such
 * keys written in one mapping; the lean path, whose keys have lost their types, leaves these to the
 * full reader. Keys of one type override as ever, with no note.
 */
const NOTED: readonly [string, string][] = [
  ['a: &a {true: x, pad: 1}\nd:\n  <<: *a\n  "true": q\n', 'true'],
  ['a: &a {true: x, pad: 1}\nd:\n  <<: [*a]\n  "true": q\n', 'true'],
  ['a: &a\n  on: x\nd:\n  <<: *a\n  "true": q\n', 'true'],
  ['a: &a {"1": x, pad1: 1}\nb: &b {1: p, pad2: 2}\nd:\n  <<: [*a, *b]\n', '1'],
  ['a: &a {1.5: x, pad1: 1}\nb: &b {"1.5": p, pad2: 3}\nd:\n  <<: [*a, *b]\n', '1.5'],
  ['a: &a\n  true: x\nb: &b\n  "true": p\nd:\n  <<: [*a, *b]\n', 'true'],
  // Merged in a flow collection the flow reader reads (over lines), from an anchor outside and inside.
  ['a: &a\n  true: x\nd: {<<: *a, "true": p,\n  z: 1}\n', 'true'],
  ['a: &a {true: x,\n   z: 1}\nd:\n  <<: *a\n  "true": q\n', 'true'],
  ['d: {<<: [{true: x}, {"true": p}],\n  z: 1}\n', 'true'],
];

const SAME_TYPE: readonly string[] = [
  'a: &a\n  true: x\nd:\n  <<: *a\n  true: q\n',
  'a: &a {1: x, pad1: 1}\nb: &b {0x1: p, pad1: 2}\nd:\n  <<: [*a, *b]\n',
  'a: &a {"true": x, pad: 1}\nd:\n  <<: *a\n  "true": q\n',
];

const noteFor = (key: string): RegExp => new RegExp(`keys "${key.replace('.', '\\.')}" of two YAML types .* Kubernetes keeps either at random`);

test('a merged key of another YAML type than one already there is noted: kubectl keeps either at random', () => {
  for (const [text, key] of NOTED) {
    assert.equal(readLean(text), undefined, `the lean path cannot know the keys' types: ${JSON.stringify(text)}`);
    const reading = decodeLikeKubectl(text);
    assert.ok(reading.notes.some((n) => noteFor(key).test(n)), `${JSON.stringify(text)}: ${JSON.stringify(reading.notes)}`);
    const { documents } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    assert.ok((documents[0]?.readingNotes ?? []).some((n) => noteFor(key).test(n)), JSON.stringify(documents[0]?.readingNotes));
  }
});

test('merged keys of one YAML type override without a note, on either path', () => {
  for (const text of SAME_TYPE) {
    const full = decodeLikeKubectl(text);
    assert.ok(!full.notes.some((n) => /two YAML types/.test(n)), `${JSON.stringify(text)}: ${JSON.stringify(full.notes)}`);
    const lean = readLean(text);
    if (lean) assert.deepStrictEqual(lean.value, full.value, text);
  }
});
