import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * A `kind: List` over the per-document limit, as `kubectl get -o yaml` prints a busy cluster, is
 * read item by item with the limit applied per item, instead of being refused whole (and searched
 * only as raw text, which stops at 4 MB). The limit is lowered here so the test stays small.
 */
const LIMIT = 32 * 1024;
const root = mkdtempSync(join(tmpdir(), 'kfguard-list-'));
after(() => rmSync(root, { recursive: true, force: true }));

const pod = (i: number, command = 'sleep'): string =>
  ['- apiVersion: v1', '  kind: Pod', '  metadata:', `    name: p${i}`, '    namespace: ns', '  spec:', '    containers:', '    - name: c', '      image: alpine:3.19', `      command: ["${command}", "3600"]`].join('\n');
function kubectlList(count: number, miner: number): string {
  const items = Array.from({ length: count }, (_, i) => pod(i, i === miner ? 'xmrig -o stratum+tcp://pool.example.com:3333' : 'sleep'));
  return ['apiVersion: v1', 'items:', ...items, 'kind: List', 'metadata:', '  resourceVersion: ""', ''].join('\n');
}

test('a List over the document limit is read item by item, each item located in the file', async () => {
  const text = kubectlList(400, 390);
  assert.ok(text.length > 2 * LIMIT);
  const file = join(root, 'cluster.yaml');
  writeFileSync(file, text);
  const report = await scanManifests({ paths: [file], cwd: root, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES, limits: { maxDocumentBytes: LIMIT } });
  assert.deepEqual(report.errors, []);
  assert.equal(report.inputs.documents, 400);
  const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
  assert.equal(miner?.resource.name, 'p390');
  assert.equal(miner?.location?.line, text.split('\n').findIndex((l) => l.includes('xmrig')) + 1);
});

test('an item over the limit is refused alone; the others are read', () => {
  const big = pod(1, `sleep ${'x'.repeat(LIMIT)}`);
  const text = ['apiVersion: v1', 'kind: List', 'items:', pod(0), big, pod(2), ''].join('\n');
  const { documents, errors } = parseYamlStream(text, { ...DEFAULT_PARSE_LIMITS, maxDocumentBytes: LIMIT });
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /over the 32\.0 KB limit/);
  assert.equal(errors[0]!.line, 14);
  assert.deepEqual(documents.filter((d) => !d.refused).map((d) => (d.value as { metadata: { name: string } }).metadata.name), ['p0', 'p2']);
});

test('a layout that only looks like a List inside a string is refused whole, as before', () => {
  const items = Array.from({ length: 400 }, (_, i) => pod(i)).join('\n');
  const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: real}\nx: "\nkind: List\nitems:\n${items}\n"\nspec: {containers: [{name: c, image: evil}]}\n`;
  const { errors } = parseYamlStream(text, { ...DEFAULT_PARSE_LIMITS, maxDocumentBytes: LIMIT });
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /limit per document/);
});
