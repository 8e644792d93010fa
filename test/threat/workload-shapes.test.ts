import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { documentToObjects } from '../../src/sources/documents-to-objects.js';
import { runCase } from '../../src/testing/rule-tester.js';

const MINER = { name: 'm', image: 'alpine:3.19', command: ['/tmp/xmrig', '-o', 'stratum+tcp://pool.example.com:3333'] };
const podSpec = { containers: [MINER] };
const podTemplate = { template: { spec: podSpec } };
const obj = (apiVersion: string, kind: string, spec: unknown, extra: Record<string, unknown> = {}): K8sObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, spec, ...extra });
const argoTemplate = (template: Record<string, unknown>) => ({ entrypoint: 't', templates: [{ name: 't', ...template }] });

/** Every shape the issue lists, with the path the finding must point at. */
const SHAPES: readonly [string, K8sObject, string][] = [
  ['Pod', obj('v1', 'Pod', podSpec), 'spec.containers[0].command[2]'],
  ['Deployment', obj('apps/v1', 'Deployment', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['ReplicaSet', obj('apps/v1', 'ReplicaSet', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['StatefulSet', obj('apps/v1', 'StatefulSet', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['DaemonSet', obj('apps/v1', 'DaemonSet', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['Job', obj('batch/v1', 'Job', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['CronJob', obj('batch/v1', 'CronJob', { schedule: '* * * * *', jobTemplate: { spec: podTemplate } }), 'spec.jobTemplate.spec.template.spec.containers[0].command[2]'],
  ['ReplicationController', obj('v1', 'ReplicationController', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['Argo container', obj('argoproj.io/v1alpha1', 'Workflow', argoTemplate({ container: MINER })), 'spec.templates[0].container.command[2]'],
  ['Argo script.source', obj('argoproj.io/v1alpha1', 'WorkflowTemplate', argoTemplate({ script: { image: 'alpine', command: ['sh'], source: 'cd /tmp\n./xmrig -o stratum+tcp://pool.example.com:3333' } })), 'spec.templates[0].script.source'],
  ['Argo containerSet', obj('argoproj.io/v1alpha1', 'ClusterWorkflowTemplate', argoTemplate({ containerSet: { containers: [MINER] } })), 'spec.templates[0].containerSet.containers[0].command[2]'],
  ['Argo initContainers', obj('argoproj.io/v1alpha1', 'Workflow', argoTemplate({ container: { image: 'alpine' }, initContainers: [MINER] })), 'spec.templates[0].initContainers[0].command[2]'],
  ['Argo sidecars', obj('argoproj.io/v1alpha1', 'Workflow', argoTemplate({ container: { image: 'alpine' }, sidecars: [MINER] })), 'spec.templates[0].sidecars[0].command[2]'],
  ['Argo podSpecPatch', obj('argoproj.io/v1alpha1', 'Workflow', argoTemplate({ container: { image: 'alpine' }, podSpecPatch: JSON.stringify({ containers: [{ name: 'main', command: MINER.command }] }) })), 'spec.templates[0].podSpecPatch.containers[0].command[2]'],
  ['CronWorkflow', obj('argoproj.io/v1alpha1', 'CronWorkflow', { schedule: '* * * * *', workflowSpec: argoTemplate({ container: MINER }) }), 'spec.workflowSpec.templates[0].container.command[2]'],
  ['Notebook', obj('kubeflow.org/v1', 'Notebook', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['ScheduledWorkflow', obj('kubeflow.org/v1beta1', 'ScheduledWorkflow', { workflow: { spec: argoTemplate({ container: MINER }) } }), 'spec.workflow.spec.templates[0].container.command[2]'],
  ['TFJob', obj('kubeflow.org/v1', 'TFJob', { tfReplicaSpecs: { Worker: podTemplate } }), 'spec.tfReplicaSpecs.Worker.template.spec.containers[0].command[2]'],
  ['PyTorchJob', obj('kubeflow.org/v1', 'PyTorchJob', { pytorchReplicaSpecs: { Master: podTemplate } }), 'spec.pytorchReplicaSpecs.Master.template.spec.containers[0].command[2]'],
  ['MPIJob', obj('kubeflow.org/v2beta1', 'MPIJob', { mpiReplicaSpecs: { Launcher: podTemplate } }), 'spec.mpiReplicaSpecs.Launcher.template.spec.containers[0].command[2]'],
  ['XGBoostJob', obj('kubeflow.org/v1', 'XGBoostJob', { xgbReplicaSpecs: { Worker: podTemplate } }), 'spec.xgbReplicaSpecs.Worker.template.spec.containers[0].command[2]'],
  ['PaddleJob', obj('kubeflow.org/v1', 'PaddleJob', { paddleReplicaSpecs: { Worker: podTemplate } }), 'spec.paddleReplicaSpecs.Worker.template.spec.containers[0].command[2]'],
  ['JAXJob', obj('kubeflow.org/v1', 'JAXJob', { jaxReplicaSpecs: { Worker: podTemplate } }), 'spec.jaxReplicaSpecs.Worker.template.spec.containers[0].command[2]'],
  ['TrainJob', obj('trainer.kubeflow.org/v1alpha1', 'TrainJob', { trainer: { image: 'alpine', command: MINER.command } }), 'spec.trainer.command[2]'],
  ['TrainingRuntime', obj('trainer.kubeflow.org/v1alpha1', 'TrainingRuntime', { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: podTemplate } }] } } }), 'spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].command[2]'],
  ['Katib Experiment', obj('kubeflow.org/v1beta1', 'Experiment', { trialTemplate: { trialSpec: { apiVersion: 'batch/v1', kind: 'Job', spec: podTemplate } } }), 'spec.trialTemplate.trialSpec.spec.template.spec.containers[0].command[2]'],
  ['InferenceService', obj('serving.kserve.io/v1beta1', 'InferenceService', { predictor: { containers: [MINER] } }), 'spec.predictor.containers[0].command[2]'],
  ['InferenceService predictor.model, image from the ServingRuntime', obj('serving.kserve.io/v1beta1', 'InferenceService', { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b/m', command: MINER.command } } }), 'spec.predictor.model.command[2]'],
  ['InferenceService legacy framework spec', obj('serving.kserve.io/v1beta1', 'InferenceService', { predictor: { sklearn: { storageUri: 'gs://b/m', image: 'kserve/sklearnserver:v0.11.0', args: MINER.command } } }), 'spec.predictor.sklearn.args[2]'],
  ['InferenceService explainer', obj('serving.kserve.io/v1beta1', 'InferenceService', { predictor: { model: { modelFormat: { name: 'sklearn' } } }, explainer: { art: { type: 'SquareAttack', command: MINER.command } } }), 'spec.explainer.art.command[2]'],
  ['ServingRuntime', obj('serving.kserve.io/v1alpha1', 'ClusterServingRuntime', { supportedModelFormats: [{ name: 'sklearn' }], containers: [MINER] }), 'spec.containers[0].command[2]'],
  ['Pod exec probe', obj('v1', 'Pod', { containers: [{ name: 'app', image: 'python:3.12', startupProbe: { exec: { command: MINER.command } } }] }), 'spec.containers[0].startupProbe.exec.command[2]'],
  ['RayCluster', obj('ray.io/v1', 'RayCluster', { headGroupSpec: podTemplate, workerGroupSpecs: [] }), 'spec.headGroupSpec.template.spec.containers[0].command[2]'],
  ['RayJob', obj('ray.io/v1', 'RayJob', { rayClusterSpec: { workerGroupSpecs: [podTemplate] } }), 'spec.rayClusterSpec.workerGroupSpecs[0].template.spec.containers[0].command[2]'],
  ['RayService', obj('ray.io/v1', 'RayService', { rayClusterConfig: { headGroupSpec: podTemplate } }), 'spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].command[2]'],
  ['Knative Service', obj('serving.knative.dev/v1', 'Service', podTemplate), 'spec.template.spec.containers[0].command[2]'],
  ['JobSet', obj('jobset.x-k8s.io/v1alpha2', 'JobSet', { replicatedJobs: [{ name: 'w', template: { spec: podTemplate } }] }), 'spec.replicatedJobs[0].template.spec.template.spec.containers[0].command[2]'],
  ['unknown CRD', obj('example.com/v1', 'Thing', { deep: { nested: { containers: [MINER] } } }), 'spec.deep.nested.containers[0].command[2]'],
];

describe('crypto-miner-workload sees containers in every workload shape', () => {
  for (const [shape, object, path] of SHAPES) {
    it(shape, () => {
      const findings = runCase(cryptoMinerWorkload, { name: shape, objects: [object] });
      assert.deepEqual(findings.map((f) => [f.severity, f.path]), [['critical', path]]);
    });
  }

  it('KFP v2 IR PipelineSpec (recognised from a pipeline document)', () => {
    const ir = {
      pipelineInfo: { name: 'p' },
      root: { dag: { tasks: {} } },
      deploymentSpec: { executors: { 'exec-a': { container: { image: 'tensorflow/tensorflow:latest', command: MINER.command } } } },
    };
    const [scanned] = documentToObjects(ir, { kind: 'file' as const, reader: 'file' as const, file: 'test.yaml' }).objects;
    assert.equal(scanned?.object.kind, 'PipelineSpec');
    const findings = runCase(cryptoMinerWorkload, { name: 'ir', objects: [scanned!.object] });
    assert.deepEqual(findings.map((f) => [f.severity, f.path]), [['critical', 'deploymentSpec.executors.exec-a.container.command[2]']]);
  });
});
