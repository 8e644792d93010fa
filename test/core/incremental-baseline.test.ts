import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { evaluateObject } from '../../src/core/engine.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import type { Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

/**
 * A webhook or a watch keeps one snapshot and changes it object by object; the baseline behind
 * `introduced` is then brought up to date from the change log instead of being rebuilt. After every
 * step of a sequence of changes, evaluating an object over the long-lived snapshot must give what
 * it gives over a snapshot built fresh from the same objects.
 */

const options = { rules: ALL_RULES, podLabelsOf };
const admission = { kind: 'admission' as const, uid: 'u', operation: 'CREATE', user: 'mallory', groups: [], dryRun: false };
const cluster = (i: number): ScannedObject['origin'] => ({ kind: 'cluster', context: 'watch', resourceVersion: String(i) });
const key = (f: Finding): string => `${f.ruleId} ${f.severity} ${f.fingerprint} ${f.message}`;

function fresh(from: Snapshot): Snapshot {
  const rebuilt = newSnapshot();
  for (const scanned of from.all) rebuilt.upsert(scanned);
  return rebuilt;
}

function introduced(snapshot: Snapshot, object: K8sObject): string[] {
  const result = evaluateObject(snapshot, { object, origin: admission }, options);
  assert.deepEqual(result.ruleErrors, []);
  return [...result.introduced.map(key), ...result.findings.map(key)].sort();
}

const configMap = (data: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'kubeflow-user-example-com' }, data });
const poolPod: K8sObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'trainer', namespace: 'kubeflow-user-example-com' },
  spec: { containers: [{ name: 'main', image: 'python:3.11', args: ['--endpoint=$(POOL)'], env: [{ name: 'POOL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'pool' } } }] }] },
};
const sideDoor: K8sObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'side-door', namespace: 'kubeflow' },
  spec: { gateways: ['kubeflow/kubeflow-gateway'], hosts: ['*'], http: [{ match: [{ uri: { prefix: '/side-door/' } }], route: [{ destination: { host: 'ml-pipeline.kubeflow.svc.cluster.local', port: { number: 8888 } } }] }] },
};

describe('introduced over a long-lived snapshot', requiresShared(), () => {
  let stock: ScannedObject[] = [];
  before(async () => {
    const read = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
    stock = read.objects;
  });

  test('matches a fresh snapshot after every change of a watch-like sequence', () => {
    const live = newSnapshot();
    stock.forEach((s, i) => live.upsert({ object: s.object, origin: cluster(i) }));
    const gateway = stock.find((s) => s.object.kind === 'Service' && s.object.metadata?.name === 'istio-ingressgateway')!.object;
    const probes: K8sObject[] = [configMap({ pool: 'stratum+tcp://memo.example:3333' }), sideDoor];
    // Evaluate once so every baseline exists before the changes start.
    for (const probe of probes) introduced(live, probe);

    let rv = 10_000;
    const steps: [string, () => void][] = [
      ['a harmless ConfigMap', () => live.upsert({ object: configMap({ pool: 'https://api.example' }), origin: cluster(++rv) })],
      ['a Pod reading it', () => live.upsert({ object: poolPod, origin: cluster(++rv) })],
      ['the gateway on a load balancer', () => live.upsert({ object: { ...gateway, spec: { ...(gateway.spec as object), type: 'LoadBalancer' } }, origin: cluster(++rv) })],
      ...stock
        .filter((s) => s.object.metadata?.namespace === 'istio-system' && ['AuthorizationPolicy', 'RequestAuthentication'].includes(s.object.kind))
        .map((s): [string, () => void] => [`delete ${s.object.kind} ${s.object.metadata?.name}`, () => live.delete(s.object)]),
      ['the Pod relabelled', () => live.upsert({ object: { ...poolPod, metadata: { ...poolPod.metadata, labels: { app: 'trainer' } } }, origin: cluster(++rv) })],
    ];
    let sawMiner = false;
    let sawRoute = false;
    for (const [name, change] of steps) {
      change();
      const reference = fresh(live);
      for (const probe of probes) {
        const got = introduced(live, probe);
        assert.deepEqual(got, introduced(reference, probe), `after ${name}, evaluating ${probe.kind} ${probe.metadata?.name}`);
        sawMiner ||= got.some((line) => line.startsWith('crypto-miner-workload critical'));
        sawRoute ||= got.some((line) => line.startsWith('kubeflow-dashboard-exposed critical'));
      }
    }
    assert.ok(sawMiner, 'the ConfigMap change introduces a miner on the Pod that reads it');
    assert.ok(sawRoute, 'the new route introduces a critical exposure once the gateway is open');
  });
});
