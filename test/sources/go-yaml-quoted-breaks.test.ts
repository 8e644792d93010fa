import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLean } from '../../src/sources/go-yaml-lean.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * U+2028/U+2029/U+0085 inside quoted scalars. Each expected value is what `kubectl label --local
 * -o json` printed for the same line; the last test asks kubectl again when it is installed.
 */
const CASES: readonly { readonly line: string; readonly kubectl: string }[] = [
  { line: 'a: "x\u2028y"', kubectl: 'x\u2028y' },
  { line: 'a: "x\u2029y"', kubectl: 'x\u2029y' },
  { line: 'a: "x\u0085y"', kubectl: 'x y' },
  { line: "a: 'x\u2028y'", kubectl: 'x\u2028y' },
  { line: "a: 'x\u0085y'", kubectl: 'x y' },
  { line: 'a: "x \u2028 y"', kubectl: 'x\u2028y' },
  { line: 'a: "x\t\u2028\ty"', kubectl: 'x\u2028y' },
  { line: 'a: "x\u2028\u2028y"', kubectl: 'x\u2028\u2028y' },
  { line: 'a: "x\u2028\n    y"', kubectl: 'x\u2028\ny' },
  { line: 'a: "x\n    \u2028y"', kubectl: 'x\u2028y' },
  { line: 'a: "x\u0085\u2028y"', kubectl: 'x\u2028y' },
  { line: 'a: "x\\\u2028y"', kubectl: 'xy' },
  { line: 'a: "x\u2028"', kubectl: 'x\u2028' },
  { line: "a: 'it''s\u2028\"q\" \\\\'", kubectl: 'it\'s\u2028"q" \\\\' },
  // After an escaped break no break is folded: every break of the run after it is kept (quoted17).
  { line: 'a: "x\\\u2028\n    y"', kubectl: 'x\ny' },
  { line: 'a: "x\\\u2029\u2029y"', kubectl: 'x\u2029y' },
  { line: 'a: "x\\\n\u2028    y"', kubectl: 'x\u2028y' },
  { line: 'a: "x\\\u0085\u0085y"', kubectl: 'x\ny' },
];

const document = (line: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${line}\nafter: 1\n`;

for (const { line, kubectl } of CASES) {
  test(`quoted ${JSON.stringify(line)} reads as kubectl reads it`, () => {
    const { value } = decodeLikeKubectl(document(line)) as { value: { data: { a: unknown }; after: unknown } };
    assert.equal(value.data.a, kubectl);
    assert.equal(value.after, 1, 'the rest of the document is still read');
    // The lean path reads quoted breaks too (quoted17), to the same value.
    const lean = readLean(document(line));
    assert.ok(lean, 'read on the lean path');
    assert.deepEqual(lean.value, value);
  });
}

test('kubectl agrees on every quoted-break case', requiresKubectl(), () => {
  const texts = CASES.map((c) => document(c.line));
  const oracle = kubectlDecodeAll(texts);
  const problems = texts.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
});
