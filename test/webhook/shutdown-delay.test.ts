import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { webhookManifests } from '../../src/webhook/manifests.js';
import { DEFAULT_SHUTDOWN_DELAY_SECONDS, DRAIN_GRACE_MS } from '../../src/webhook/settings.js';
import { minerPod, review, startServer } from './harness.js';

/**
 * A rollout must not deny reviews: after SIGTERM the endpoints still route to the pod for a while,
 * and with failurePolicy Fail a closed listener is a denial. Over real TLS on loopback.
 */
describe('shutdown delay', () => {
  test('not ready at once, still judging new connections during the delay, closed after the drain', async () => {
    const running = await startServer({ objects: [] });
    assert.equal((await running.get('/readyz')).status, 200);
    const stopped = running.server.shutdown(1_500, 1_000);
    const readyz = await running.get('/readyz');
    assert.equal(readyz.status, 503);
    assert.equal(readyz.json.stopping, true);
    // A new connection during the delay is accepted and judged, not refused.
    const reply = await running.post(review(minerPod()));
    assert.equal(reply.status, 200);
    assert.equal(reply.json.response.allowed, false, reply.text);
    await stopped;
    await assert.rejects(running.get('/healthz'), /ECONNREFUSED/);
  });

  test('the Deployment gives the shutdown delay and the drain time before the kubelet kills it', () => {
    const deployment = webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }).find((o) => o.kind === 'Deployment') as K8sObject & { spec: { template: { spec: { terminationGracePeriodSeconds: number } } } };
    assert.ok(DEFAULT_SHUTDOWN_DELAY_SECONDS >= 2, 'a delay of a few seconds');
    assert.ok(deployment.spec.template.spec.terminationGracePeriodSeconds > DEFAULT_SHUTDOWN_DELAY_SECONDS + DRAIN_GRACE_MS / 1000);
  });
});
