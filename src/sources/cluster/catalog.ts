import type { Rule } from '../../core/rule.js';
import type { SourceKind } from '../../core/types.js';

/** A kind kfguard knows how to list from a cluster, with the resource name RBAC and URLs use. */
export interface ListableKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
}

/**
 * Every kind a rule can judge or read in a live cluster. Rules that match or read `'*'` get all of
 * them; the others get the kinds they name. Discovery then drops what the cluster does not serve.
 * ReplicaSets are left out on purpose: nearly all belong to a Deployment listed anyway, and listing
 * them would report each finding twice.
 * `group kind plural` per line, `core` for the core group.
 */
const CATALOGUE = `
core Pod pods
core Service services
core ConfigMap configmaps
core Secret secrets
core ServiceAccount serviceaccounts
core Namespace namespaces
core ResourceQuota resourcequotas
core LimitRange limitranges
core ReplicationController replicationcontrollers
apps Deployment deployments
apps StatefulSet statefulsets
apps DaemonSet daemonsets
batch Job jobs
batch CronJob cronjobs
networking.k8s.io Ingress ingresses
networking.k8s.io NetworkPolicy networkpolicies
admissionregistration.k8s.io MutatingWebhookConfiguration mutatingwebhookconfigurations
admissionregistration.k8s.io ValidatingWebhookConfiguration validatingwebhookconfigurations
rbac.authorization.k8s.io Role roles
rbac.authorization.k8s.io ClusterRole clusterroles
rbac.authorization.k8s.io RoleBinding rolebindings
rbac.authorization.k8s.io ClusterRoleBinding clusterrolebindings
argoproj.io Workflow workflows
argoproj.io CronWorkflow cronworkflows
argoproj.io WorkflowTemplate workflowtemplates
argoproj.io ClusterWorkflowTemplate clusterworkflowtemplates
kubeflow.org Profile profiles
kubeflow.org Notebook notebooks
kubeflow.org ScheduledWorkflow scheduledworkflows
kubeflow.org Experiment experiments
kubeflow.org TFJob tfjobs
kubeflow.org PyTorchJob pytorchjobs
kubeflow.org MPIJob mpijobs
kubeflow.org XGBoostJob xgboostjobs
kubeflow.org PaddleJob paddlejobs
kubeflow.org JAXJob jaxjobs
kubeflow.org PodDefault poddefaults
kubeflow.org Tensorboard tensorboards
trainer.kubeflow.org TrainJob trainjobs
trainer.kubeflow.org TrainingRuntime trainingruntimes
trainer.kubeflow.org ClusterTrainingRuntime clustertrainingruntimes
networking.istio.io VirtualService virtualservices
networking.istio.io Gateway gateways
networking.istio.io EnvoyFilter envoyfilters
security.istio.io AuthorizationPolicy authorizationpolicies
security.istio.io RequestAuthentication requestauthentications
gateway.networking.k8s.io Gateway gateways
gateway.networking.k8s.io HTTPRoute httproutes
gateway.networking.k8s.io GRPCRoute grpcroutes
gateway.networking.k8s.io TLSRoute tlsroutes
gateway.networking.k8s.io TCPRoute tcproutes
route.openshift.io Route routes
serving.kserve.io InferenceService inferenceservices
serving.kserve.io ServingRuntime servingruntimes
serving.kserve.io ClusterServingRuntime clusterservingruntimes
serving.kserve.io InferenceGraph inferencegraphs
serving.knative.dev Service services
ray.io RayCluster rayclusters
ray.io RayJob rayjobs
ray.io RayService rayservices
sparkoperator.k8s.io SparkApplication sparkapplications
sparkoperator.k8s.io ScheduledSparkApplication scheduledsparkapplications
tekton.dev Task tasks
tekton.dev Pipeline pipelines
tekton.dev TaskRun taskruns
tekton.dev PipelineRun pipelineruns
batch.volcano.sh Job jobs
jobset.x-k8s.io JobSet jobsets
`;

export const LISTABLE_KINDS: readonly ListableKind[] = CATALOGUE.trim()
  .split('\n')
  .map((line) => {
    const [group = '', kind = '', plural = ''] = line.split(' ');
    return { group: group === 'core' ? '' : group, kind, plural };
  });

/** Kinds rules name that never exist in a cluster (kustomize's own files). */
export const FILE_ONLY_KINDS: readonly string[] = ['Kustomization'];

/**
 * The kinds to list for these rules: those they judge (`meta.match`) or read (`meta.needs.reads`).
 * Rules that cannot judge objects of `source` (cluster objects for a scan or watch, admission
 * requests for the webhook's snapshot) add nothing.
 */
export function kindsToList(rules: readonly Rule[], source: SourceKind = 'cluster'): ListableKind[] {
  const wanted = new Set<ListableKind>();
  for (const rule of rules) {
    if (!rule.meta.sources.includes(source)) continue;
    for (const match of rule.meta.match) {
      for (const entry of LISTABLE_KINDS) {
        const groupOk = match.apiGroups === '*' || match.apiGroups.includes(entry.group);
        const kindOk = match.kinds === '*' || match.kinds.includes(entry.kind);
        if (groupOk && kindOk) wanted.add(entry);
      }
    }
    const reads = rule.meta.needs.reads;
    for (const entry of LISTABLE_KINDS) if (reads === '*' || reads.includes(entry.kind)) wanted.add(entry);
  }
  return LISTABLE_KINDS.filter((entry) => wanted.has(entry));
}
