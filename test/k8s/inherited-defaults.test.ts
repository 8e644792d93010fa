import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import podPrivileged from '../../src/rules/workload-security/pod-privileged.rule.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { runCase } from '../../src/testing/rule-tester.js';
import { containersOf } from '../../src/k8s/workloads.js';

/**
 * Containers that take their image, command or securityContext from template defaults run with the
 * merged result, so they are judged with it: a container with no image of its own still runs.
 */

const MINER_COMMAND = ['/tmp/xmrig', '-o', 'stratum+tcp://pool.example.com:3333'];
const obj = (apiVersion: string, kind: string, body: Record<string, unknown>): K8sObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, ...body });

const argo = (defaults: Record<string, unknown>, template: Record<string, unknown>): K8sObject =>
  obj('argoproj.io/v1alpha1', 'Workflow', { spec: { entrypoint: 't', templateDefaults: defaults, templates: [{ name: 't', ...template }] } });
const tekton = (stepTemplate: Record<string, unknown>, step: Record<string, unknown>): K8sObject =>
  obj('tekton.dev/v1', 'Task', { spec: { stepTemplate, steps: [{ name: 's', ...step }] } });
const spark = (driver: Record<string, unknown>): K8sObject =>
  obj('sparkoperator.k8s.io/v1beta2', 'SparkApplication', { spec: { type: 'Python', image: 'spark:3.5.0', mainApplicationFile: 'local:///app.py', driver, executor: { instances: 1 } } });

const MINERS: readonly [string, K8sObject, string][] = [
  ['Argo templateDefaults.container image', argo({ container: { image: 'alpine:3.19' } }, { container: { command: MINER_COMMAND } }), 'spec.templates[0].container.command[2]'],
  ['Argo templateDefaults.container command', argo({ container: { image: 'alpine:3.19', command: MINER_COMMAND } }, { container: { args: ['--threads', '4'] } }), 'spec.templateDefaults.container.command[2]'],
  ['Argo templateDefaults.script image', argo({ script: { image: 'alpine:3.19' } }, { script: { command: ['sh'], source: '/tmp/xmrig -o stratum+tcp://pool.example.com:3333' } }), 'spec.templates[0].script.source'],
  ['Tekton stepTemplate image', tekton({ image: 'alpine:3.19' }, { command: MINER_COMMAND }), 'spec.steps[0].command[2]'],
  ['Spark driver template container', spark({ cores: 1, template: { spec: { containers: [{ name: 'spark-kubernetes-driver', command: MINER_COMMAND }] } } }), 'spec.driver.template.spec.containers[0].command[2]'],
  ['PodTemplate', obj('v1', 'PodTemplate', { template: { spec: { containers: [{ name: 'm', command: MINER_COMMAND }] } } }), 'template.spec.containers[0].command[2]'],
];

describe('inherited container fields are judged', () => {
  for (const [name, object, path] of MINERS) {
    it(`crypto-miner-workload: ${name}`, () => {
      const findings = runCase(cryptoMinerWorkload, { name, objects: [object] });
      assert.deepEqual(findings.map((f) => [f.severity, f.path]), [['critical', path]]);
    });
  }

  const PRIVILEGED: readonly [string, K8sObject][] = [
    ['Argo templateDefaults.container securityContext', argo({ container: { securityContext: { privileged: true } } }, { container: { image: 'alpine:3.19', securityContext: { runAsUser: 1000 } } })],
    ['Tekton stepTemplate securityContext', tekton({ securityContext: { privileged: true } }, { image: 'alpine:3.19' })],
    ['Spark driver securityContext', spark({ securityContext: { privileged: true } })],
  ];
  for (const [name, object] of PRIVILEGED) {
    it(`pod-privileged: ${name}`, () => {
      const findings = runCase(podPrivileged, { name, objects: [object] });
      assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.path)));
    });
  }

  it('an image-less container with no defaults to inherit is still not a container outside pod-spec positions', () => {
    const object = obj('example.com/v1', 'Thing', { spec: { deep: { containers: [{ name: 'm', command: MINER_COMMAND }] } } });
    assert.deepEqual(containersOf(object), []);
    // The threat rule still reads a custom resource's spec as text an operator may run (issue 15):
    // the finding names fields, not a container.
    const findings = runCase(cryptoMinerWorkload, { name: 'crd', objects: [object] });
    assert.ok(findings.length === 1 && findings[0]!.evidence!.every((line) => / in field spec\.deep\.containers\[0\]\.command\[\d\]$/.test(line)), JSON.stringify(findings));
  });
});
