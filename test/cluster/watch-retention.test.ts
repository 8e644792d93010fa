// A long run of watched changes keeps a bounded number of object copies alive, counted with weak
// references after full collections: the snapshot's current copies plus its change log, however
// many events. Judged as `kfguard watch` judges (LiveEvaluator: a full evaluation at sync, queued
// updates judged one by one, baselines warmed between them), in process, so it counts, not times.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { labelsOf } from '../../src/core/object.js';
import { CHANGE_LOG_LENGTH } from '../../src/core/snapshot.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { LiveEvaluator } from '../../src/watch/live-evaluator.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PODS = 40;
const origin = (version: number): ScannedObject['origin'] => ({ kind: 'cluster', context: 'test', resourceVersion: String(version) });
const pod = (i: number, hash: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `app-${i}`, namespace: 'team', labels: { app: `app-${i % 4}`, 'pod-template-hash': hash } },
  spec: { serviceAccountName: 'default', containers: [{ name: 'app', image: 'registry.example/app@sha256:' + 'a'.repeat(64) }] },
});
// Kinds other rules read and no change touches: a rule matching Pods that reads only RBAC kinds
// keeps a baseline no Pod change brings up to date.
const others: K8sObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app-0', namespace: 'team' }, spec: { selector: { app: 'app-0' }, ports: [{ port: 80 }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'edit', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'team' }] },
];

/** How many of the referenced objects a full collection leaves alive (WeakRefs hold their targets until the turn ends). */
async function alive(refs: readonly WeakRef<object>[]): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return refs.filter((ref) => ref.deref() !== undefined).length;
}

describe('kfguard watch retention over many events', () => {
  test('copies alive stay within the current objects plus the change log, and replaced originals are freed', async () => {
    const snapshot = newSnapshot();
    const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    let version = 0;
    for (const object of others) snapshot.upsert({ object, origin: origin(++version) });
    // In functions of their own: a variable of this async test's frame would keep its last value
    // alive (the bug this test found in the informer's list).
    const sync = (): WeakRef<object>[] => {
      const refs: WeakRef<object>[] = [];
      for (let i = 0; i < PODS; i++) {
        const scanned = { object: pod(i, '7d9f8c6b5'), origin: origin(++version) };
        refs.push(new WeakRef(scanned.object), new WeakRef(scanned));
        snapshot.upsert(scanned);
      }
      // Sync as the watch does it: a full evaluation, then every kind's baselines warmed.
      evaluator.reconcile(snapshot);
      for (const scanned of [...snapshot.all]) evaluator.warm(snapshot, scanned);
      return refs;
    };
    const originals = sync();
    const copies: WeakRef<object>[] = [];
    const changes = (count: number): void => {
      for (let n = 0; n < count; n++) {
        const i = n % PODS;
        const previous = snapshot.get('Pod', 'team', `app-${i}`)!.object;
        // A value of constant size: the data does not grow with the changes.
        const next = { ...previous, metadata: { ...previous.metadata, labels: { ...labelsOf(previous), 'pod-template-hash': (version % 1e9).toString(16).padStart(9, '0') } } } as K8sObject;
        const scanned = { object: next, origin: origin(++version) };
        copies.push(new WeakRef(next));
        snapshot.upsert(scanned);
        evaluator.judgeStored(scanned, snapshot);
        // The watch warms the baselines of the kinds that changed when idle, at most once a second.
        if (n % 100 === 99) evaluator.warm(snapshot, scanned);
      }
    };
    // Past the change log and a few passes over every Pod: no copy from before is needed any more.
    changes(CHANGE_LOG_LENGTH + 3 * PODS);
    assert.equal(await alive(originals), 0, 'the copies listed at sync, all replaced since, are freed');
    const bound = PODS + CHANGE_LOG_LENGTH;
    const afterFirst = await alive(copies);
    assert.ok(afterFirst <= bound, `${afterFirst} copies alive after ${copies.length} changes, more than ${bound} (current objects and change log)`);
    // Twice as many events again: the count alive does not move with them.
    changes(2 * (CHANGE_LOG_LENGTH + 3 * PODS));
    const afterMore = await alive(copies);
    assert.ok(afterMore <= bound, `${afterMore} copies alive after ${copies.length} changes, more than ${bound}`);
    assert.equal(afterMore, afterFirst, 'the number of copies alive does not grow with the number of events');
    assert.ok(afterFirst >= PODS, 'the weak references do see the copies the snapshot holds');
  });
});
