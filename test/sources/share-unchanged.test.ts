// A watched update shares the parts equal to the stored copy, so the parsed parts die young and
// the stored ones stay (docs/benchmarks.md, h-watchflat11); what changed is the new object's own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import type { K8sObject } from '../../src/core/types.js';
import { shareUnchanged } from '../../src/sources/cluster/share-unchanged.js';

const pod = (hash: string, image = 'registry.example/app:1.0'): K8sObject => JSON.parse(JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app-7d4b9c8f5d-x2k9q', namespace: 'team-machine-learning', uid: '6f1c2a4e-9b3d-4c8e-a1f2-3d4e5f6a7b8c', resourceVersion: hash, labels: { app: 'model-server-frontend', 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-rs', controller: true, uid: 'u1' }] },
  spec: { serviceAccountName: 'default', containers: [{ name: 'app', image, args: ['--port', '80'], env: [{ name: 'A', value: '' }] }] },
  status: { phase: 'Running' },
})) as K8sObject;

// Whether two equal strings are one object in the heap: JavaScript cannot tell, V8's test runtime can.
setFlagsFromString('--allow-natives-syntax');
const sameHeapObject = new Function('a', 'b', 'return %IsSameHeapObject(a, b)') as (a: unknown, b: unknown) => boolean;

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

  test('equal metadata strings and unchanged label values are the stored ones; changed ones stay parsed', () => {
    const stored = pod('aaaa');
    const update = pod('bbbb');
    // Parsed apart, equal strings are separate copies (what made this worth doing).
    assert.equal(update.metadata!.name, stored.metadata!.name);
    assert.equal(sameHeapObject(update.metadata!.name, stored.metadata!.name), false);
    const result = shareUnchanged(stored, update);
    assert.equal(sameHeapObject(result.metadata!.name, stored.metadata!.name), true);
    assert.equal(sameHeapObject(result.metadata!.namespace, stored.metadata!.namespace), true);
    assert.equal(sameHeapObject(result.metadata!.uid, stored.metadata!.uid), true);
    const labels = result.metadata!.labels as Record<string, string>;
    assert.equal(sameHeapObject(labels.app, (stored.metadata!.labels as Record<string, string>).app), true);
    assert.equal(labels['pod-template-hash'], 'bbbb');
    assert.equal(result.metadata!.resourceVersion, 'bbbb');
    assert.deepEqual(result, pod('bbbb'));
  });
});
