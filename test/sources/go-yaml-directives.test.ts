import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * `%` directives in every position. `kubectl` is what `kubectl label --local -o json` (1.32) did
 * with the text: the images it printed, and whether it stopped with an error.
 */
const pod = (image: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ${image}\n`;
const CASES: readonly { readonly name: string; readonly text: string; readonly images: readonly string[]; readonly refused: boolean }[] = [
  { name: 'directive then ---', text: `%YAML 1.1\n---\n${pod('xmrig')}`, images: [], refused: true },
  { name: 'directive without ---', text: `%YAML 1.1\n${pod('xmrig')}`, images: [], refused: true },
  { name: 'stream-initial --- then directive', text: `---\n%YAML 1.1\n---\n${pod('nginx')}`, images: ['nginx'], refused: false },
  { name: 'stream-initial --- then unknown directive', text: `---\n%FOO\n---\n${pod('nginx')}`, images: [], refused: true },
  { name: 'directive after a document', text: `${pod('nginx')}---\n%YAML 1.1\n---\n${pod('xmrig')}`, images: ['nginx'], refused: true },
  { name: '%TAG then ---', text: `%TAG ! tag:x,2000:\n---\n${pod('xmrig')}`, images: [], refused: true },
  { name: '%YAML twice', text: `%YAML 1.1\n%YAML 1.1\n---\n${pod('xmrig')}`, images: [], refused: true },
  { name: 'with comments', text: `# c\n%YAML 1.1 # c\n--- # c\n${pod('xmrig')}`, images: [], refused: true },
  { name: '%YAML 1.2', text: `%YAML 1.2\n---\n${pod('xmrig')}`, images: [], refused: true },
  { name: 'directive line ends the document', text: `${pod('nginx')}%YAML 1.2\nkind: ignored\n`, images: ['nginx'], refused: false },
  { name: 'two directive lines after a document', text: `${pod('nginx')}%YAML 1.1\n%FOO\n`, images: ['nginx'], refused: false },
  { name: 'unknown directive after a document', text: `${pod('nginx')}%FOO\n`, images: [], refused: true },
  { name: 'malformed %YAML after a document', text: `${pod('nginx')}%YAML 1.1 x\n`, images: [], refused: true },
  { name: '%TAG after a document', text: `${pod('nginx')}%TAG !x! tag:y\nkind: z\n`, images: ['nginx'], refused: false },
  { name: 'after ...', text: `${pod('nginx')}...\n%YAML 1.1\n`, images: ['nginx'], refused: false },
  // Inside a quoted scalar a column-0 `%` is text: go-yaml's scanner is in the scalar there.
  { name: '% line in a double-quoted scalar', text: pod('"a\n%YAML 1.1 x\n"'), images: ['a %YAML 1.1 x '], refused: false },
  { name: '% line in a single-quoted scalar', text: pod("'a\n%FOO'"), images: ['a %FOO'], refused: false },
  { name: '% line after a quoted scalar', text: `${pod('"a\n%x"')}%FOO\n`, images: [], refused: true },
];

const images = (text: string): { images: string[]; refused: boolean } => {
  const { documents, errors } = parseYamlStream(text);
  const read = documents.filter((d) => !d.refused).map((d) => (d.value as { spec?: { containers?: { image?: string }[] } }).spec?.containers?.[0]?.image);
  return { images: read.filter((i): i is string => typeof i === 'string'), refused: errors.length > 0 };
};

for (const c of CASES) {
  test(`directives: ${c.name} reads as kubectl reads it`, () => {
    const got = images(c.text);
    assert.equal(got.refused, c.refused, JSON.stringify(parseYamlStream(c.text).errors));
    // kubectl stops at the piece it refuses; kfguard goes on, so what it reads before the refusal must match.
    const before = c.refused ? got.images.slice(0, c.images.length) : got.images;
    assert.deepEqual(before, c.images);
    // A refused piece names the directive's line.
    for (const e of parseYamlStream(c.text).errors) assert.ok(c.text.split('\n')[e.line - 1]!.startsWith('%'), `line ${e.line}`);
  });
}

test('a directive kubectl refuses is an error at its line, and the Pod after it is still judged', () => {
  // `%YAML 1.1` + `---` (the shape a helper found): kubectl refuses the directive alone; kfguard
  // reports that error and still reads the Pod after it, so a miner there is found either way.
  const { documents, errors } = parseYamlStream(`%YAML 1.1\n---\n${pod('xmrig')}`);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.line, 1);
  assert.deepEqual(documents.map((d) => d.refused === true), [true, false]);
});

test('directive variants read as kubectl reads them', requiresKubectl(), () => {
  const directive = fc.constantFrom('%YAML 1.1', '%YAML 1.2', '%TAG ! tag:x,2000:', '%FOO bar', '%YAML 1.1 # c', '%YAML 1.1 x', '%TAG !a! b');
  const prefix = fc.constantFrom('', '---\n', '# c\n', '\n', `${pod('a')}`, `${pod('a')}---\n`, `${pod('a')}...\n`);
  const between = fc.constantFrom('---\n', '--- # c\n', '', `${'%YAML 1.1'}\n---\n`, '# c\n---\n');
  const texts = fc.sample(fc.tuple(prefix, directive, between).map(([p, d, b]) => `${p}${d}\n${b}${pod('b')}`), { numRuns: 60, seed: 14 });
  const kinds = [...CASES.map((c) => c.text), ...texts];
  const oracle = kubectlDecodeAll(kinds, {}, 1);
  const problems = kinds.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text.slice(0, 60))}: ${p}`));
  assert.deepEqual(problems, []);
});
