import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { evaluateRemoval, runRules } from '../../src/core/engine.js';
import { identityOf } from '../../src/core/snapshot.js';
import type { AdmissionOrigin, Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

/**
 * `evaluateRemoval` judges deleting one object from a snapshot: its `introduced` findings must be
 * those a full rescan of the snapshot without the object has and a rescan with it has not.
 */

const admission: AdmissionOrigin = { kind: 'admission', uid: 'u-1', operation: 'DELETE', user: 'mallory', groups: ['system:authenticated'], dryRun: false };
// The auth chain is read by the exposure rules; a rescan of every rule would also count unrelated ones.
const rules = ALL_RULES.filter((r) => r.meta.category === 'exposure' || r.meta.id === 'ray-dashboard-no-auth' || r.meta.id === 'kfp-single-user-exposed');
const options = { rules, podLabelsOf };
const keyOf = (f: Finding): string => `${f.ruleId} ${f.severity} ${f.fingerprint}`;

describe('evaluateRemoval over the stock install with the gateway as a LoadBalancer', requiresShared(), () => {
  let objects: ScannedObject[] = [];
  let withAll: Set<string>;
  const named = (kind: string, name: string): ScannedObject => objects.find((s) => s.object.kind === kind && s.object.metadata?.name === name && s.object.metadata.namespace === 'istio-system') as ScannedObject;

  before(async () => {
    const read = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
    objects = read.objects.map((s) =>
      s.object.kind === 'Service' && s.object.metadata?.name === 'istio-ingressgateway' ? { ...s, object: { ...s.object, spec: { ...(s.object.spec as object), type: 'LoadBalancer' } } as K8sObject } : s,
    );
    withAll = new Set(runRules(objects, options).findings.map(keyOf));
  });

  for (const [kind, name, exposes] of [
    ['AuthorizationPolicy', 'istio-ingressgateway-require-jwt', true],
    ['AuthorizationPolicy', 'istio-ingressgateway-oauth2-proxy', false],
  ] as const) {
    test(`deleting ${kind} ${name} introduces what a rescan without it adds${exposes ? ' (the gateway exposed)' : ' (nothing: the JWT DENY still guards)'}`, () => {
      const snapshot = newSnapshot();
      for (const scanned of objects) snapshot.upsert(scanned);
      const target = named(kind, name);
      assert.ok(target, `the stock install has ${name}`);
      const evaluation = evaluateRemoval(snapshot, { object: target.object, origin: admission }, options);
      assert.deepEqual(evaluation.ruleErrors, []);
      assert.deepEqual(evaluation.findings, []);
      const without = runRules(objects.filter((s) => identityOf(s.object) !== identityOf(target.object)), options).findings;
      const expected = without.filter((f) => !withAll.has(keyOf(f))).map(keyOf).sort();
      assert.deepEqual(evaluation.introduced.map(keyOf).sort(), expected);
      const gatewayCritical = evaluation.introduced.some((f) => f.ruleId === 'kubeflow-dashboard-exposed' && f.severity === 'critical' && f.resource.name === 'istio-ingressgateway');
      assert.equal(gatewayCritical, exposes);
      // The snapshot itself is untouched.
      assert.equal(snapshot.copiesOf(target.object).length, 1);
    });
  }

  test('deleting an object the snapshot does not hold introduces nothing', () => {
    const snapshot = newSnapshot();
    for (const scanned of objects) snapshot.upsert(scanned);
    const ghost: K8sObject = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'not-there', namespace: 'istio-system' } };
    assert.deepEqual(evaluateRemoval(snapshot, { object: ghost, origin: admission }, options).introduced, []);
  });
});
