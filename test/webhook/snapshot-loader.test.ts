import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { loadSnapshotFromFiles } from '../../src/webhook/snapshot-loader.js';

/**
 * The --snapshot-from loader lets go of the files' text (kept, the stock install's 11 MB file stays
 * in memory for the server's lifetime) without losing anything from the objects themselves.
 */
describe('snapshot from files', requiresShared(), () => {
  test('objects equal the parsed manifests, their origins keep no document text', async () => {
    const file = sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
    const loaded = await loadSnapshotFromFiles([file], process.cwd());
    const { objects } = await collectManifests({ paths: [file], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
    assert.equal(loaded.snapshot.size, objects.length);
    const parsed = objects.map((s) => s.object);
    const kept = loaded.snapshot.all.map((s) => s.object);
    assert.deepEqual(kept, parsed);
    for (const scanned of loaded.snapshot.all) {
      assert.equal(scanned.origin.kind, 'file');
      if (scanned.origin.kind === 'file') {
        assert.equal(scanned.origin.document, undefined);
        assert.ok(scanned.origin.file.endsWith('kubeflow-example-install.yaml') && typeof scanned.origin.line === 'number', 'file and line stay for logs');
      }
    }
  });
});
