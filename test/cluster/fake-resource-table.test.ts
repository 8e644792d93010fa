// The fake API server's plural for a kind served without a CRD must be the one a real server uses,
// or a client asking for the real resource (gateways) finds nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guessKind } from '../../src/testing/fake-apiserver/resource-table.js';

const pluralOf = (apiVersion: string, kind: string): string => guessKind({ apiVersion, kind, metadata: { name: 'x', namespace: 'n' } }).plural;

test('plurals follow the API server: gateways, authorizationpolicies, ingresses, rayclusters', () => {
  assert.equal(pluralOf('networking.istio.io/v1', 'Gateway'), 'gateways');
  assert.equal(pluralOf('gateway.networking.k8s.io/v1', 'Gateway'), 'gateways');
  assert.equal(pluralOf('security.istio.io/v1', 'AuthorizationPolicy'), 'authorizationpolicies');
  assert.equal(pluralOf('networking.k8s.io/v1', 'Ingress'), 'ingresses');
  assert.equal(pluralOf('ray.io/v1', 'RayCluster'), 'rayclusters');
});
