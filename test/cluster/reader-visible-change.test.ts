// When a watched Pod or controller is updated, the objects whose findings read it (a Service
// selecting it) are judged again only if the update changed something they can see: content,
// a label read by value, or a label key some selector names. A label churn no selector names must
// not re-judge them (that cost half again the CPU per change), and anything else must.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import { readersCanSeeUpdate } from '../../src/exposure/reader-visible-change.js';

const origin = { kind: 'cluster', context: 'test' } as const;
const scanned = (object: K8sObject): ScannedObject => ({ object, origin });

const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a' }, spec: { selector: { tier: 'web' }, ports: [{ port: 80 }] } };
const policy: K8sObject = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'team-a' }, spec: { selector: { matchLabels: { 'security.example/zone': 'dmz' } } } };
const netpol: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'team-a' }, spec: { podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['db'] }] } } };

const pod = (labels: Record<string, string>, image = 'registry.example/app:1', resourceVersion = '1'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app-1', namespace: 'team-a', resourceVersion, labels },
  spec: { containers: [{ name: 'app', image }] },
});
const deployment = (templateLabels: Record<string, string>, ownLabels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'team-a', labels: ownLabels },
  spec: { selector: { matchLabels: { run: 'app' } }, template: { metadata: { labels: templateLabels }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } } },
  status: { observedGeneration: 1 },
});

const BASE = { run: 'app', 'pod-template-hash': '7d9f8c6b5' };

describe('readersCanSeeUpdate', () => {
  const inventory = buildInventory([service, policy, netpol].map(scanned));

  test('a label value no selector names and nothing reads by value: not visible', () => {
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, 'pod-template-hash': '000000001' }, undefined, '2'), inventory), false);
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, revision: '3' }), inventory), false, 'a new label no selector names');
    assert.equal(readersCanSeeUpdate(pod(BASE), pod(BASE, undefined, '9'), inventory), false, 'only the resourceVersion');
    const before = deployment(BASE);
    const after = { ...deployment({ ...BASE, 'pod-template-hash': 'x' }), status: { observedGeneration: 2 } };
    assert.equal(readersCanSeeUpdate(before, after, inventory), false, "a controller's template label churn and its status");
  });

  test('a label key a selector names: visible (map selectors, matchLabels, matchExpressions)', () => {
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, tier: 'web' }), inventory), true);
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, 'security.example/zone': 'dmz' }), inventory), true);
    assert.equal(readersCanSeeUpdate(pod({ ...BASE, role: 'db' }), pod(BASE), inventory), true, 'a label removed');
    assert.equal(readersCanSeeUpdate(deployment(BASE), deployment({ ...BASE, tier: 'web' }), inventory), true);
  });

  test('a label read by value (what a backend is taken for, the ingress gateway): visible with no selector naming it', () => {
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, app: 'centraldashboard' }), inventory), true);
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, istio: 'ingressgateway' }), inventory), true);
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, 'notebook-name': 'nb' }), inventory), true, 'a key the target catalogue names');
  });

  test('anything but labels and bookkeeping: visible', () => {
    assert.equal(readersCanSeeUpdate(pod(BASE), pod(BASE, 'docker.io/kubeflownotebookswg/centraldashboard:v1.9.0'), inventory), true);
    const annotated = pod(BASE);
    assert.equal(readersCanSeeUpdate(pod(BASE), { ...annotated, metadata: { ...annotated.metadata, annotations: { 'sidecar.istio.io/inject': 'false' } } }, inventory), true);
    const moved = deployment(BASE);
    assert.equal(readersCanSeeUpdate(deployment(BASE), { ...moved, spec: { ...(moved.spec as object), replicas: 3 } }, inventory), true);
  });

  test('a selector added to the snapshot later is seen: the keys follow the objects that hold selectors', () => {
    const later = buildInventory([service, { ...service, metadata: { name: 'canary', namespace: 'team-a' }, spec: { selector: { 'pod-template-hash': '000000001' } } }].map(scanned));
    assert.equal(readersCanSeeUpdate(pod(BASE), pod({ ...BASE, 'pod-template-hash': '000000001' }), later), true);
  });
});
