import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { rewriteFlowPlain } from '../../src/sources/go-yaml-flow-plain.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Plain scalars inside `{…}`/`[…]` that go-yaml starts differently from YAML 1.2. Each expected
 * value is what `kubectl label --local -o json` printed for the same line (kubectl 1.3x, go-yaml v2
 * through sigs.k8s.io/yaml); the last test asks kubectl again when it is installed.
 */
const CASES: readonly { readonly line: string; readonly kubectl: unknown }[] = [
  { line: 'a: {a: -}', kubectl: { a: '-' } },
  { line: 'a: {a: -, b: x}', kubectl: { a: '-', b: 'x' } },
  { line: 'a: [-, x, -]', kubectl: ['-', 'x', '-'] },
  { line: 'a: {-: x}', kubectl: { '-': 'x' } },
  { line: 'a: [-x, -1, --, -#]', kubectl: ['-x', -1, '--', '-#'] },
  { line: 'a: [?x]', kubectl: [{ x: null }] },
  { line: 'a: {?x: 1}', kubectl: { x: 1 } },
  { line: 'a: [?x:y]', kubectl: [{ 'x:y': null }] },
  { line: 'a: [a:b, x: 1]', kubectl: ['a:b', { x: 1 }] },
  { line: 'a: {a:b}', kubectl: { 'a:b': null } },
];
const REFUSED = ['a: {a: - }', 'a: {b: ?x}', 'a: [:x]', 'a: {b: ::1}', 'a: [- ]'];

const document = (line: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${line}\n`;

for (const { line, kubectl } of CASES) {
  test(`flow scalar ${line} reads as kubectl reads it`, () => {
    const { value } = decodeLikeKubectl(document(line)) as { value: { data: { a: unknown } } };
    assert.deepEqual(value.data.a, kubectl);
  });
}

for (const line of REFUSED) {
  test(`flow scalar ${line} is refused, as kubectl refuses it`, () => {
    assert.throws(() => decodeLikeKubectl(document(line)));
  });
}

test('a block scalar or quoted text that looks like a flow dash is left alone', () => {
  const { value } = decodeLikeKubectl('a: |\n  {a: -}\nb: "[?x]"\nc: [x-, "-"]\n') as { value: Record<string, unknown> };
  assert.deepEqual(value, { a: '{a: -}\n', b: '[?x]', c: ['x-', '-'] });
});

test('the rewrite edits only flow indicators and counts the blanks it adds in the dash offsets', () => {
  // Edits are spliced between slices of the text (glued17): a dash after an added blank must move with it.
  const text = 'a: [?x, -, ?y, {b: -}]\nc: "?z" # [?q]\nd: [?w, -]\n';
  const { text: out, dashes } = rewriteFlowPlain(text);
  assert.equal(out, 'a: [? x, x, ? y, {b: x}]\nc: "?z" # [?q]\nd: [? w, x]\n');
  assert.deepEqual(dashes, [9, 21, 49]);
  for (const at of dashes) assert.equal(out[at], 'x');
  // Undoing the edits gives the text back: nothing else moved.
  let undone = out;
  for (const at of [...dashes].reverse()) undone = `${undone.slice(0, at)}-${undone.slice(at + 1)}`;
  assert.equal(undone.replaceAll('? ', '?'), text.replaceAll('? ', '?'));
});

test('kubectl agrees on every flow scalar case', requiresKubectl(), () => {
  const texts = [...CASES.map((c) => c.line), ...REFUSED].map(document);
  const oracle = kubectlDecodeAll(texts);
  const problems = texts.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
});
