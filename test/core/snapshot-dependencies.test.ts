import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DerivedAnalysis } from '../../src/core/inventory.js';
import { DependencyRecorder } from '../../src/core/snapshot-dependencies.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';

const scanned = (object: K8sObject): ScannedObject => ({ object, origin: { kind: 'cluster', context: 'test' } });
const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'a' }, spec: { selector: { app: 'x' } } };

// The recorder shares empty sets and lists between recordings until one reads something (a live
// snapshot keeps a recording per object and rule): a write must never reach another recording.
describe('DependencyRecorder', () => {
  const snapshot = newSnapshot();
  snapshot.upsert(scanned(pod));
  snapshot.upsert(scanned(service));
  const analysis: DerivedAnalysis<number> = { name: 'test-count', build: (inventory) => inventory.ofKind('Pod').length };

  test('recordings that read different things keep them apart, and one that read nothing stays empty', () => {
    const first = new DependencyRecorder(snapshot);
    const second = new DependencyRecorder(snapshot);
    const idle = new DependencyRecorder(snapshot);
    first.inventory.ofKind('Pod');
    first.inventory.inNamespace('a');
    first.inventory.selectedByService(service);
    first.inventory.matchingLabelSelector('a', { matchLabels: { app: 'x' } });
    first.inventory.derived(analysis);
    second.inventory.get('Service', 'a', 's');
    second.inventory.servicesSelecting(pod);
    second.inventory.matchingLabelSelector('b', { matchLabels: { app: 'y' } }, ['Pod']);

    assert.deepEqual([...first.dependencies.kinds], ['Pod']);
    assert.deepEqual([...first.dependencies.namespaces], ['a']);
    assert.deepEqual(first.dependencies.serviceSelectors, [{ namespace: 'a', selector: { app: 'x' } }]);
    assert.deepEqual(first.dependencies.labelSelectors, [{ namespace: 'a', selector: { matchLabels: { app: 'x' } } }]);
    assert.deepEqual([...first.dependencies.analyses], [analysis]);
    assert.deepEqual([...first.dependencies.serviceNamespaces], []);

    assert.deepEqual([...second.dependencies.kinds], ['Service']);
    assert.deepEqual([...second.dependencies.serviceNamespaces], ['a']);
    assert.deepEqual(second.dependencies.labelSelectors, [{ namespace: 'b', selector: { matchLabels: { app: 'y' } }, kinds: ['Pod'] }]);
    assert.deepEqual([...second.dependencies.namespaces], []);
    assert.deepEqual(second.dependencies.serviceSelectors, []);
    assert.deepEqual([...second.dependencies.analyses], []);

    assert.equal(idle.read, false);
    const d = idle.dependencies;
    assert.equal(d.kinds.size + d.namespaces.size + d.serviceNamespaces.size + d.analyses.size + d.serviceSelectors.length + d.labelSelectors.length, 0);
    assert.equal(first.read, true);
    assert.equal(second.read, true);
  });

  test('a sort read twice is recorded once, in the recording’s own set', () => {
    const recorder = new DependencyRecorder(snapshot);
    recorder.inventory.ofKind('Pod');
    const kinds = recorder.dependencies.kinds;
    recorder.inventory.get('Pod', 'a', 'p');
    recorder.inventory.ofKind('Service');
    assert.equal(recorder.dependencies.kinds, kinds);
    assert.deepEqual([...kinds].sort(), ['Pod', 'Service']);
    assert.equal(new DependencyRecorder(snapshot).dependencies.kinds.size, 0);
  });

  test('recordings that read nothing allocate no sets of their own', () => {
    const a = new DependencyRecorder(snapshot).dependencies;
    const b = new DependencyRecorder(snapshot).dependencies;
    assert.equal(a.kinds, b.kinds);
    assert.equal(a.namespaces, b.namespaces);
    assert.equal(a.serviceNamespaces, b.serviceNamespaces);
    assert.equal(a.analyses, b.analyses);
    assert.equal(a.serviceSelectors, b.serviceSelectors);
    assert.equal(a.labelSelectors, b.labelSelectors);
  });
});
