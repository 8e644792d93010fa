import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { collectManifests } from '../../src/sources/manifest.js';
import { locate } from '../../src/sources/locate.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { asRecord } from '../../src/core/object.js';

function originFor(text: string, index = 0) {
  const { documents } = parseYamlStream(text);
  const doc = documents[index]!;
  return { kind: 'file' as const, reader: 'file' as const, file: 'x.yaml', line: doc.document.startLine, document: doc.document };
}

test('locates nested fields, list items and quoted keys', () => {
  const text = [
    'apiVersion: v1', // 1
    'kind: Pod', // 2
    'metadata:', // 3
    '  name: p', // 4
    '  annotations:', // 5
    '    kfguard.io/ignore: x', // 6
    'spec:', // 7
    '  containers:', // 8
    '  - name: a', // 9
    '    image: busybox', // 10
    '    args: ["one", "two"]', // 11
  ].join('\n');
  const origin = originFor(text);
  assert.deepEqual(locate(origin, 'spec.containers[0].image'), { file: 'x.yaml', line: 10, column: 5 });
  assert.deepEqual(locate(origin, 'spec.containers[0].args[1]'), { file: 'x.yaml', line: 11, column: 19 });
  assert.deepEqual(locate(origin, 'metadata.annotations["kfguard.io/ignore"]'), { file: 'x.yaml', line: 6, column: 5 });
});

test('a missing field resolves to its nearest existing ancestor', () => {
  const origin = originFor('kind: Service\nspec:\n  type: LoadBalancer\n');
  assert.equal(locate(origin, 'spec.loadBalancerSourceRanges')!.line, 2);
});

test('lines are absolute within multi-document files', () => {
  const text = 'kind: A\n---\n# comment\nkind: B\nspec:\n  type: NodePort\n';
  const origin = originFor(text, 1);
  assert.equal(locate(origin, 'spec.type')!.line, 6);
});

test('List members resolve under items[i]', async () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n  spec:\n    type: NodePort\n';
  const { objects } = await collectManifests({ paths: ['-'], cwd: '/', readStdin: async () => Buffer.from(text) });
  assert.equal(objects.length, 2);
  assert.equal(locate(objects[1]!.origin, 'spec.type')!.line, 11);
});

describe('line numbers against the real corpus', requiresShared(), () => {
  test('every Service spec.type in the full install resolves to the line that holds it', async () => {
    const file = sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const { objects, errors } = await collectManifests({ paths: [file], cwd: '/', readStdin: async () => Buffer.alloc(0) });
    assert.equal(errors.length, 0);
    const services = objects.filter((o) => o.object.kind === 'Service' && asRecord(o.object.spec)?.type !== undefined);
    assert.ok(services.length > 0);
    for (const service of services) {
      const where = locate(service.origin, 'spec.type')!;
      const type = String(asRecord(service.object.spec)!.type);
      assert.match(lines[where.line - 1]!, new RegExp(`^\\s*type: ${type}\\s*$`), `${service.object.metadata?.name} at ${where.line}`);
      assert.equal(lines[where.line - 1]!.indexOf('type:') + 1, where.column);
    }
  });

  test('container images in the full install resolve to their image: lines', async () => {
    const file = sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const { objects } = await collectManifests({ paths: [file], cwd: '/', readStdin: async () => Buffer.alloc(0) });
    let checked = 0;
    for (const { object, origin } of objects.filter((o) => o.object.kind === 'Deployment')) {
      const containers = asRecord(asRecord(asRecord(object.spec)?.template)?.spec)?.containers as { image: string }[];
      containers.forEach((c, i) => {
        const where = locate(origin, `spec.template.spec.containers[${i}].image`)!;
        assert.ok(lines[where.line - 1]!.includes(c.image), `${object.metadata?.name}: line ${where.line} lacks ${c.image}`);
        checked++;
      });
    }
    assert.ok(checked > 40, `checked only ${checked}`);
  });
});

test('findings that come back to a document after many others are located as on first sight', () => {
  // Small documents keep their index only while among the last few located; a late finding (a
  // whole-inventory rule's) rebuilds it, and must land on the same line.
  const docs = Array.from({ length: 12 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n${'  # filler\n'.repeat(i)}  containers:\n  - name: c\n    image: busybox:${i}\n`);
  const text = docs.join('---\n');
  const origins = docs.map((_, i) => originFor(text, i));
  const first = origins.map((origin) => locate(origin, 'spec.containers[0].image'));
  const names = origins.map((origin) => locate(origin, 'metadata.name'));
  for (const round of [0, 1]) {
    origins.forEach((origin, i) => {
      const other = (i * 7) % origins.length;
      assert.deepEqual(locate(origin, 'spec.containers[0].image'), first[i], `round ${round}, document ${i}`);
      assert.deepEqual(locate(origins[other]!, 'metadata.name'), names[other], `round ${round}, document ${other}`);
    });
  }
  assert.equal(first[11]!.line - names[11]!.line, 15, 'the image line counts the filler comments');
  assert.equal(text.split('\n')[first[11]!.line - 1], '    image: busybox:11');
});

test("a document's first location (breaks counted up to it) equals a later one (the break table) and the parser's", () => {
  // Three documents, so each sits at a start offset and line of its own; comments and blank lines
  // are counted as lines though the walker skips them.
  const text = [
    'kind: ConfigMap',
    'metadata: {name: a}',
    '---',
    '# a comment',
    'kind: Pod',
    '',
    'metadata:',
    '  name: p',
    'spec:',
    '  containers:',
    '  - name: a',
    '    image: busybox',
    '    args: ["one", "two"]',
    '---',
    'kind: Service',
    'spec:',
    '  ports:',
    '  - port: 80',
  ].join('\n');
  const paths = ['spec.containers[0].image', 'spec.containers[0].args[1]', 'metadata.name', 'spec', 'spec.ports[0].port', 'kind'];
  for (const index of [0, 1, 2]) {
    for (const first of paths) {
      // A fresh document object each time: its first location takes the counting path.
      const origin = originFor(text, index);
      const fresh = locate(origin, first);
      assert.deepEqual(fresh, locate(origin, first), `document ${index}, ${first}: first and second location differ`);
      assert.deepEqual(fresh, locate(originFor(text, index), first, 'parser'), `document ${index}, ${first}: walker and parser differ`);
    }
  }
});
