import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { rewriteGoYamlOnlySyntax } from '../../src/sources/go-yaml-only-syntax.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * What go-yaml v2 reads and kfguard's exact reader refused (issue 17, review items 4, 8 and 9):
 * `\'` in double quotes, the verbatim tags `!<!>`/`!<!!>`, and text after `...` that does not read
 * as YAML (go-yaml never reads past `...`). Block scalar indentation indicators are here too, as
 * the neighbour the review named. kubectl is the oracle.
 */
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

/** kubectl and kfguard read the same objects. */
const SAME = [
  'data:\n  a: "x\\\'y"\n',
  'data: {a: "x\\\'y"}\n',
  'data:\n  a: ["x\\\'y", "\\\\\'"]\n',
  'data:\n  "k\\\'": v\n',
  'data:\n  a: "x\\\'\n    y"\n',
  'data:\n  a: \'x \\\'\' y\'\n  b: "\\\'" # \\\' in a comment\n',
  'data:\n  a: !<!> x\n  b: !<!>   12\n  c: !<!> "12"\n',
  'data:\n  a: !<!!> x\n',
  'data:\n  a: !<!>\n  b: !<!>  # c\n',
  'data: !<!>\n  a: b\n',
  'data:\n  a: &x !<!> y\n  b: *x\n  c: !<!> &z w\n  d: *z\n',
  'data:\n  a: !<!> |\n    x\n  b: "!<!> kept"\n  c: \'!<!> \\\'\' kept\'\n',
  'data: {a: !<!> x, b: "\\\'"}\n',
  'data:\n  a: b\n...\n*undefined\n',
  'data:\n  a: b\n...\nx: !!binary "@@@"\n',
  'data:\n  a: b\n...\nx: !!int abc\n',
  'data:\n  a: b\n... "x\n',
  'data:\n  a: b\n... junk\n',
  'data:\n  a: b\n...\njunk\n',
  'data:\n  a: b\n...\n\tx\n',
  'data:\n  a: b\n...\n"unterminated\n',
  'data:\n  a: |2\n     x\n    y\n',
  'data:\n  a: >-1\n   x\n   y\n',
  'data:\n  a: |+\n    x\n\n\n  b: c\n',
  'data:\n  a: |-2\n     x\n  b: |1-\n   x\n  c: >+\n   x\n\n',
  'data:\n  a: |2\n  \n     x\n  b: |2\n      \n     x\n',
  'data:\n  a: |1\n    \n   x\n  b: >2\n     \n    x\n     \n    y\n',
  'data:\n  a: |2-\n         \n    x\n  b: |2+\n    x\n     \n',
  'data:\n  a: |2\n    x\n     \n  b: c\n',
  'data:\n  a: |9\n           x\n  b: |2 # c\n    x\n',
  'data:\n  - |1\n    x\n',
].map((body) => HEAD + body);

/** kubectl refuses these too: kfguard must not read what Kubernetes refuses. */
const REFUSED = ['data:\n  a: |0\n   x\n', 'data:\n  a: |10\n   x\n', 'data:\n  a: !<!>x\n', 'data:\n  a: |1\n\t\n   x\n'].map((body) => HEAD + body);

test('`\\\'`, `!<!>` and text after `...` read as kubectl reads them', requiresKubectl(), () => {
  const oracle = kubectlDecodeAll([...SAME, ...REFUSED]);
  const problems = SAME.flatMap((text, i) => {
    assert.equal(oracle[i]!.error, undefined, `${JSON.stringify(text)}: kubectl applies it`);
    return compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`);
  });
  assert.deepEqual(problems, []);
  REFUSED.forEach((text, j) => {
    assert.ok(oracle[SAME.length + j]!.error, `${JSON.stringify(text)}: kubectl refuses it`);
    assert.ok(parseYamlStream(text).errors.length > 0, `${JSON.stringify(text)}: kfguard refuses it too`);
  });
});

test('a mapping after `...` is still judged (kubectl never reads it), the ConfigMap before it is kubectl\'s', requiresKubectl(), () => {
  const text = `${HEAD}data:\n  a: "\\'"\n...\napiVersion: v1\nkind: Pod\nmetadata: {name: later}\n`;
  const [oracle] = kubectlDecodeAll([text]);
  assert.equal(oracle!.error, undefined);
  const { documents, errors } = parseYamlStream(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(documents[0]!.value, { ...(oracle!.objects[0] as object) });
  assert.equal((documents[1]?.value as { kind?: string } | undefined)?.kind, 'Pod', 'the later mapping is kept for judging');
  assert.match((documents[0]!.readingNotes ?? []).join('\n'), /never read by Kubernetes/);
});

test('text after `...` that does not read is a note, not a refusal of the document before it', () => {
  for (const after of ['*undefined\n', 'x: !!int abc\n', '"unterminated\n']) {
    const { documents, errors } = parseYamlStream(`${HEAD}data:\n  a: !!str b\n...\n${after}`);
    assert.deepEqual(errors, [], after);
    assert.equal((documents[0]!.value as { kind?: string }).kind, 'ConfigMap', after);
    assert.match((documents[0]!.readingNotes ?? []).join('\n'), /kfguard does not judge/, after);
  }
});

test('the rewrite touches only what the `yaml` parser reports: comments, plain and single-quoted text keep `\\\'` and `!<!>`', () => {
  assert.equal(rewriteGoYamlOnlySyntax('a: b # \\\' !<!> x\n'), undefined);
  assert.equal(rewriteGoYamlOnlySyntax("a: 'x\\''\nb: x\\'y\n"), undefined);
  assert.equal(rewriteGoYamlOnlySyntax('a: "x\\\'y" # \\\'\nb: !<!> c\n'), 'a: "x\\x27y" # \\\'\nb: !    c\n');
  assert.equal(rewriteGoYamlOnlySyntax('a: "\\\\\'"\n'), undefined, 'an escaped backslash before a quote is no `\\\'`');
});

test('a Pod with `\\\'` in its command is judged whole, not salvaged', async () => {
  const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n  - name: main\n    image: !<!> nginx\n    command: ["sh", "-c", "echo \\'hi\\'; /tmp/x -o stratum+tcp://pool.minexmr.com:4444"]\n    securityContext: {privileged: true}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-goonly-'));
  try {
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, pod);
    const report = await scanManifests({ paths: [file], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES });
    assert.deepEqual(report.errors, []);
    const found = new Set(report.findings.map((f) => f.ruleId));
    for (const rule of ['pod-privileged', 'pod-host-namespaces', 'crypto-miner-workload']) assert.ok(found.has(rule), `${rule}; got ${[...found].join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Double-quoted scalars of escapes go-yaml knows (with `\'`) and verbatim tags, in block and flow places. */
const ESCAPE = fc.constantFrom('\\\'', '\\"', '\\\\', '\\t', '\\x41', '\\u00e9', "'", 'a', ' ', '#', '!<!>', '\\N', '\\_');
const SCALAR = fc.tuple(fc.array(ESCAPE, { maxLength: 6 }), fc.constantFrom('', '!<!> ', '!<!!> ', '!!str ')).map(([parts, tag]) => `${tag}"${parts.join('')}"`);

test('generated escapes and verbatim tags: kfguard reads them as kubectl does', requiresKubectl(), () => {
  const texts = fc.sample(
    fc.tuple(SCALAR, SCALAR, SCALAR).map(([a, b, c]) => `${HEAD}data:\n  a: ${a}\n  b: [${b}, x]\n  c: {k: ${c}}\n`),
    { numRuns: 60, seed: 17 },
  );
  const oracle = kubectlDecodeAll(texts);
  const problems = texts.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
  assert.ok(oracle.filter((o) => o.error === undefined).length > texts.length / 2, 'most are read by kubectl');
});
