import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { containersOf } from '../../src/k8s/workloads.js';
import { mlWorkloadRole } from '../../src/platforms/ml-workloads.js';

/**
 * `containersOf` keeps the last answer beside its WeakMap and notes Argo `templateDefaults` in one
 * Map for the whole scan (emptied after each walk), and reads them only where `templates` is an
 * own key. These tests fail when state from one object's walk leaks into another's, when the
 * last answer is returned for another object, or when the defaults are missed for a key order.
 */

const workflow = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w', namespace: 'ns' }, spec });

describe('containersOf: walk state kept between objects', () => {
  it('defaults noted for one workflow do not reach a template record another workflow shares (YAML aliases share records)', () => {
    const shared = { name: 't', container: { command: ['run'] } };
    const withDefaults = workflow({ templateDefaults: { container: { image: 'alpine:3.19' } }, templates: [shared] });
    const without = workflow({ templates: [shared] });
    // The defaults' own container is one too (it has an image); the template's inherits that image.
    assert.deepEqual(containersOf(withDefaults).map((ref) => [ref.path, ref.container.image]), [
      ['spec.templateDefaults.container', 'alpine:3.19'],
      ['spec.templates[0].container', 'alpine:3.19'],
    ]);
    // The shared record has no image of its own: without defaults it is no container at all.
    assert.deepEqual(containersOf(without), []);
  });

  it('defaults declared after the templates still reach them', () => {
    const object = workflow({ templates: [{ name: 't', script: { source: 'echo' } }], templateDefaults: { script: { image: 'python:3.12' } } });
    assert.deepEqual(containersOf(object).map((ref) => [ref.path, ref.container.image]), [
      ['spec.templates[0].script', 'python:3.12'],
      ['spec.templateDefaults.script', 'python:3.12'],
    ]);
  });

  it('a `templateDefaults` with no `templates` beside it gives nothing to inherit', () => {
    const object = workflow({ templateDefaults: { container: { image: 'alpine:3.19' } }, steps: [{ name: 't', container: { command: ['run'] } }] });
    assert.deepEqual(containersOf(object).map((ref) => ref.path), ['spec.templateDefaults.container']);
  });

  it('the last answer is only for the object it was computed for', () => {
    const pod = (image: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: image }, spec: { containers: [{ name: 'c', image }] } });
    const a = pod('a:1');
    const b = pod('b:1');
    assert.equal(containersOf(a)[0]?.container.image, 'a:1');
    assert.equal(containersOf(b)[0]?.container.image, 'b:1');
    assert.equal(containersOf(a)[0]?.container.image, 'a:1');
    assert.equal(containersOf(a), containersOf(a), 'the same list, not a new walk');
  });

  it('a walk that throws leaves no defaults behind for the next object', () => {
    const shared = { name: 't', container: { command: ['run'] } };
    // A getter that throws stands for any failure inside the walk after the defaults were noted.
    const failing = workflow({ templateDefaults: { container: { image: 'alpine:3.19' } }, templates: [shared] });
    Object.defineProperty(failing.spec as object, 'zz', { enumerable: true, get: () => { throw new Error('boom'); } });
    assert.throws(() => containersOf(failing), /boom/);
    assert.deepEqual(containersOf(workflow({ templates: [shared] })), []);
  });
});

describe('mlWorkloadRole: the last answer', () => {
  it('answers for each object in turn, and reads a Pod\'s labels once without changing its role', () => {
    const pipelinePod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { 'workflows.argoproj.io/workflow': 'w' } }, spec: {} };
    const plainPod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', labels: { app: 'x' } }, spec: {} };
    const deployment: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: { labels: { 'notebook-name': 'n' } }, spec: { containers: [{ name: 'c', image: 'jupyter:1' }] } } } };
    assert.equal(mlWorkloadRole(pipelinePod), 'pipeline');
    assert.equal(mlWorkloadRole(plainPod), undefined);
    assert.equal(mlWorkloadRole(pipelinePod), 'pipeline');
    assert.equal(mlWorkloadRole(deployment), 'notebook', "a controller's pod-template labels still count");
  });
});
