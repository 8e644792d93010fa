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
  // Two supply-chain rules ask in turn about the object being judged: the last answer is kept.
  if (object === lastObject) return lastRole;
  lastRole = roleOf(object);
  lastObject = object;
  return lastRole;
}

let lastObject: K8sObject | undefined;
let lastRole: MlWorkloadRole | undefined;

function roleOf(object: K8sObject): MlWorkloadRole | undefined {
  const byKind = KIND_ROLES[object.kind];
  if (byKind) return byKind;
  // No list of label sets and no closure per key: every rule that asks runs this on every object.
  const ownLabels = labelsOf(object);
  const own = roleByLabels(ownLabels);
  if (own) return own;
  for (const labels of podLabelsOf(object)) {
    // A Pod's pod labels are its own labels, just read: they give no role.
    if (labels === ownLabels) continue;
    const role = roleByLabels(labels);
    if (role) return role;
  }
  return undefined;
}

/** The role of the first label key (in the object's order) that a controller's prefix starts. */
function roleByLabels(labels: Readonly<Record<string, string>>): MlWorkloadRole | undefined {
  for (const key of Object.keys(labels)) {
    for (const [prefix, role] of LABEL_ROLES) if (key.startsWith(prefix)) return role;
  }
  return undefined;
}
