import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DIFFERENCES } from '../../src/sources/reading-diff.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream, splitDocuments } from '../../src/sources/yaml-documents.js';
import { cpuMs } from '../helpers/cpu-time.js';

test('splits at --- markers and records each document start line', () => {
  const text = 'a: 1\n---\nb: 2\n--- # comment\nc: 3\n---\n';
  const chunks = splitDocuments(text);
  assert.deepEqual(
    chunks.map((c) => c.startLine),
    [1, 2, 4, 6],
  );
  assert.equal(text.slice(chunks[1]!.start, chunks[1]!.end), '---\nb: 2\n');
});

test('a leading --- does not create an empty first chunk', () => {
  const chunks = splitDocuments('---\na: 1\n');
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]!.startLine, 1);
});

test('---text (no space) inside content is not a marker', () => {
  assert.equal(splitDocuments('a: 1\n---b\n').length, 1);
  assert.equal(splitDocuments('a: 1\n--- b: 1\n').length, 2);
});

test('one broken document does not hide the others and reports its real line', () => {
  const text = ['kind: A', '---', 'kind: B', 'x: [1, 2', '---', 'kind: C', ''].join('\n');
  const { documents, errors } = parseYamlStream(text);
  assert.deepEqual(
    documents.filter((d) => !d.refused).map((d) => (d.value as { kind: string }).kind),
    ['A', 'C'],
  );
  assert.equal(errors.length, 1);
  assert.ok(errors[0]!.line >= 4 && errors[0]!.line <= 5, `line ${errors[0]!.line}`);
});

test('duplicate keys are read as Kubernetes reads them (last wins), and the disagreement is noted and graded', () => {
  const { documents, errors } = parseYamlStream('a: 1\nb: 2\na: 3\n');
  assert.deepEqual(errors, []);
  assert.deepEqual(documents[0]!.value, { a: 3, b: 2 });
  assert.match(documents[0]!.readingNotes!.join('\n'), /key a is written twice; Kubernetes keeps the last value, YAML 1\.2 readers refuse the document .* the last reads 3, the first 1 \(high:/);
  assert.equal(documents[0]!.readingStakes, 'high');
});

test('a duplicate with one value is low; one YAML 1.2 readers refuse for another reason as well stays high', () => {
  const same = parseYamlStream('kind: Secret\ntype: "kubernetes.io/quobyte"\ndata: {}\ntype: kubernetes.io/quobyte\n').documents[0]!;
  assert.equal(same.readingStakes, 'low');
  assert.match(same.readingNotes!.join('\n'), /key type is written twice with the same value/);
  const nested = parseYamlStream('spec:\n  template:\n    metadata: { labels: { a: x }, labels: { a: y } }\n').documents[0]!;
  assert.equal(nested.readingStakes, 'medium');
  assert.match(nested.readingNotes!.join('\n'), /key spec\.template\.metadata\.labels is written twice/);
});

test('every difference of a document is noted and graded, not only the first', () => {
  const text = 'kind: Pod\nspec:\n  volumes: [{ configMap: { defaultMode: 0644 } }]\n  containers: [{ args: [0777], securityContext: { privileged: on } }]\n';
  const document = parseYamlStream(text).documents[0]!;
  const notes = document.readingNotes!.join('\n');
  assert.match(notes, /defaultMode Kubernetes .* reads 420 .* read 644 \(low:/);
  assert.match(notes, /args\[0\] Kubernetes .* reads 511 .* read 777 \(high:/, 'a mode-like number outside a mode key is not a mode');
  assert.match(notes, /privileged Kubernetes .* reads true .* read "on" \(high:/);
  assert.equal(document.readingStakes, 'high');
  assert.equal(parseYamlStream('kind: ConfigMap\nx: { mode: 0755 }\n').documents[0]!.readingStakes, 'low');
});

test('past the difference limit the rest counts as high, even when every listed one is low', () => {
  const modes = Array.from({ length: MAX_DIFFERENCES + 5 }, (_, i) => `  - { mode: 0${(i % 7) + 1}44 }`).join('\n');
  const document = parseYamlStream(`kind: ConfigMap\nitems:\n${modes}\n`).documents[0]!;
  assert.equal(document.readingNotes!.filter((n) => n.includes('(low:')).length, MAX_DIFFERENCES);
  assert.match(document.readingNotes!.join('\n'), /more than 20 places read differently/);
  assert.equal(document.readingStakes, 'high');
});

test('refuses an alias bomb instead of expanding it', async () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  let previous = 'a';
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
    lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  const text = `---\nkind: Bomb\n${lines.join('\n')}\n`;
  const { value: { documents, errors }, ms } = await cpuMs(() => parseYamlStream(text));
  // Only the stand-in that carries the refused text on to the threat search.
  assert.deepEqual(documents.map((d) => d.refused), [true]);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /alias bomb/);
  assert.ok(ms < 5000, `took too long: ${ms} ms of CPU`);
});

test('legitimate anchors and aliases are accepted', () => {
  const { documents, errors } = parseYamlStream('base: &b {image: x}\nc1: *b\nc2: *b\n');
  assert.equal(errors.length, 0);
  assert.equal(documents.length, 1);
});

test('documents over the size limit are refused, later ones still parse', () => {
  const big = `kind: Big\ndata: "${'x'.repeat(2000)}"\n`;
  const { documents, errors } = parseYamlStream(`${big}---\nkind: Small\n`, { maxDocumentBytes: 1000, maxExpandedNodes: 1000, maxAliasBytes: 1000, parseCrdSchemas: false, maxDocuments: 100 });
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /over the .* limit/);
  assert.deepEqual(
    documents.filter((d) => !d.refused).map((d) => (d.value as { kind: string }).kind),
    ['Small'],
  );
});

test('timestamps stay strings (core schema), as the API server sends them', () => {
  const { documents } = parseYamlStream('creationTimestamp: 2021-06-08T00:00:00Z\n');
  assert.equal(typeof (documents[0]!.value as Record<string, unknown>).creationTimestamp, 'string');
});

test('merge keys are applied, as Kubernetes applies them, so a container behind <<: is seen', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx-base: &base {name: m, image: alpine, command: [/tmp/xmrig]}\nspec:\n  containers:\n  - <<: *base\n    args: [-o, pool]\n';
  const { documents, errors } = parseYamlStream(text);
  assert.deepEqual(errors, []);
  const spec = (documents[0]!.value as { spec: { containers: Record<string, unknown>[] } }).spec;
  assert.deepEqual(spec.containers[0], { name: 'm', image: 'alpine', command: ['/tmp/xmrig'], args: ['-o', 'pool'] });
});

test('a stream of more documents than the limit keeps the first ones and names the line where reading stopped', () => {
  const text = Array.from({ length: 5 }, (_, i) => `---\nkind: K${i}\n`).join('');
  const { documents, errors } = parseYamlStream(text, { ...DEFAULT_PARSE_LIMITS, maxDocuments: 3 });
  assert.deepEqual(documents.filter((d) => !d.refused).map((d) => (d.value as { kind: string }).kind), ['K0', 'K1', 'K2']);
  assert.equal(errors.length, 1);
  // The first line of the first unread document, just past its `---`.
  assert.equal(errors[0]!.line, 8);
  assert.match(errors[0]!.message, /more than 3 documents in one file; the 2 from this line on are not read/);
});

test('a refused document reaches the rules as a stand-in holding its raw text and the refusal', () => {
  const text = 'kind: A\n---\nkind: Pod\ncommand: [./xmrig]\n  bad: : :\n---\nkind: C\n';
  const { documents, errors } = parseYamlStream(text);
  assert.equal(errors.length, 1);
  const standIn = documents.find((d) => d.refused);
  assert.ok(standIn, 'a stand-in for the refused document');
  const value = standIn.value as { kind: string; refusal: string; text: string };
  assert.equal(value.kind, 'UnreadDocument');
  assert.equal(value.refusal, errors[0]!.message);
  assert.match(value.text, /\.\/xmrig/);
  assert.deepEqual(documents.filter((d) => !d.refused).map((d) => (d.value as { kind: string }).kind), ['A', 'C']);
});

test('flow nesting past go-yaml\'s 10,000 levels is refused at once, as kubectl refuses it', () => {
  const deep = `kind: X\nx: ${'['.repeat(500_000)}${']'.repeat(500_000)}\n`;
  const { errors } = parseYamlStream(deep);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /exceeded max depth of 10000/);
});

test('a key YAML 1.1 reads as a boolean (a KFP parameter named y) is low; beside the key it turns into, it stays high', () => {
  const renamed = parseYamlStream('root:\n  inputDefinitions:\n    parameters:\n      y: { parameterType: STRING }\n      x: { parameterType: STRING }\n  defaults: [A, Y]\n').documents[0]!;
  assert.match(renamed.readingNotes!.join('\n'), /reads the key "true" but YAML 1\.2 readers .* read "y", with the same value \(low:/);
  assert.match(renamed.readingNotes!.join('\n'), /defaults\[1\] Kubernetes .* reads true .* read "Y" \(low: a list item/);
  assert.equal(renamed.readingStakes, 'low');
  const collision = parseYamlStream('kind: ConfigMap\ndata:\n  y: sleep\n  "true": xmrig\n').documents[0]!;
  assert.equal(collision.readingStakes, 'high');
  const label = parseYamlStream('kind: Pod\nmetadata:\n  labels: { on: x }\n').documents[0]!;
  assert.equal(label.readingStakes, 'medium');
  assert.equal(parseYamlStream('kind: Pod\nspec: { hostNetwork: on }\n').documents[0]!.readingStakes, 'high', 'a named boolean setting stays high');
});

test('JSON nested as deep as Go\'s decoder reads (10,000 open levels) is read; one level more is refused, not skipped', () => {
  const pod = (levels: number): string => `{"kind":"Pod","spec":{"containers":[{"command":["./xmrig"]}]},"x":${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}}`;
  const atLimit = parseYamlStream(pod(10_000));
  assert.deepEqual(atLimit.errors, []);
  assert.equal((atLimit.documents[0]!.value as { kind: string }).kind, 'Pod');
  const over = parseYamlStream(pod(10_001));
  assert.equal(over.errors.length, 1);
  assert.match(over.errors[0]!.message, /JSON nested deeper than 10,000 levels .*kubectl and the API server refuse it too/);
  // The refused document still reaches the threat search as raw text.
  const standIn = over.documents.find((d) => d.refused)?.value as { kind: string; text: string } | undefined;
  assert.equal(standIn?.kind, 'UnreadDocument');
  assert.match(standIn.text, /\.\/xmrig/);
});

test('a JSON stream whose second value is too deep reads the first and refuses the rest, as kubectl stops there', () => {
  // The too-deep level opens on line 3; what follows, YAML included, kubectl never reads.
  const deep = `{"kind":"B",\n"x":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
  const { documents, errors } = parseYamlStream(`{"kind":"A"}\n${deep}\n---\nkind: C\n`);
  assert.deepEqual(documents.filter((d) => !d.refused).map((d) => (d.value as { kind: string }).kind), ['A']);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.line, 3);
  assert.match(errors[0]!.message, /JSON nested deeper than 10,000 levels/);
});

test('flow YAML deeper than kfguard\'s readers follow is read with the deep part cut, and says so; 150 levels read as Kubernetes reads them', () => {
  const flow = (brackets: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ncommand: [./xmrig]\nx: ${'['.repeat(brackets)}1${']'.repeat(brackets)}\n`;
  const read = parseYamlStream(flow(150));
  assert.deepEqual(read.errors, []);
  assert.deepEqual((read.documents[0]!.value as { command: string[] }).command, ['./xmrig']);
  // kubectl reads up to 10,000 levels; the `yaml` parser overflows its stack near 800.
  // Past 500 levels the rest of the document is read and the cut noted (a manifest-parse-ambiguity finding).
  const { documents, errors } = parseYamlStream(`kind: A\n---\n${flow(5_000)}`);
  assert.deepEqual(errors, []);
  const deep = documents[1]!;
  assert.deepEqual((deep.value as { command: string[] }).command, ['./xmrig']);
  assert.ok((deep.readingNotes ?? []).some((n) => /^nested deeper than kfguard can read: nesting past 500 levels .* is cut and read as null/.test(n)), JSON.stringify(deep.readingNotes));
});

test('a document over 3 MiB that needs the exact reader is refused with its reason (not read into gigabytes); a List that size is read item by item', () => {
  const nested = `${'['.repeat(200)}1${']'.repeat(200)}`;
  const items: string[] = [];
  for (let size = 0; size < 3.2 * 1024 * 1024; size += nested.length + 2) items.push(nested);
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: big, labels: {y: n}}\nspec: {containers: [{name: c, image: alpine, command: [./xmrig]}]}\nx: [${items.join(', ')}]\n`;
  const { documents, errors } = parseYamlStream(`kind: ConfigMap\nmetadata: {name: before}\n---\n${pod}`);
  assert.deepEqual(documents.filter((d) => !d.refused).map((d) => (d.value as { kind: string }).kind), ['ConfigMap']);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /reads differently in YAML 1\.1 and 1\.2, over the 3\.0 MB kfguard reads exactly .*refused$/);
  assert.equal(errors[0]!.line, 4);
  // A List of ordinary items as large is still read, item by item, as kubectl reads it.
  const item = '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c, labels: {y: n}}\n  data: {k: "' + 'v'.repeat(200) + '"}\n';
  const list = `apiVersion: v1\nkind: List\nitems:\n${item.repeat(Math.ceil((3.2 * 1024 * 1024) / item.length))}`;
  const read = parseYamlStream(list);
  assert.deepEqual(read.errors, []);
  assert.ok(read.documents.length > 10_000);
});
