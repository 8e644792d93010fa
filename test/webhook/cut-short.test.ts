import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { K8sObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { SCAN_LIMITS } from '../../src/threat/scan-queue.js';
import { handleReview, type JudgeContext } from '../../src/webhook/handler.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS, type DecisionSettings } from '../../src/webhook/settings.js';
import { review } from './harness.js';

/**
 * A verdict a cap cut short is no verdict. An acceptance review nested a miner in four base64
 * layers, one past the scanner's depth, and the webhook only warned ("text not examined", high)
 * under its default deny line. Whatever the depth, one more layer costs the author nothing.
 */

const MINER = 'xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

function wrapped(layers: number): K8sObject {
  let script = MINER;
  for (let i = 0; i < layers; i++) script = `echo ${Buffer.from(script).toString('base64')} | base64 -d | sh`;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `layers-${layers}`, namespace: 'team' }, spec: { containers: [{ name: 'm', image: 'alpine:3.20', command: ['sh', '-c', script] }] } };
}

function context(settings: Partial<DecisionSettings> = {}): JudgeContext {
  const snapshot = newSnapshot();
  return { rules: ALL_RULES, config: DEFAULT_CONFIG, settings: { ...DEFAULT_DECISION_SETTINGS, ...settings }, snapshot: () => snapshot, metrics: new WebhookMetrics(), logger: silentLogger() };
}

interface Answer {
  response: { allowed: boolean; status?: { message: string }; warnings?: string[]; auditAnnotations?: Record<string, string> };
}

async function answer(object: K8sObject, settings: Partial<DecisionSettings> = {}): Promise<Answer['response']> {
  const result = await handleReview(review(object), context(settings), performance.now());
  return (result.body as Answer).response;
}

describe('webhook: a threat verdict cut short by a cap', () => {
  test('four base64 layers, which slipped past before, are followed and denied as a miner', async () => {
    const response = await answer(wrapped(4));
    assert.equal(response.allowed, false);
    assert.match(response.status?.message ?? '', /crypto-miner-workload \(critical\)/);
  });

  test('one layer past the depth limit: failure policy "fail" denies and says why', async () => {
    const response = await answer(wrapped(SCAN_LIMITS.maxDepth + 1));
    assert.equal(response.allowed, false);
    assert.match(response.status?.message ?? '', /judging was cut short \(crypto-miner-workload: not fully evaluated: text nested more than \d+ levels deep/);
    assert.equal(response.auditAnnotations?.decision, 'error');
  });

  test('failure policy "ignore" lets it through, with a warning that says it was not judged', async () => {
    const response = await answer(wrapped(SCAN_LIMITS.maxDepth + 1), { failurePolicy: 'ignore' });
    assert.equal(response.allowed, true);
    assert.match(response.warnings?.[0] ?? '', /not judged: judging was cut short/);
  });

  test('an exemption from the server config for the threat rule also covers its cut-short verdict', async () => {
    const exemptions = [{ namespaces: ['team'], rules: ['crypto-miner-workload'], reason: 'test' }];
    const response = await answer(wrapped(SCAN_LIMITS.maxDepth + 1), { exemptions } as Partial<DecisionSettings>);
    assert.equal(response.allowed, true);
  });
});
