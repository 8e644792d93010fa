import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { evaluateObject, runRules } from '../../src/core/engine.js';
import { identityOf } from '../../src/core/snapshot.js';
import type { AdmissionOrigin, Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { profileNamespacesOf } from '../../src/rules/guardrails/profile-namespaces.js';

/**
 * Attacks on `evaluateObject`'s contract, each found by reading the code as an attacker would: an
 * admitted object whose verdict (or whose effect on other objects) differs from a full rescan of
 * the snapshot with it laid over is a way past the webhook.
 */

const admission: AdmissionOrigin = { kind: 'admission', uid: 'u-attack', operation: 'UPDATE', user: 'mallory', groups: ['system:authenticated'], dryRun: false };
const cluster = { kind: 'cluster' as const, context: 'test' };
const options = { rules: ALL_RULES, podLabelsOf };
const keyOf = (f: Finding): string => `${f.ruleId} ${f.severity} ${f.fingerprint} ${f.message}`;
const sameObject = (a: K8sObject, b: K8sObject): boolean => identityOf(a) === identityOf(b);
const isAbout = (f: Finding, o: K8sObject): boolean =>
  f.resource.kind === o.kind && f.resource.name === o.metadata?.name && (f.resource.namespace ?? '') === (o.metadata?.namespace ?? '');

/**
 * Evaluates `admitted` over a snapshot of `base` and checks both halves of the contract against
 * full rescans; returns what the rescan adds on other objects, for the test to assert it is real.
 */
function assertLikeRescan(base: readonly ScannedObject[], admittedObject: K8sObject): Finding[] {
  const snapshot = newSnapshot();
  for (const scanned of base) snapshot.upsert(scanned);
  const admitted: ScannedObject = { object: admittedObject, origin: admission };
  const evaluation = evaluateObject(snapshot, admitted, options);
  assert.deepEqual(evaluation.ruleErrors, []);
  const before = new Set(runRules(base, options).findings.map((f) => f.fingerprint));
  // The admitted object takes the place of the first stored copy, as an upsert does.
  const first = base.findIndex((s) => sameObject(s.object, admittedObject));
  const laid = first === -1 ? [...base, admitted] : base.flatMap((s, i) => (i === first ? [admitted] : sameObject(s.object, admittedObject) ? [] : [s]));
  const after = runRules(laid, options).findings;
  const onObject = after.filter((f) => isAbout(f, admittedObject));
  const added = after.filter((f) => !isAbout(f, admittedObject) && !before.has(f.fingerprint));
  assert.deepEqual(evaluation.findings.map(keyOf).sort(), onObject.map(keyOf).sort(), 'findings on the admitted object');
  assert.deepEqual(evaluation.introduced.map(keyOf).sort(), added.map(keyOf).sort(), 'findings introduced on other objects');
  return added;
}

const inCluster = (...objects: K8sObject[]): ScannedObject[] => objects.map((object) => ({ object, origin: cluster }));

describe('evaluateObject attacks on synthetic objects', () => {
  test('a ConfigMap update that turns an admitted Pod into a miner introduces the miner finding on the Pod', () => {
    // The Pod passed the webhook while its ConfigMap was benign; the pool URL arrives later.
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'worker', namespace: 'team' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'alpine:3.19',
            command: ['/app/run'],
            args: ['--url', '$(POOL)', '--user', '$(ACCOUNT)'],
            env: [
              { name: 'POOL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'endpoint' } } },
              { name: 'ACCOUNT', valueFrom: { configMapKeyRef: { name: 'settings', key: 'account' } } },
            ],
          },
        ],
      },
    };
    const benign: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' }, data: { endpoint: 'https://api.example.com', account: 'alice' } };
    const pool: K8sObject = { ...benign, data: { endpoint: 'stratum+ssl://pool.example.net:5555', account: 'alice' } };
    const added = assertLikeRescan(inCluster(pod, benign), pool);
    assert.ok(added.some((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === 'worker'), 'the rescan reports the miner');
  });
  test('a BackendConfig of another API group does not switch on Identity-Aware Proxy for an Ingress', () => {
    // GKE reads cloud.google.com BackendConfigs only. An admitted look-alike in another group was
    // found first by the overlay's group-less lookup, turning a critical exposure into an
    // authenticated one, and a full rescan disagreed.
    const ui: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ml-pipeline-ui', namespace: 'kubeflow' },
      spec: { selector: { matchLabels: { app: 'ml-pipeline-ui' } }, template: { metadata: { labels: { app: 'ml-pipeline-ui' } }, spec: { containers: [{ name: 'ui', image: 'gcr.io/ml-pipeline/frontend:2.0.0' }] } } },
    };
    const service: K8sObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ml-pipeline-ui', namespace: 'kubeflow', annotations: { 'cloud.google.com/backend-config': '{"default":"bc"}' } },
      spec: { selector: { app: 'ml-pipeline-ui' }, ports: [{ port: 80 }] },
    };
    const ingress: K8sObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'ui', namespace: 'kubeflow', annotations: { 'kubernetes.io/ingress.class': 'gce' } },
      spec: { defaultBackend: { service: { name: 'ml-pipeline-ui', port: { number: 80 } } } },
    };
    const real: K8sObject = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'bc', namespace: 'kubeflow' }, spec: { iap: { enabled: false } } };
    const lookalike: K8sObject = { apiVersion: 'attacker.example.com/v1', kind: 'BackendConfig', metadata: { name: 'bc', namespace: 'kubeflow' }, spec: { iap: { enabled: true } } };
    assert.deepEqual(assertLikeRescan(inCluster(ui, service, ingress, real), lookalike), []);
  });

  test('an overlay asked without a group answers as the snapshot would once the object is upserted', () => {
    const stored: K8sObject = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'bc', namespace: 'ns' } };
    const other: K8sObject = { apiVersion: 'example.com/v1', kind: 'BackendConfig', metadata: { name: 'bc', namespace: 'ns' } };
    const snapshot = newSnapshot();
    snapshot.upsert({ object: stored, origin: cluster });
    const overlay = snapshot.overlay({ object: other, origin: admission });
    snapshot.upsert({ object: other, origin: admission });
    assert.equal(overlay.get('BackendConfig', 'ns', 'bc')?.object, snapshot.get('BackendConfig', 'ns', 'bc')?.object);
    assert.equal(overlay.get('BackendConfig', 'ns', 'bc', 'example.com')?.object, other);
  });
});

describe('Snapshot.upsert keeps what a fresh build would give', () => {
  test('replacing the profile controller ConfigMap keeps its place, so a planted look-alike never wins', () => {
    // The first ConfigMap with namespace-labels.yaml gives every profile namespace its default
    // labels. An upsert used to move the replaced object to the end of its kind, so after a watch
    // event on the real ConfigMap a look-alike planted in another namespace came first.
    const real: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'namespace-labels-data', namespace: 'kubeflow' }, data: { 'namespace-labels.yaml': 'istio-injection: enabled\n' } };
    const planted: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'decoy', namespace: 'team' },
      data: { 'namespace-labels.yaml': 'pod-security.kubernetes.io/enforce: restricted\n' },
    };
    const profile: K8sObject = { apiVersion: 'kubeflow.org/v1', kind: 'Profile', metadata: { name: 'alice' }, spec: { owner: { kind: 'User', name: 'alice@example.com' } } };
    const snapshot = newSnapshot();
    for (const scanned of inCluster(real, planted, profile)) snapshot.upsert(scanned);
    profileNamespacesOf(snapshot);
    snapshot.upsert({ object: { ...real, metadata: { ...real.metadata, annotations: { touched: 'yes' } } }, origin: cluster });
    const fresh = newSnapshot();
    for (const scanned of snapshot.all) fresh.upsert(scanned);
    assert.deepEqual(profileNamespacesOf(snapshot).map((p) => p.labels), profileNamespacesOf(fresh).map((p) => p.labels));
    assert.equal(snapshot.ofKind('ConfigMap')[0]?.object.metadata?.name, 'namespace-labels-data');
  });

  test('an overlay lists the admitted object where the upsert puts it', () => {
    // First-match analyses (the notebook controller in `all`, the namespace-labels ConfigMap) must
    // pick the same object in an evaluation as in the snapshot once the object is upserted.
    const controller = (name: string, image: string): K8sObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'kubeflow' },
      spec: { template: { spec: { containers: [{ name: 'manager', image }] } } },
    });
    const snapshot = newSnapshot();
    for (const scanned of inCluster(controller('a', 'kubeflownotebookswg/notebook-controller:v1'), controller('b', 'kubeflownotebookswg/notebook-controller:v1'))) snapshot.upsert(scanned);
    const replaced: ScannedObject = { object: controller('a', 'kubeflownotebookswg/notebook-controller:v2'), origin: cluster };
    const overlay = snapshot.overlay(replaced);
    const names = (list: readonly ScannedObject[]): string[] => list.map((s) => String(s.object.metadata?.name));
    const [overlayAll, overlayKind] = [names(overlay.all), names(overlay.ofKind('Deployment'))];
    snapshot.upsert(replaced);
    assert.deepEqual(overlayAll, names(snapshot.all));
    assert.deepEqual(overlayKind, names(snapshot.ofKind('Deployment')));
    assert.deepEqual(overlayAll, ['a', 'b']);
  });
});

describe('evaluateObject attacks over the stock install', requiresShared(), () => {
  let stock: ScannedObject[] = [];

  before(async () => {
    const read = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
    stock = read.objects;
  });

  const stored = (kind: string, namespace: string, name: string): K8sObject => {
    const found = stock.find((s) => s.object.kind === kind && s.object.metadata?.namespace === namespace && s.object.metadata.name === name);
    assert.ok(found, `the stock install has ${kind} ${namespace}/${name}`);
    return found.object;
  };

  test('switching the JWT requirement to dry-run introduces the empty-token finding on a Notebook', () => {
    // Behind the authenticating gateway a Notebook's empty token is not reported; once the DENY
    // policy stops being enforced, the full rescan reports it on the Notebook, another object.
    const notebook: K8sObject = {
      apiVersion: 'kubeflow.org/v1',
      kind: 'Notebook',
      metadata: { name: 'open-lab', namespace: 'kubeflow-user-example-com' },
      spec: { template: { spec: { containers: [{ name: 'open-lab', image: 'jupyter/base-notebook:2024-01-01', command: ['start-notebook.sh', "--NotebookApp.token=''"] }] } } },
    };
    const requireJwt = stored('AuthorizationPolicy', 'istio-system', 'istio-ingressgateway-require-jwt');
    const dryRun: K8sObject = { ...requireJwt, metadata: { ...requireJwt.metadata, annotations: { 'istio.io/dry-run': 'true' } } };
    const added = assertLikeRescan([...stock, ...inCluster(notebook)], dryRun);
    assert.ok(added.some((f) => f.ruleId === 'jupyter-empty-token' && f.resource.name === 'open-lab'), 'the rescan reports the empty token');
  });
});
