/**
 * The kind behind an audit objectRef's plural resource, for a patch body judged alone (it carries
 * no `kind`). Only resources hunting judges are listed; others keep no kind and are not judged.
 * https://kubernetes.io/docs/reference/kubernetes-api/
 */
const KINDS: Readonly<Record<string, { readonly kind: string; readonly apiVersion: string }>> = {
  pods: { kind: 'Pod', apiVersion: 'v1' },
  services: { kind: 'Service', apiVersion: 'v1' },
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
  statefulsets: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  daemonsets: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1' },
  jobs: { kind: 'Job', apiVersion: 'batch/v1' },
  cronjobs: { kind: 'CronJob', apiVersion: 'batch/v1' },
  workflows: { kind: 'Workflow', apiVersion: 'argoproj.io/v1alpha1' },
  cronworkflows: { kind: 'CronWorkflow', apiVersion: 'argoproj.io/v1alpha1' },
  workflowtemplates: { kind: 'WorkflowTemplate', apiVersion: 'argoproj.io/v1alpha1' },
  scheduledworkflows: { kind: 'ScheduledWorkflow', apiVersion: 'kubeflow.org/v1beta1' },
  notebooks: { kind: 'Notebook', apiVersion: 'kubeflow.org/v1' },
  rayjobs: { kind: 'RayJob', apiVersion: 'ray.io/v1' },
  rayclusters: { kind: 'RayCluster', apiVersion: 'ray.io/v1' },
  authorizationpolicies: { kind: 'AuthorizationPolicy', apiVersion: 'security.istio.io/v1' },
  requestauthentications: { kind: 'RequestAuthentication', apiVersion: 'security.istio.io/v1' },
  rolebindings: { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1' },
  clusterrolebindings: { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1' },
  profiles: { kind: 'Profile', apiVersion: 'kubeflow.org/v1' },
};

export function kindOfResource(resource: string): { readonly kind: string; readonly apiVersion: string } | undefined {
  return Object.hasOwn(KINDS, resource) ? KINDS[resource] : undefined;
}

/** Resources whose last state is kept, so a later patch or delete is judged against it. */
export const TRACKED_RESOURCES: ReadonlySet<string> = new Set(['services', 'authorizationpolicies', 'requestauthentications', 'rolebindings', 'clusterrolebindings', 'profiles']);

/**
 * Workloads whose last state is kept (workload-state.ts, byte-bounded), so a patch of one is judged
 * on the object it leaves: what runs can be split over several patches.
 */
export const WORKLOAD_RESOURCES: ReadonlySet<string> = new Set(
  Object.keys(KINDS).filter((resource) => !TRACKED_RESOURCES.has(resource)),
);
