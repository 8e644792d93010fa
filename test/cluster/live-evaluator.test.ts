// The watch's judging, in process over a real snapshot and the real rules: changes become open,
// changed, resolved and folded findings, each once; full evaluations agree with incremental ones.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { FindingChange } from '../../src/watch/finding-tracker.js';
import { LiveEvaluator } from '../../src/watch/live-evaluator.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { labelsOf, refOf } from '../../src/core/object.js';
import { REPO_ROOT, requiresShared, sharedPath } from '../../src/testing/shared.js';
import { resourceKeyOf } from '../../src/watch/finding-tracker.js';
import { objectsOfFiles, objectsOfYaml } from './helpers.js';

const EXPOSED = join(REPO_ROOT, 'examples', 'exposed-kubeflow');

const origin = { kind: 'cluster', context: 'test' } as const;
const MINER = '[-o, "stratum+tcp://pool.supportxmr.com:3333"]';
const [deployment, ownedPod, claimingPod, cleanPod] = objectsOfYaml(`apiVersion: apps/v1
kind: Deployment
metadata: {name: farm, namespace: a}
spec:
  selector: {matchLabels: {app: farm}}
  template:
    metadata: {labels: {app: farm}}
    spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: ${MINER}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: farm-abc12-x, namespace: a, labels: {app: farm}, ownerReferences: [{kind: ReplicaSet, name: farm-abc12, controller: true}]}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: ${MINER}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: farm-abc12-y, namespace: a, ownerReferences: [{kind: ReplicaSet, name: farm-abc12, controller: true}]}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://xmr.other-pool.example:4444"]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: farm-abc12-x, namespace: a, labels: {app: farm}, ownerReferences: [{kind: ReplicaSet, name: farm-abc12, controller: true}]}
spec: {containers: [{name: c, image: nginx}]}`) as [K8sObject, K8sObject, K8sObject, K8sObject];

const states = (changes: readonly FindingChange[], name: string): string[] => changes.filter((c) => c.finding.resource.name === name).map((c) => `${c.state}:${c.finding.ruleId}`);

function apply(evaluator: LiveEvaluator, snapshot: ReturnType<typeof newSnapshot>, object: K8sObject): FindingChange[] {
  const scanned: ScannedObject = { object, origin };
  const { changes } = evaluator.judgeChange({ type: 'upsert', scanned }, snapshot);
  snapshot.upsert(scanned);
  return changes;
}

describe('live evaluator', () => {
  test('open once, folded into the owner, resolved on a clean update and on delete', () => {
    const snapshot = newSnapshot();
    const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    assert.deepEqual(evaluator.reconcile(snapshot).changes, []);
    const onDeployment = apply(evaluator, snapshot, deployment);
    assert.ok(states(onDeployment, 'farm').includes('open:crypto-miner-workload'), JSON.stringify(states(onDeployment, 'farm')));
    // Restating the same object is no news.
    assert.deepEqual(apply(evaluator, snapshot, { ...deployment, metadata: { ...deployment.metadata, resourceVersion: '2' } }), []);
    // The Deployment's own Pod: folded, nothing opens on it.
    assert.deepEqual(states(apply(evaluator, snapshot, ownedPod), 'farm-abc12-x').filter((s) => s.startsWith('open')), []);
    // A Pod claiming the same owner with a different pool is its own finding.
    assert.ok(states(apply(evaluator, snapshot, claimingPod), 'farm-abc12-y').includes('open:crypto-miner-workload'));
    // A full evaluation agrees: nothing new, nothing resolved.
    assert.deepEqual(evaluator.reconcile(snapshot).changes.map((c) => `${c.state}:${c.finding.resource.name}`), []);
    // The Deployment goes: at the next full evaluation its Pod's finding stands on its own.
    evaluator.judgeChange({ type: 'delete', object: deployment }, snapshot);
    snapshot.delete(deployment);
    const after = evaluator.reconcile(snapshot).changes;
    assert.ok(states(after, 'farm-abc12-x').includes('open:crypto-miner-workload'), JSON.stringify(states(after, 'farm-abc12-x')));
    // The Pod is cleaned up in place: its findings resolve.
    assert.ok(states(apply(evaluator, snapshot, cleanPod), 'farm-abc12-x').includes('resolved:crypto-miner-workload'));
    const gone = evaluator.judgeChange({ type: 'delete', object: claimingPod }, snapshot).changes;
    assert.ok(states(gone, 'farm-abc12-y').every((s) => s.startsWith('resolved:')) && gone.length > 0);
  });

  test('an open finding on the owner folds a Pod reported before it', () => {
    const snapshot = newSnapshot();
    const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    evaluator.reconcile(snapshot);
    assert.ok(states(apply(evaluator, snapshot, ownedPod), 'farm-abc12-x').includes('open:crypto-miner-workload'));
    apply(evaluator, snapshot, deployment);
    const folded = evaluator.reconcile(snapshot).changes.filter((c) => c.finding.resource.name === 'farm-abc12-x' && c.finding.ruleId === 'crypto-miner-workload');
    assert.deepEqual(folded.map((c) => [c.state, c.into?.kind, c.into?.name]), [['folded', 'Deployment', 'farm']]);
  });

  test('a full evaluation judged in slices gives what one pass gives, inventory-wide findings included', async () => {
    const objects = objectsOfFiles(...readdirSync(EXPOSED).map((f) => join(EXPOSED, f)));
    objects.push(deployment, claimingPod, objectsOfYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: team-x, labels: {app.kubernetes.io/part-of: kubeflow-profile}}')[0]!);
    const snapshot = newSnapshot();
    for (const object of objects) snapshot.upsert({ object, origin });
    const whole = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    const sliced = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    whole.reconcile(snapshot);
    await sliced.reconcileInSlices(snapshot, new Set(), { sliceMs: 0, batchSize: 2 });
    const fingerprints = (e: LiveEvaluator): string[] => e.tracker.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name} ${f.fingerprint}`).sort();
    assert.ok(whole.tracker.size > 5, `only ${whole.tracker.size} findings`);
    assert.ok(whole.tracker.findings.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'));
    assert.ok(whole.tracker.findings.some((f) => f.ruleId === 'profile-namespace-missing-resource-quota'), 'a whole-inventory rule finding');
    assert.deepEqual(fingerprints(sliced), fingerprints(whole));
  });

  test('objects changed while the slices run keep the findings their changes were judged to', async () => {
    const snapshot = newSnapshot();
    for (const object of [deployment, claimingPod]) snapshot.upsert({ object, origin });
    const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    evaluator.reconcile(snapshot);
    assert.ok(evaluator.tracker.findings.some((f) => f.resource.name === 'farm-abc12-y'));
    const touched = new Set<string>();
    const running = evaluator.reconcileInSlices(snapshot, touched, { sliceMs: 0, batchSize: 1 });
    // Between slices: the claiming Pod is deleted, a new miner Pod appears.
    await new Promise((resolve) => setImmediate(resolve));
    evaluator.judgeChange({ type: 'delete', object: claimingPod }, snapshot);
    snapshot.delete(claimingPod);
    touched.add(resourceKeyOf(refOf(claimingPod)));
    const newcomer = { ...claimingPod, metadata: { name: 'newcomer', namespace: 'a' } };
    apply(evaluator, snapshot, newcomer);
    touched.add(resourceKeyOf(refOf(newcomer)));
    const outcome = await running;
    assert.deepEqual(outcome?.changes.map((c) => `${c.state}:${c.finding.resource.name}`), [], 'nothing reopened or resolved by stale slices');
    const open = evaluator.tracker.findings.map((f) => f.resource.name);
    assert.ok(!open.includes('farm-abc12-y') && open.includes('newcomer') && open.includes('farm'), JSON.stringify(open));
  });

  test('a queued update is judged as a full evaluation would judge it, whole-inventory findings on it included', () => {
    const profile = objectsOfYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: team-x, labels: {app.kubernetes.io/part-of: kubeflow-profile}}')[0]!;
    const snapshot = newSnapshot();
    for (const object of [profile, claimingPod]) snapshot.upsert({ object, origin });
    const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    evaluator.reconcile(snapshot);
    const onProfile = (): string[] => evaluator.tracker.findings.filter((f) => f.resource.name === 'team-x').map((f) => f.ruleId).sort();
    assert.ok(onProfile().includes('profile-namespace-missing-resource-quota'), JSON.stringify(onProfile()));
    const before = onProfile();
    // The Namespace relabelled in place: its whole-inventory findings neither resolve nor repeat.
    const relabelled = { ...profile, metadata: { ...profile.metadata, labels: { ...labelsOf(profile), team: 'x' } } };
    snapshot.upsert({ object: relabelled, origin });
    assert.deepEqual(evaluator.judgeStored({ object: relabelled, origin }, snapshot).changes, []);
    assert.deepEqual(onProfile(), before);
    // The miner Pod cleaned in place: resolved.
    const cleaned = { ...claimingPod, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    snapshot.upsert({ object: cleaned, origin });
    const changes = evaluator.judgeStored({ object: cleaned, origin }, snapshot).changes;
    assert.ok(states(changes, 'farm-abc12-y').includes('resolved:crypto-miner-workload'), JSON.stringify(states(changes, 'farm-abc12-y')));
    // And a full evaluation afterwards has nothing to add.
    assert.deepEqual(evaluator.reconcile(snapshot).changes.map((c) => `${c.state}:${c.finding.ruleId}:${c.finding.resource.name}`), []);
  });

  test('queued updates of many kinds judged in turn by one evaluator get what each gets from a fresh one', () => {
    // A Kubeflow profile Namespace after a Pod of the same apiVersion: its whole-inventory finding
    // (no ResourceQuota) comes only from a rule list made for Namespaces.
    const profile = objectsOfYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: team-x, labels: {app.kubernetes.io/part-of: kubeflow-profile}}')[0]!;
    const objects = [claimingPod!, profile, ...objectsOfFiles(...readdirSync(EXPOSED).map((f) => join(EXPOSED, f))), deployment!, cleanPod!];
    const snapshot = newSnapshot();
    for (const object of objects) snapshot.upsert({ object, origin });
    const kinds = new Set(objects.map((o) => o.kind));
    assert.ok(kinds.size >= 4, [...kinds].join());
    const shared = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    const opened = (evaluator: LiveEvaluator, object: K8sObject): string[] =>
      evaluator.judgeStored({ object, origin }, snapshot).changes.map((c) => `${c.state}:${c.finding.ruleId}:${c.finding.resource.kind}/${c.finding.resource.name}`).sort();
    let findings = 0;
    // Kinds interleaved, so a rule list kept for one kind would be used on the next if keyed wrongly.
    for (const object of objects) {
      const alone = opened(new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG }), object);
      assert.deepEqual(opened(shared, object), alone, `${object.kind}/${object.metadata?.name}`);
      findings += alone.length;
    }
    assert.ok(findings >= 3, `${findings} findings: the objects must give some`);
  });
});

describe('watch: deleting the auth chain in front of an exposed gateway', requiresShared(), () => {
  test('the exposure its removal introduces opens at once, not at the next full evaluation', () => {
    const objects = objectsOfFiles(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')).map((object) =>
      object.kind === 'Service' && object.metadata?.name === 'istio-ingressgateway' ? ({ ...object, spec: { ...(object.spec as object), type: 'LoadBalancer' } } as K8sObject) : object,
    );
    const snapshot = newSnapshot();
    for (const object of objects) snapshot.upsert({ object, origin });
    const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
    evaluator.reconcile(snapshot);
    const jwt = objects.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata?.name === 'istio-ingressgateway-require-jwt')!;
    const { changes } = evaluator.judgeChange({ type: 'delete', object: jwt }, snapshot);
    const opened = changes.filter((c) => c.state === 'open' && c.finding.ruleId === 'kubeflow-dashboard-exposed' && c.finding.resource.name === 'istio-ingressgateway');
    assert.ok(opened.some((c) => c.finding.severity === 'critical'), JSON.stringify(changes.map((c) => [c.state, c.finding.ruleId, c.finding.resource.name, c.finding.severity])));
  });
});
