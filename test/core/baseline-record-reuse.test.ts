// The engine's baselines keep a record per judged object and rule. A record re-judged the same (an
// unchanged Service re-judged because Pods changed, a Pod's new copy judged as its old one was) must
// be kept, not replaced: in a watch, a replaced record is old-generation garbage, and that garbage
// is what fragments the heap (docs/benchmarks.md, h-watchflat11). A judgement that changed must
// still replace it.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { baselineRecordOf, evaluateObject } from '../../src/core/engine.js';
import { identityOf, type Snapshot } from '../../src/core/snapshot.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';

const options = { rules: ALL_RULES, config: DEFAULT_CONFIG, podLabelsOf };
const origin = (version: number): ScannedObject['origin'] => ({ kind: 'cluster', context: 'test', resourceVersion: String(version) });
const PODS = 100;
const APP = { name: 'app', image: 'registry.example/app:1.0' };
const pod = (i: number, hash: string, container: Record<string, unknown> = APP): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `app-${i}`, namespace: 'team', labels: { app: `app-${i % 4}`, 'pod-template-hash': hash } },
  spec: { serviceAccountName: 'default', containers: [container] },
});
const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app-0', namespace: 'team' }, spec: { type: 'LoadBalancer', selector: { app: 'app-0' }, ports: [{ port: 80 }] } };

let version = 0;
/**
 * A copy as a source stores it. With `identity`, as the live snapshot stores it (the baselines then
 * key their records by identity, and an update replaces a record in place: `CopyRecords`).
 */
let withIdentity = false;
const copy = (object: K8sObject): ScannedObject => (withIdentity ? { object, origin: origin(++version), identity: identityOf(object)! } : { object, origin: origin(++version) });
function cluster(): { snapshot: Snapshot; service: ScannedObject } {
  const snapshot = newSnapshot();
  snapshot.upsert(copy({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }));
  const stored = copy(service);
  snapshot.upsert(stored);
  for (let i = 0; i < PODS; i++) snapshot.upsert(copy(pod(i, 'aaaa')));
  return { snapshot, service: stored };
}

/** What the watch does when idle (`LiveEvaluator.warm`): a Pod evaluated, baselines brought up to date. */
function warm(snapshot: Snapshot): void {
  evaluateObject(snapshot, snapshot.copiesOf(pod(0, ''))[0]!, options);
}

const recordsOf = (snapshot: Snapshot, scanned: ScannedObject): Map<string, object> =>
  new Map(ALL_RULES.flatMap((rule) => {
    const record = baselineRecordOf(snapshot, DEFAULT_CONFIG, rule.meta.id, scanned);
    return record ? [[rule.meta.id, record] as const] : [];
  }));

for (const identity of [false, true]) {
  describe(`baseline records re-judged the same are kept (copies ${identity ? 'with' : 'without'} an identity)`, () => {
    beforeEach(() => {
      withIdentity = identity;
    });

    test('an unchanged Service keeps its records when a churn of Pods rebuilds its rules', () => {
      const { snapshot, service: stored } = cluster();
      warm(snapshot);
      const before = recordsOf(snapshot, stored);
      assert.ok(before.has('kubeflow-dashboard-exposed'), 'the exposure rule judges the Service and reads Pods');
      // More changes than a baseline updates one by one (64): the next use rebuilds it whole.
      for (let i = 0; i < PODS; i++) snapshot.upsert(copy(pod(i, 'bbbb')));
      warm(snapshot);
      const after = recordsOf(snapshot, stored);
      assert.deepEqual([...after.keys()], [...before.keys()]);
      for (const [ruleId, record] of before) assert.equal(after.get(ruleId), record, `${ruleId}: the record was replaced`);
    });

    test("a Pod's new copy keeps its old copy's records when judged the same, and not when judged otherwise", () => {
      const { snapshot } = cluster();
      warm(snapshot);
      const old = [1, 2].map((i) => snapshot.copiesOf(pod(i, ''))[0]!);
      const before = old.map((scanned) => recordsOf(snapshot, scanned));
      assert.ok(before[0]!.size > 0, 'rules reading Pods hold records of Pods');
      // A few changes: the baselines bring them in one by one. Pod 1 only relabelled; pod 2 now runs
      // a notebook server with an empty token, a new verdict of a rule that reads Pods.
      snapshot.upsert(copy(pod(1, 'bbbb')));
      snapshot.upsert(copy(pod(2, 'bbbb', { name: 'nb', image: 'quay.io/jupyter/base-notebook:2024-05-27', args: ['start-notebook.sh', '--NotebookApp.token', ''] })));
      warm(snapshot);
      const now = [1, 2].map((i) => snapshot.copiesOf(pod(i, ''))[0]!);
      assert.notEqual(now[0], old[0]);
      const relabelled = recordsOf(snapshot, now[0]!);
      assert.deepEqual([...relabelled.keys()].sort(), [...before[0]!.keys()].sort());
      for (const [ruleId, record] of before[0]!) assert.equal(relabelled.get(ruleId), record, `${ruleId}: the relabelled Pod's record was replaced`);
      const miner = recordsOf(snapshot, now[1]!);
      const replaced = [...before[1]!].filter(([ruleId, record]) => miner.get(ruleId) !== record).map(([ruleId]) => ruleId);
      assert.ok(replaced.includes('jupyter-empty-token'), `the notebook's verdict is a new record (replaced: ${replaced.join(', ')})`);
      // The old copies' records are gone with them.
      for (const scanned of old) assert.equal(recordsOf(snapshot, scanned).size, 0);
    });
  });
}
