import { WORKLOAD_SHAPES } from '../k8s/workload-shapes.js';

/**
 * Where each admitted kind keeps its containers, as CEL. The webhook finds containers
 * structurally at any depth (`src/k8s/workload-shapes.ts`); CEL has no recursion, so the policy
 * names the fixed positions of each kind and lists what it therefore cannot see (docs/vap.md).
 */
export interface KindContainers {
  readonly kind: string;
  /** Paths (CEL field selections from `object`) of pod specs. */
  readonly podSpecs?: readonly string[];
  /** Paths of Argo template lists, whose items hold `container`, `script` or `containerSet`. */
  readonly argoTemplates?: readonly string[];
  /** Paths of strings that run as code without a container (a RayJob entrypoint). */
  readonly codeFields?: readonly string[];
}

const [POD, TEMPLATE, CRONJOB] = ['spec', 'spec.template.spec', 'spec.jobTemplate.spec.template.spec'].map((p) => {
  if (!(WORKLOAD_SHAPES.standardPodSpecPaths as readonly string[]).includes(p)) throw new Error(`pod-spec path ${p} is not a standard one`);
  return `object.${p}`;
}) as [string, string, string];

/**
 * Training operators accept only these replica types (kubeflow/trainer v1 API), so a fixed list
 * of roles covers every replica a job can run.
 * https://www.kubeflow.org/docs/components/trainer/legacy-v1/
 */
const TRAINING_ROLES: Readonly<Record<string, { field: string; roles: readonly string[] }>> = {
  TFJob: { field: 'tfReplicaSpecs', roles: ['Chief', 'Master', 'PS', 'Worker', 'Evaluator'] },
  PyTorchJob: { field: 'pytorchReplicaSpecs', roles: ['Master', 'Worker'] },
  MPIJob: { field: 'mpiReplicaSpecs', roles: ['Launcher', 'Worker'] },
  XGBoostJob: { field: 'xgbReplicaSpecs', roles: ['Master', 'Worker'] },
  PaddleJob: { field: 'paddleReplicaSpecs', roles: ['Master', 'Worker'] },
  JAXJob: { field: 'jaxReplicaSpecs', roles: ['Worker'] },
};

export const KIND_CONTAINERS: readonly KindContainers[] = [
  { kind: 'Pod', podSpecs: [POD] },
  ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'Notebook'].map((kind) => ({ kind, podSpecs: [TEMPLATE] })),
  { kind: 'CronJob', podSpecs: [CRONJOB] },
  ...Object.entries(TRAINING_ROLES).map(([kind, { field, roles }]) => ({ kind, podSpecs: roles.map((role) => `object.spec.${field}.${role}.template.spec`) })),
  { kind: 'RayCluster', podSpecs: ['object.spec.headGroupSpec.template.spec'] },
  { kind: 'RayJob', podSpecs: ['object.spec.rayClusterSpec.headGroupSpec.template.spec'], codeFields: ['object.spec.entrypoint'] },
  ...['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'].map((kind) => ({ kind, argoTemplates: ['object.spec.templates'] })),
  { kind: 'CronWorkflow', argoTemplates: ['object.spec.workflowSpec.templates'] },
  { kind: 'ScheduledWorkflow', argoTemplates: ['object.spec.workflow.spec.templates'] },
];

/** `has(a.b) && has(a.b.c) && …` for every step of `path` after `object`, so a missing field is false, never an error. */
export function presence(path: string): string {
  const parts = path.split('.');
  const checks: string[] = [];
  for (let i = 2; i <= parts.length; i++) checks.push(`has(${parts.slice(0, i).join('.')})`);
  return checks.join(' && ');
}

const orEmpty = (path: string): string => `(${presence(path)} ? ${path} : [])`;
const unique = (values: readonly string[]): string[] => [...new Set(values)];
const concat = (lists: readonly string[]): string => (lists.length === 0 ? '[]' : lists.join(' + '));

/**
 * The policy's variables that gather containers, looked up by position rather than by kind (like
 * the webhook, which finds containers structurally): a missing position is an empty list.
 * - `podContainers`: every container, init and ephemeral container of every pod spec;
 * - `argoTemplates`: every Argo template;
 * - `containers`: `podContainers` plus the templates' `container` and `script`;
 * - `code`: strings that run as code outside any container.
 */
export function containerVariables(shapes: readonly KindContainers[] = KIND_CONTAINERS): { name: string; expression: string }[] {
  const podSpecs = unique(shapes.flatMap((s) => s.podSpecs ?? []));
  const templates = unique(shapes.flatMap((s) => s.argoTemplates ?? []));
  const code = unique(shapes.flatMap((s) => s.codeFields ?? []));
  return [
    { name: 'podContainers', expression: concat(podSpecs.flatMap((spec) => WORKLOAD_SHAPES.patchableLists.map((key) => orEmpty(`${spec}.${key}`)))) },
    { name: 'argoTemplates', expression: concat(templates.map(orEmpty)) },
    {
      name: 'containers',
      // Argo template fields: https://argo-workflows.readthedocs.io/en/latest/fields/#template
      expression: concat(['variables.podContainers', ...['container', 'script'].map((key) => `variables.argoTemplates.filter(t, has(t.${key})).map(t, t.${key})`)]),
    },
    { name: 'code', expression: concat(code.map((f) => `(${presence(f)} ? [${f}] : [])`)) },
  ];
}

/**
 * A CEL test: does any container satisfy `test` (a CEL expression over `c`)? Argo's nested lists
 * (init containers, sidecars, container sets) are searched in place: CEL cannot flatten them.
 */
export function anyContainer(test: string): string {
  const nested = ['initContainers', 'sidecars'].map((key) => `(has(t.${key}) && t.${key}.exists(c, ${test}))`);
  nested.push(`(has(t.containerSet) && has(t.containerSet.containers) && t.containerSet.containers.exists(c, ${test}))`);
  return `(variables.containers.exists(c, ${test}) || variables.argoTemplates.exists(t, ${nested.join(' || ')}))`;
}

/** A CEL test: does any string that runs as code outside a container satisfy `test` (over `s`)? */
export function anyCodeField(test: string): string {
  return `variables.code.exists(s, ${test})`;
}

/** Kinds whose containers the policies read. */
export const POLICY_KINDS: readonly string[] = KIND_CONTAINERS.map((shape) => shape.kind);
