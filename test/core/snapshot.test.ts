import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { labelsOf } from '../../src/core/object.js';
import fc from 'fast-check';
import type { DerivedAnalysis, Inventory } from '../../src/core/inventory.js';
import { matchesMapSelector } from '../../src/core/selectors.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { CHANGE_LOG_LENGTH } from '../../src/core/snapshot.js';

const cluster = (i: number): ScannedObject['origin'] => ({ kind: 'cluster', context: 'test', resourceVersion: String(i) });
const scanned = (object: K8sObject, i = 0): ScannedObject => ({ object, origin: cluster(i) });

const pod = (name: string, namespace: string, labels: Record<string, string>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});
const deployment = (name: string, namespace: string, labels: Record<string, string>): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
});
const service = (name: string, namespace: string, selector: Record<string, string>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector },
});

/** What `selectedByService` must answer, computed the slow, obvious way. */
function bruteForceSelected(inventory: Inventory, svc: K8sObject): string[] {
  const selector = (svc.spec as { selector?: Record<string, string> }).selector;
  return inventory
    .inNamespace(svc.metadata?.namespace)
    .filter((s) => s.object !== svc && podLabelsOf(s.object).some((labels) => matchesMapSelector(selector, labels)))
    .map((s) => `${s.object.kind}/${s.object.metadata?.name}`)
    .sort();
}

const names = (list: readonly ScannedObject[]): string[] => list.map((s) => `${s.object.kind}/${s.object.metadata?.name}`).sort();

describe('Snapshot', () => {
  test('upserts replace by identity, deletes remove every copy, and the version moves on each change', () => {
    const snapshot = newSnapshot();
    const v0 = snapshot.version;
    snapshot.upsert(scanned(pod('a', 'ns', { app: 'x' })));
    snapshot.upsert(scanned(pod('a', 'ns', { app: 'y' }), 2));
    assert.equal(snapshot.size, 1);
    assert.equal(labelsOf(snapshot.get('Pod', 'ns', 'a')?.object ?? { apiVersion: '', kind: '' }).app, 'y');
    assert.ok(snapshot.version > v0);
    snapshot.delete(pod('a', 'ns', {}));
    assert.equal(snapshot.size, 0);
    assert.deepEqual(snapshot.ofKind('Pod'), []);
  });

  test('the change log answers for exactly the last CHANGE_LOG_LENGTH versions, in order, and no further', () => {
    const snapshot = newSnapshot();
    const extra = 37;
    const copies: ScannedObject[] = [];
    // Updates of a few Pods (each removes the copy before it) and, at the end, one delete.
    for (let i = 0; i < CHANGE_LOG_LENGTH + extra; i++) {
      const copy = scanned(pod(`p${i % 5}`, 'ns', { revision: String(i) }), i);
      copies.push(copy);
      snapshot.upsert(copy);
    }
    snapshot.delete(pod('p0', 'ns', {}));
    const last = snapshot.version;
    assert.deepEqual(snapshot.changesSince(last), { removed: [], added: [] });
    assert.equal(snapshot.changesSince(last + 1), undefined, 'a version not reached yet');
    assert.equal(snapshot.changesSince(last - CHANGE_LOG_LENGTH - 1), undefined, 'one version further than the log keeps');
    assert.equal(snapshot.changesSince(-1), undefined);
    const window = snapshot.changesSince(last - CHANGE_LOG_LENGTH);
    assert.ok(window, 'the oldest version the log promises');
    // The window's changes: the last CHANGE_LOG_LENGTH - 1 upserts, then the delete.
    const upserts = copies.slice(copies.length - (CHANGE_LOG_LENGTH - 1));
    assert.deepEqual(window.added, upserts, 'every copy added, in order');
    const p0 = copies.filter((c) => c.object.metadata?.name === 'p0').at(-1)!;
    assert.deepEqual(window.removed, [...upserts.map((c) => copies[copies.indexOf(c) - 5]!), p0]);
    // Every shorter window is the tail of the longest one.
    for (const back of [1, 2, 100, CHANGE_LOG_LENGTH - 1]) {
      const shorter = snapshot.changesSince(last - back)!;
      assert.deepEqual(shorter.added, upserts.slice(upserts.length - (back - 1)));
      assert.equal(shorter.removed.length, back);
    }
  });

  test('files keep every copy of one identity; each is judged', () => {
    const snapshot = newSnapshot();
    const object = pod('a', 'ns', {});
    snapshot.upsert({ object, origin: { kind: 'file', reader: 'file', file: 'one.yaml', documentIndex: 0 } });
    snapshot.upsert({ object: { ...object }, origin: { kind: 'file', reader: 'file', file: 'two.yaml', documentIndex: 0 } });
    assert.equal(snapshot.copiesOf(object).length, 2);
    assert.equal(snapshot.all.length, 2);
  });

  test('an analysis is kept across changes it did not read and rebuilt after one it did', () => {
    let builds = 0;
    const servicesByName: DerivedAnalysis<string[]> = {
      name: 'service names',
      build: (inventory) => {
        builds++;
        return inventory.ofKind('Service').map((s) => String(s.object.metadata?.name));
      },
    };
    const snapshot = newSnapshot();
    snapshot.upsert(scanned(service('web', 'ns', { app: 'web' })));
    assert.deepEqual(snapshot.derived(servicesByName), ['web']);
    snapshot.upsert(scanned(pod('p', 'ns', { app: 'other' })));
    assert.deepEqual(snapshot.derived(servicesByName), ['web']);
    assert.equal(builds, 1, 'a Pod change does not rebuild an analysis of Services');
    snapshot.upsert(scanned(service('api', 'ns', { app: 'api' })));
    assert.deepEqual(snapshot.derived(servicesByName), ['web', 'api']);
    assert.equal(builds, 2);
  });

  test('an analysis that read a Service selector is rebuilt when a matching Pod arrives, not for others', () => {
    let builds = 0;
    const backends: DerivedAnalysis<string[]> = {
      name: 'backends',
      build: (inventory) => {
        builds++;
        return inventory.ofKind('Service').flatMap((s) => names(inventory.selectedByService(s.object)));
      },
    };
    const snapshot = newSnapshot();
    snapshot.upsert(scanned(service('web', 'ns', { app: 'web' })));
    assert.deepEqual(snapshot.derived(backends), []);
    const overlayOther = snapshot.overlay(scanned(pod('x', 'ns', { app: 'other' })));
    assert.deepEqual(overlayOther.derived(backends), []);
    assert.equal(builds, 1, 'an unselected Pod reuses the snapshot analysis');
    const overlayMatch = snapshot.overlay(scanned(pod('w', 'ns', { app: 'web' })));
    assert.deepEqual(overlayMatch.derived(backends), ['Pod/w']);
    assert.equal(builds, 2, 'a selected Pod rebuilds it on the overlay');
    assert.deepEqual(snapshot.derived(backends), [], 'the snapshot itself is unchanged');
  });

  test('an affected analysis is kept when it carries the new copy over, and rebuilt when it declines', () => {
    let builds = 0;
    let accept = true;
    const offered: [ScannedObject, ScannedObject][] = [];
    const backends: DerivedAnalysis<ScannedObject[]> = {
      name: 'backends',
      build: (inventory) => {
        builds++;
        return inventory.ofKind('Service').flatMap((s) => [...inventory.selectedByService(s.object)]);
      },
      carry: (value, before, after) => {
        offered.push([before, after]);
        if (!accept) return false;
        value.splice(value.indexOf(before), 1, after);
        return true;
      },
    };
    const snapshot = newSnapshot();
    snapshot.upsert(scanned(service('web', 'ns', { app: 'web' })));
    const first = scanned(pod('w', 'ns', { app: 'web' }));
    snapshot.upsert(first);
    const value = snapshot.derived(backends);
    assert.deepEqual(value, [first]);
    const versionBefore = snapshot.version;
    const second = scanned(pod('w', 'ns', { app: 'web' }));
    snapshot.upsert(second);
    assert.deepEqual(offered, [[first, second]], 'offered the replaced copy and the new one');
    assert.equal(snapshot.derived(backends), value, 'kept');
    assert.deepEqual(value, [second]);
    assert.equal(builds, 1);
    // Carried, not rebuilt: reads recorded before the update do not count it as rebuilt since.
    assert.equal(snapshot.changeTestSince([first, second], versionBefore)({ all: false, allRelevant: undefined, kinds: new Set(), namespaces: new Set(), namespaceList: false, serviceSelectors: [], serviceNamespaces: new Set(), labelSelectors: [], analyses: new Set([backends as DerivedAnalysis<unknown>]) }), false);
    snapshot.upsert(scanned(pod('x', 'ns', { app: 'web' })));
    assert.equal(offered.length, 1, 'a new object is never carried');
    assert.equal(builds, 1);
    snapshot.derived(backends);
    assert.equal(builds, 2, 'a new selected object rebuilds it');
    accept = false;
    snapshot.upsert(scanned(pod('w', 'ns', { app: 'web' })));
    snapshot.derived(backends);
    assert.equal(builds, 3, 'declined: rebuilt');
  });

  test('the label index answers selectors exactly as a brute-force match, on snapshots and overlays', () => {
    const label = fc.constantFrom('app', 'tier', 'component');
    const value = fc.constantFrom('a', 'b', 'c');
    const labels = fc.dictionary(label, value, { maxKeys: 3 });
    const ns = fc.constantFrom('one', 'two');
    const workload = fc.record({ kind: fc.constantFrom('Pod', 'Deployment'), name: fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5'), ns, labels });
    fc.assert(
      fc.property(fc.array(workload, { maxLength: 12 }), fc.array(fc.record({ ns, selector: labels }), { minLength: 1, maxLength: 4 }), workload, (workloads, services, extra) => {
        const snapshot = newSnapshot();
        const make = (w: typeof extra): K8sObject => (w.kind === 'Pod' ? pod(w.name, w.ns, w.labels) : deployment(w.name, w.ns, w.labels));
        workloads.forEach((w, i) => snapshot.upsert(scanned(make(w), i)));
        const svcs = services.map((s, i) => service(`svc-${i}`, s.ns, s.selector));
        svcs.forEach((s, i) => snapshot.upsert(scanned(s, 100 + i)));
        const overlay = snapshot.overlay(scanned(make(extra), 999));
        for (const svc of svcs) {
          assert.deepEqual(names(snapshot.selectedByService(svc)), bruteForceSelected(snapshot, svc));
          assert.deepEqual(names(overlay.selectedByService(svc)), bruteForceSelected(overlay, svc));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('an overlay answers every query as a snapshot rebuilt with the object in it', () => {
    const label = fc.constantFrom('app', 'tier');
    const value = fc.constantFrom('a', 'b');
    const object = fc.record({ kind: fc.constantFrom('Pod', 'Service', 'ConfigMap'), name: fc.constantFrom('n1', 'n2', 'n3'), ns: fc.constantFrom('one', 'two'), labels: fc.dictionary(label, value, { maxKeys: 2 }) });
    const build = (o: { kind: string; name: string; ns: string; labels: Record<string, string> }): K8sObject =>
      o.kind === 'Service' ? service(o.name, o.ns, o.labels) : o.kind === 'Pod' ? pod(o.name, o.ns, o.labels) : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: o.name, namespace: o.ns, labels: o.labels } };
    fc.assert(
      fc.property(fc.array(object, { maxLength: 10 }), object, (objects, added) => {
        const snapshot = newSnapshot();
        objects.forEach((o, i) => snapshot.upsert(scanned(build(o), i)));
        const addedScanned = scanned(build(added), 500);
        const overlay = snapshot.overlay(addedScanned);
        const rebuilt = newSnapshot();
        objects.forEach((o, i) => rebuilt.upsert(scanned(build(o), i)));
        rebuilt.upsert(addedScanned);
        for (const kind of ['Pod', 'Service', 'ConfigMap']) assert.deepEqual(names(overlay.ofKind(kind)), names(rebuilt.ofKind(kind)));
        for (const namespace of ['one', 'two']) assert.deepEqual(names(overlay.inNamespace(namespace)), names(rebuilt.inNamespace(namespace)));
        assert.deepEqual(names(overlay.all), names(rebuilt.all));
        assert.equal(overlay.get(added.kind, added.ns, added.name)?.object, addedScanned.object);
        for (const svc of rebuilt.ofKind('Service')) assert.deepEqual(names(overlay.selectedByService(svc.object)), names(rebuilt.selectedByService(svc.object)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('name lookups', () => {
  // `get` answered from one string joining kind, namespace and name could not tell these apart.
  test('kind, namespace and name are told apart even when they hold the separator', () => {
    const snapshot = newSnapshot();
    const first: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b\u0000c', namespace: 'a' } };
    const second: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a\u0000b' } };
    snapshot.upsert(scanned(first));
    snapshot.upsert(scanned(second));
    assert.equal(snapshot.get('ConfigMap', 'a', 'b\u0000c')?.object, first);
    assert.equal(snapshot.get('ConfigMap', 'a\u0000b', 'c')?.object, second);
    snapshot.delete(second);
    assert.equal(snapshot.get('ConfigMap', 'a\u0000b', 'c'), undefined);
    assert.equal(snapshot.get('ConfigMap', 'a', 'b\u0000c')?.object, first);
  });

  test('a cluster copy and a file copy of one identity are both found, and deleted together', () => {
    const snapshot = newSnapshot();
    const object: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' } };
    const fromFile: ScannedObject = { object: { ...object }, origin: { kind: 'file', reader: 'file', file: 'a.yaml', documentIndex: 0 } };
    snapshot.upsert(scanned(object));
    snapshot.upsert(fromFile);
    assert.equal(snapshot.ofKind('Service').length, 2);
    assert.equal(snapshot.inNamespace('n').length, 2);
    assert.equal(snapshot.get('Service', 'n', 's')?.object, object);
    snapshot.delete(object);
    assert.equal(snapshot.ofKind('Service').length, 0);
    assert.equal(snapshot.get('Service', 'n', 's'), undefined);
    assert.deepEqual(snapshot.namespaces(), []);
  });
});
