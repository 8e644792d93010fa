import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { mayReadDifferently } from '../../src/sources/exact-route.js';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * An escaped line break in a double-quoted scalar, then blank lines. Each `kubectl` value is what
 * `kubectl label --local -o json` (1.32) printed for the same text; the last test asks kubectl again.
 */
const CASES: readonly { readonly value: string; readonly kubectl: unknown }[] = [
  { value: '"a\\\n\n      b"', kubectl: 'a\nb' },
  { value: '"a\\\n\n\n      b"', kubectl: 'a\n\nb' },
  { value: '"a\\\n   \n      b"', kubectl: 'a\nb' },
  { value: '"a\\\n\t\n      b"', kubectl: 'a\nb' },
  { value: '"a\\\n \t\n\n      b"', kubectl: 'a\n\nb' },
  { value: '"a \\\n\n      b"', kubectl: 'a \nb' },
  { value: '"a\\\n      b"', kubectl: 'ab' },
  { value: '["a\\\n\n      b"]', kubectl: ['a\nb'] },
  { value: '{k: "a\\\n\n      b"}', kubectl: { k: 'a\nb' } },
  { value: '"a\\\\\n\n      b"', kubectl: 'a\\\nb' },
  { value: '"a\\\r\n\r\n      b"', kubectl: 'a\nb' },
];

const pod = (image: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ${image}\n    command: [sh]\n`;
const imageOf = (value: unknown): unknown => (value as { spec: { containers: { image: unknown }[] } }).spec.containers[0]!.image;

for (const { value, kubectl } of CASES) {
  test(`escaped break ${JSON.stringify(value)} reads as kubectl reads it, on every path`, () => {
    const text = pod(value);
    assert.deepEqual(imageOf(decodeLikeKubectl(text).value), kubectl, 'exact reader');
    const { documents, errors } = parseYamlStream(text);
    assert.deepEqual(errors, []);
    assert.deepEqual(imageOf(documents[0]!.value), kubectl, 'scan');
  });
}

test('a block scalar line ending in \\ then a blank line stays as written (no double-quoted scalar)', () => {
  const text = `${pod('x')}    args:\n    - |\n      "a\\\n\n      b"\n`;
  assert.equal(mayReadDifferently(text), false);
  const { documents } = parseYamlStream(text);
  assert.deepEqual((documents[0]!.value as { spec: { containers: { args: string[] }[] } }).spec.containers[0]!.args, ['"a\\\n\nb"\n']);
});

test('an image hidden by an escaped break is judged as kubectl would run it, with a reading note', () => {
  // js-yaml reads "xmrig/xmrig:latest" here; kubectl "xmrig/\nxmrig:latest". kfguard must judge kubectl's.
  const text = pod('"xmrig/\\\n\n      xmrig:latest"');
  const { documents } = parseYamlStream(text);
  assert.equal(imageOf(documents[0]!.value), 'xmrig/\nxmrig:latest');
  assert.ok((documents[0]!.readingNotes ?? []).length > 0, 'the YAML 1.2 reading differs and is noted');
});

test('escaped-break variants read as kubectl reads them', requiresKubectl(), () => {
  const blank = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
  const shape = fc.record({
    before: fc.constantFrom('a', 'a ', 'a\\t', ''),
    blanks: fc.array(blank, { minLength: 0, maxLength: 3 }),
    after: fc.constantFrom('b', ' b', '\\"b', ''),
    indent: fc.constantFrom('      ', '        ', '     '),
    context: fc.constantFrom('block', 'flow-seq', 'flow-map', 'key'),
    crlf: fc.boolean(),
  });
  const texts = fc.sample(shape, { numRuns: 80, seed: 14 }).map(({ before, blanks, after, indent, context, crlf }) => {
    const scalar = `"${before}\\\n${blanks.map((b) => `${b}\n`).join('')}${indent}${after}"`;
    const value = context === 'flow-seq' ? `[${scalar}]` : context === 'flow-map' ? `{k: ${scalar}}` : context === 'key' ? `{${scalar}: v}` : scalar;
    const text = pod(value);
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });
  const all = [...CASES.map((c) => pod(c.value)), ...texts];
  const oracle = kubectlDecodeAll(all, {}, 1);
  const problems = all.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text.slice(88))}: ${p}`));
  assert.deepEqual(problems, []);
});
