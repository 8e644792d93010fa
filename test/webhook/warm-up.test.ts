import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Rule } from '../../src/core/rule.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { handleReview } from '../../src/webhook/handler.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS, type FailurePolicy } from '../../src/webhook/settings.js';
import { minerPod, pipelinePod, review, startServer } from './harness.js';

const base = ALL_RULES.find((rule) => rule.meta.id === 'kubeflow-dashboard-exposed')!;

describe('warm-up before ready', () => {
  test('each rule has judged the snapshot before the server reports ready, not at the first review', async () => {
    const judged: string[] = [];
    const counting: Rule = { meta: { ...base.meta, id: 'test-counting' }, check: (object) => { judged.push(String(object.metadata?.name)); return []; } };
    const service = (name: string): ScannedObject => ({ object: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'kubeflow' }, spec: { type: 'ClusterIP' } }, origin: { kind: 'cluster', context: 'test' } });
    const running = await startServer({ rules: [counting], objects: [service('a'), service('b')] });
    try {
      // Ready, and no review has been sent: the snapshot's Services were judged already.
      assert.equal((await running.get('/readyz')).status, 200);
      assert.deepEqual(judged.filter((n) => n === 'a' || n === 'b').sort(), ['a', 'b']);
      const before = judged.length;
      await running.post(review({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c', namespace: 'kubeflow' }, spec: { type: 'ClusterIP' } }));
      // The first review judges its own object, and no stored one again.
      assert.deepEqual(judged.slice(before), ['c']);
      // Warm-up reviews are not counted as reviews.
      assert.doesNotMatch((await running.get('/metrics')).text, /kfguard_webhook_requests_total\{kind="Pod"/);
    } finally {
      await running.close();
    }
  });
});

describe('before the snapshot syncs', () => {
  async function answer(object: K8sObject, failurePolicy: FailurePolicy) {
    const context = { rules: ALL_RULES, config: DEFAULT_CONFIG, settings: { ...DEFAULT_DECISION_SETTINGS, failurePolicy }, metrics: new WebhookMetrics(), logger: silentLogger(), snapshot: () => undefined };
    const result = await handleReview(review(object), context, performance.now());
    return (result.body as { response: { allowed: boolean; status?: { message: string }; warnings?: string[] } }).response;
  }

  test('a miner Pod is denied under either failure policy: the threat rule needs no snapshot', async () => {
    for (const policy of ['ignore', 'fail'] as const) {
      const response = await answer(minerPod(), policy);
      assert.equal(response.allowed, false, policy);
      assert.match(response.status?.message ?? '', /crypto-miner-workload \(critical\)/);
    }
  });

  test('anything else follows the failure policy: ignore allows with a warning, fail denies', async () => {
    const ignored = await answer(pipelinePod(), 'ignore');
    assert.equal(ignored.allowed, true);
    assert.match(ignored.warnings?.[0] ?? '', /not judged: the snapshot is not loaded yet/);
    const failed = await answer(pipelinePod(), 'fail');
    assert.equal(failed.allowed, false);
    assert.match(failed.status?.message ?? '', /snapshot is not loaded yet/);
  });
});
