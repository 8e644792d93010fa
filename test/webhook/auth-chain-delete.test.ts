import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { requiresShared } from '../../src/testing/shared.js';
import { review, startServer, stockObjects, type Running } from './harness.js';

/**
 * Deleting the auth chain in front of an exposed gateway is judged, over real TLS: the snapshot
 * without the object, denied for the exposure its removal introduces (issue 10: "Istio
 * AuthorizationPolicy changes that would remove the auth chain").
 */

const policy = (objects: readonly ScannedObject[], name: string): K8sObject =>
  objects.find((s) => s.object.kind === 'AuthorizationPolicy' && s.object.metadata?.name === name && s.object.metadata.namespace === 'istio-system')!.object;

/** A DELETE as the API server sends it: no object, the stored one as oldObject. */
const deletion = (object: K8sObject, overrides: Record<string, unknown> = {}): string => review(object, { operation: 'DELETE', object: null, oldObject: object, ...overrides });

describe('deleting the auth chain in front of a LoadBalancer gateway', requiresShared(), () => {
  let running: Running;
  let objects: ScannedObject[];
  before(async () => {
    objects = (await stockObjects()).map((s) =>
      s.object.kind === 'Service' && s.object.metadata?.name === 'istio-ingressgateway' ? { ...s, object: { ...s.object, spec: { ...(s.object.spec as object), type: 'LoadBalancer' } } as K8sObject } : s,
    );
    running = await startServer({ objects });
  });
  after(() => running.close());

  test('deleting istio-ingressgateway-require-jwt is denied, naming the gateway it exposes', async () => {
    const reply = await running.post(deletion(policy(objects, 'istio-ingressgateway-require-jwt')));
    assert.equal(reply.json.response.allowed, false, reply.text);
    assert.match(reply.json.response.status.message, /kfguard denied AuthorizationPolicy istio-system\/istio-ingressgateway-require-jwt/);
    assert.match(reply.json.response.status.message, /kubeflow-dashboard-exposed \(critical\) on Service istio-system\/istio-ingressgateway/);
  });

  test('a DELETE without oldObject is judged from the snapshot copy it names', async () => {
    const jwt = policy(objects, 'istio-ingressgateway-require-jwt');
    const reply = await running.post(review(jwt, { operation: 'DELETE', object: null }));
    assert.equal(reply.json.response.allowed, false, reply.text);
  });

  test('retargeting the same policy is denied too (the UPDATE path)', async () => {
    const jwt = policy(objects, 'istio-ingressgateway-require-jwt');
    const retargeted = { ...jwt, spec: { ...(jwt.spec as object), selector: { matchLabels: { app: 'nothing-here' } } } };
    const reply = await running.post(review(retargeted, { operation: 'UPDATE', oldObject: jwt }));
    assert.equal(reply.json.response.allowed, false, reply.text);
  });

  test('moving the same policy onto targetRefs (a Kubernetes Gateway, not these pods) is denied', async () => {
    const jwt = policy(objects, 'istio-ingressgateway-require-jwt');
    const { selector: _selector, ...rest } = jwt.spec as Record<string, unknown>;
    const moved = { ...jwt, spec: { ...rest, targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'elsewhere' }] } };
    const reply = await running.post(review(moved, { operation: 'UPDATE', oldObject: jwt }));
    assert.equal(reply.json.response.allowed, false, reply.text);
  });

  test('deleting the CUSTOM oauth2-proxy policy is allowed: the JWT DENY still refuses requests without a principal', async () => {
    const reply = await running.post(deletion(policy(objects, 'istio-ingressgateway-oauth2-proxy')));
    assert.equal(reply.json.response.allowed, true, reply.text);
  });

  test('deleting a policy that guards nothing the gateway routes, and a Pod, are allowed', async () => {
    const knative = objects.find((s) => s.object.kind === 'AuthorizationPolicy' && s.object.metadata?.namespace === 'knative-serving')!.object;
    assert.equal((await running.post(deletion(knative))).json.response.allowed, true);
    const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'kubeflow' }, spec: { containers: [] } };
    assert.equal((await running.post(deletion(pod))).json.response.allowed, true);
  });
});

describe('deleting the auth chain while the gateway is ClusterIP', requiresShared(), () => {
  test('is allowed: nothing outside the cluster reaches the gateway', async () => {
    const running = await startServer();
    try {
      const reply = await running.post(deletion(policy(await stockObjects(), 'istio-ingressgateway-require-jwt')));
      assert.equal(reply.json.response.allowed, true, reply.text);
    } finally {
      await running.close();
    }
  });
});
