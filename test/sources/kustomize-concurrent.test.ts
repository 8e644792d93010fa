import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { collectManifests, type CollectResult } from '../../src/sources/manifest.js';
import { RenderAhead } from '../../src/sources/render-ahead.js';
import { requiresKubectl } from '../../src/testing/kubectl-oracle.js';

const root = mkdtempSync(join(tmpdir(), 'kfguard-kpar-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
}
const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: b}\n`;

// Overlays over a sibling base, a base nested under (and covered by) its overlay, a Component,
// a failing render whose covered base is then rendered on its own, and plain files between.
write({
  'a-base/kustomization.yaml': 'resources: [cm.yaml]\n', 'a-base/cm.yaml': configMap('base'),
  'b-overlay/kustomization.yaml': 'resources: [../a-base]\nnamePrefix: b-\n',
  'c-overlay/kustomization.yaml': 'resources: [../a-base, inner]\nnamePrefix: c-\n',
  'c-overlay/inner/kustomization.yaml': 'resources: [cm.yaml]\n', 'c-overlay/inner/cm.yaml': configMap('inner'),
  'd-broken/kustomization.yaml': 'resources: [missing.yaml, nested]\n',
  'd-broken/nested/kustomization.yaml': 'resources: [cm.yaml]\n', 'd-broken/nested/cm.yaml': configMap('nested'),
  'e-component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n', 'e-component/cm.yaml': configMap('component'),
  'f-plain.yaml': configMap('plain'),
  ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`g-many/m${i}/kustomization.yaml`, `resources: [cm.yaml]\nnamePrefix: m${i}-\n`])),
  ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`g-many/m${i}/cm.yaml`, configMap('many')])),
});

const collect = (renderConcurrency: number) =>
  collectManifests({ paths: ['.'], cwd: root, readStdin: () => Promise.resolve(Buffer.alloc(0)), env: process.env, renderConcurrency });
/** What a report is made of, without kubectl's own timestamps in its error lines. */
const shape = (result: CollectResult) => ({
  objects: result.objects.map((o) => [o.origin.file, o.origin.documentIndex, o.origin.line, o.origin.reader, o.object.kind, o.object.metadata?.name]),
  errors: JSON.parse(JSON.stringify(result.errors).replace(/[EW]\d{4} [\d:.]+ +\d+ /g, '')) as unknown,
  stats: JSON.parse(JSON.stringify(result.stats).replace(/[EW]\d{4} [\d:.]+ +\d+ /g, '')) as unknown,
});

describe('kustomize directories rendered at once', () => {
  it('give the same objects, errors and counts, in the same order, as one at a time', requiresKubectl(), async () => {
    const sequential = shape(await collect(1));
    const concurrent = shape(await collect(4));
    assert.deepEqual(concurrent, sequential);
    // Not vacuous: every kind of directory above was reached and rendered or explained.
    const stats = sequential.stats as { rendered: number; notRendered: unknown[] };
    assert.equal(stats.rendered, 4 + 6, 'a-base, b, c (covering c/inner), d/nested, six under g-many');
  });

  it('lose no other directory when one fails', requiresKubectl(), async () => {
    const result = await collect(4);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.file, /d-broken$/);
    assert.match(result.errors[0]!.message, /missing\.yaml.*scanned as plain manifests/);
    const names = result.objects.map((o) => o.object.metadata?.name);
    for (const name of ['base', 'b-base', 'c-base', 'c-inner', 'nested', 'component', 'plain', 'm0-many', 'm5-many']) {
      assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
    }
  });
});

describe('RenderAhead', () => {
  /** A render that finishes only when the test says so. */
  function controlled() {
    const pending = new Map<string, { resolve: (text: string) => void; reject: (error: Error) => void }>();
    const calls: string[] = [];
    const render = (dir: string) => new Promise<string>((resolve, reject) => {
      calls.push(dir);
      pending.set(dir, { resolve, reject });
    });
    return { render, calls, pending };
  }

  it('runs at most `limit` renders, counting outputs not yet taken, and starts them in order', async () => {
    const { render, calls, pending } = controlled();
    const ahead = new RenderAhead(render, 2);
    for (const dir of ['a', 'b', 'c', 'd']) ahead.expect(dir);
    assert.deepEqual(calls, ['a', 'b']);
    pending.get('a')!.resolve('A');
    pending.get('b')!.resolve('B');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, ['a', 'b'], 'finished but untaken outputs still hold their slots');
    assert.equal(await ahead.take('a'), 'A');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, ['a', 'b', 'c']);
    assert.equal(ahead.peak, 2);
  });

  it('renders on demand what was not expected, or taken before, and reports failures only to the taker', async () => {
    const { render, calls, pending } = controlled();
    const ahead = new RenderAhead(render, 2);
    ahead.expect('a');
    pending.get('a')!.reject(new Error('broken'));
    await new Promise((r) => setImmediate(r)); // an unhandled rejection here would fail the test run
    await assert.rejects(ahead.take('a'), /broken/);
    const again = ahead.take('a');
    const other = ahead.take('z');
    assert.deepEqual(calls, ['a', 'a', 'z']);
    pending.get('a')!.resolve('A2');
    pending.get('z')!.resolve('Z');
    assert.equal(await again, 'A2');
    assert.equal(await other, 'Z');
  });

  it('starts nothing ahead with a limit of 1, or once closed', () => {
    const { render, calls } = controlled();
    new RenderAhead(render, 1).expect('a');
    const closed = new RenderAhead(render, 4);
    closed.close();
    closed.expect('b');
    assert.deepEqual(calls, []);
  });
});
