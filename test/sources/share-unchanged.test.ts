// A watched update shares the parts equal to the stored copy, so the parsed parts die young and
// the stored ones stay (docs/benchmarks.md, h-watchflat11); what changed is the new object's own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { shareUnchanged } from '../../src/sources/cluster/share-unchanged.js';

const pod = (hash: string, image = 'registry.example/app:1.0'): K8sObject => JSON.parse(JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app-1', namespace: 'team', resourceVersion: hash, labels: { app: 'app', 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-rs', controller: true, uid: 'u1' }] },
  spec: { serviceAccountName: 'default', containers: [{ name: 'app', image, args: ['--port', '80'], env: [{ name: 'A', value: '' }] }] },
  status: { phase: 'Running' },
})) as K8sObject;

describe('shareUnchanged', () => {
  test('a relabelled Pod takes the stored spec, status and owner references, and keeps its own labels', () => {
    const stored = pod('aaaa');
    const update = pod('bbbb');
    const result = shareUnchanged(stored, update);
    assert.equal(result, update);
    assert.equal(result.spec, stored.spec);
    assert.equal((result as unknown as { status: unknown }).status, (stored as unknown as { status: unknown }).status);
    assert.equal(result.metadata!.ownerReferences, stored.metadata!.ownerReferences);
    assert.notEqual(result.metadata, stored.metadata);
    assert.notEqual(result.metadata!.labels, stored.metadata!.labels);
    assert.deepEqual(result, pod('bbbb'));
  });

  test('a changed spec stays the parsed one, and so does a part differing only deep inside', () => {
    const stored = pod('aaaa');
    const update = pod('aaaa', 'xmrig/xmrig:latest');
    const result = shareUnchanged(stored, update);
    assert.notEqual(result.spec, stored.spec);
    assert.deepEqual(result, pod('aaaa', 'xmrig/xmrig:latest'));
    // Same labels: shared; an empty string against an absent field, or an array against an object, are not equal.
    assert.equal(result.metadata!.labels, stored.metadata!.labels);
    const a = { ...pod('aaaa'), spec: { containers: [{ name: 'app', env: [{ name: 'A' }] }] } } as K8sObject;
    const b = { ...pod('aaaa'), spec: { containers: [{ name: 'app', env: [{ name: 'A', value: '' }] }] } } as K8sObject;
    assert.notEqual(shareUnchanged(a, b).spec, a.spec);
    const c = { ...pod('aaaa'), spec: { list: [] } } as unknown as K8sObject;
    const d = { ...pod('aaaa'), spec: { list: {} } } as unknown as K8sObject;
    assert.notEqual(shareUnchanged(c, d).spec, c.spec);
  });

  test('no stored copy: the update as it came', () => {
    const update = pod('aaaa');
    assert.equal(shareUnchanged(undefined, update), update);
    assert.deepEqual(update, pod('aaaa'));
  });
});
