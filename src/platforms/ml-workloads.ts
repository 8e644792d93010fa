import { labelsOf } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { podLabelsOf } from '../k8s/inventory.js';

export type MlWorkloadRole = 'pipeline' | 'notebook' | 'training';

const KIND_ROLES: Readonly<Record<string, MlWorkloadRole>> = {
  Workflow: 'pipeline',
  WorkflowTemplate: 'pipeline',
  ClusterWorkflowTemplate: 'pipeline',
  CronWorkflow: 'pipeline',
  PipelineSpec: 'pipeline',
  PipelineRun: 'pipeline',
  Notebook: 'notebook',
  TFJob: 'training',
  PyTorchJob: 'training',
  MPIJob: 'training',
  XGBoostJob: 'training',
  PaddleJob: 'training',
  JAXJob: 'training',
  MXJob: 'training',
  TrainJob: 'training',
  TrainingRuntime: 'training',
  ClusterTrainingRuntime: 'training',
};

/** Label keys the pipeline, notebook and training controllers put on the pods they create. */
const LABEL_ROLES: readonly (readonly [string, MlWorkloadRole])[] = [
  ['pipelines.kubeflow.org/', 'pipeline'],
  ['workflows.argoproj.io/', 'pipeline'],
  ['notebook-name', 'notebook'],
  ['training.kubeflow.org/', 'training'],
  ['trainer.kubeflow.org/', 'training'],
];

/**
 * Whether the object is a pipeline, notebook or training workload: by kind, or — for Pods and
 * controllers — by the labels those controllers stamp on their pods.
 */
export function mlWorkloadRole(object: K8sObject): MlWorkloadRole | undefined {
  const byKind = KIND_ROLES[object.kind];
  if (byKind) return byKind;
  for (const labels of [labelsOf(object), ...podLabelsOf(object)]) {
    for (const key of Object.keys(labels)) {
      const match = LABEL_ROLES.find(([prefix]) => key.startsWith(prefix));
      if (match) return match[1];
    }
  }
  return undefined;
}
