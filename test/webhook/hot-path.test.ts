import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Rule } from '../../src/core/rule.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { handleReview, type JudgeContext } from '../../src/webhook/handler.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS, type DecisionSettings } from '../../src/webhook/settings.js';
import { minerPod, pipelinePod, review, startServer } from './harness.js';

/** The per-review path without the test hook: synchronous judging, the deadline after it, bounded metric labels. */

function context(rules: readonly Rule[], settings: Partial<DecisionSettings> = {}): JudgeContext {
  const snapshot = newSnapshot();
  return { rules, config: DEFAULT_CONFIG, settings: { ...DEFAULT_DECISION_SETTINGS, ...settings }, snapshot: () => snapshot, metrics: new WebhookMetrics(), logger: silentLogger() };
}

describe('webhook hot path', () => {
  test('without the test hook a review is judged synchronously and a miner is still denied', async () => {
    const ctx = context(ALL_RULES);
    const result = handleReview(review(minerPod()), ctx, performance.now());
    assert.ok(!(result instanceof Promise), 'no promise per review');
    const body = result.body as { response: { allowed: boolean; status?: { message: string } } };
    assert.equal(body.response.allowed, false);
    assert.match(body.response.status?.message ?? '', /crypto-miner/);
  });

  test('a rule that runs past the deadline is answered by the failure policy, although no timer could fire', async () => {
    const base = ALL_RULES.find((rule) => rule.meta.id === 'pod-privileged')!;
    const slow: Rule = {
      meta: { ...base.meta, id: 'test-slow' },
      check: () => {
        for (const until = performance.now() + 80; performance.now() < until; );
        return [];
      },
    };
    for (const failurePolicy of ['fail', 'ignore'] as const) {
      const result = await handleReview(review(pipelinePod()), context([slow], { failurePolicy, deadlineMs: 40 }), performance.now());
      const body = result.body as { response: { allowed: boolean; status?: { message: string }; warnings?: string[] } };
      assert.equal(body.response.allowed, failurePolicy === 'ignore');
      const said = failurePolicy === 'fail' ? (body.response.status?.message ?? '') : (body.response.warnings?.[0] ?? '');
      assert.match(said, /judging took longer than the 40 ms deadline/);
    }
  });

  test('kinds and operations a caller invents are counted as "other", never as new label values', async () => {
    const ctx = context([]);
    for (let i = 0; i < 50; i++) {
      const object = { apiVersion: 'example.com/v1', kind: `Invented${i}`, metadata: { name: `x${i}`, namespace: 'default' } };
      await handleReview(review(object, { kind: { group: 'example.com', version: 'v1', kind: `Invented${i}` }, operation: `OP${i}` }), ctx, performance.now());
    }
    await handleReview(review(pipelinePod()), ctx, performance.now());
    const text = await ctx.metrics.text();
    assert.doesNotMatch(text, /Invented|OP\d/);
    assert.match(text, /kfguard_webhook_requests_total\{kind="other",operation="other",decision="skipped"\} 50/);
    assert.match(text, /kfguard_webhook_requests_total\{kind="Pod",operation="CREATE",decision="skipped"\} 1/);
    assert.match(text, /kfguard_webhook_request_duration_seconds_count\{kind="other",decision="skipped"\} 50/);
  });

  test('the in-flight gauge is read from the server at scrape time: 1 while a review waits, 0 after', async () => {
    let release = (): void => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let entered = (): void => undefined;
    const judging = new Promise<void>((resolve) => (entered = resolve));
    const running = await startServer({ objects: [], rules: [], beforeJudge: () => (entered(), stuck) });
    try {
      const reply = running.post(review(minerPod()));
      await judging;
      assert.match((await running.get('/metrics')).text, /kfguard_webhook_in_flight_requests 1\n/);
      release();
      assert.equal((await reply).status, 200);
      assert.match((await running.get('/metrics')).text, /kfguard_webhook_in_flight_requests 0\n/);
    } finally {
      release();
      await running.close();
    }
  });
});
