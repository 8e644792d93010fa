import type { Rule } from '../core/rule.js';
import { AUTH_CHAIN_KINDS } from '../exposure/auth-chain-kinds.js';

/** A kind as the API server serves it: what RBAC and webhook rules name. */
export interface ServedKind {
  readonly group: string;
  readonly resource: string;
}

/**
 * Kinds kfguard admits or reads, and how the API server serves them. Kinds not here are not
 * served by an API server (a Kustomization is a build file), so neither RBAC nor a webhook rule
 * can name them.
 */
export const SERVED_KINDS: Readonly<Record<string, ServedKind>> = {
  Pod: { group: '', resource: 'pods' },
  Service: { group: '', resource: 'services' },
  ConfigMap: { group: '', resource: 'configmaps' },
  Secret: { group: '', resource: 'secrets' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  Namespace: { group: '', resource: 'namespaces' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  Gateway: { group: 'gateway.networking.k8s.io', resource: 'gateways' },
  HTTPRoute: { group: 'gateway.networking.k8s.io', resource: 'httproutes' },
  GRPCRoute: { group: 'gateway.networking.k8s.io', resource: 'grpcroutes' },
  TLSRoute: { group: 'gateway.networking.k8s.io', resource: 'tlsroutes' },
  TCPRoute: { group: 'gateway.networking.k8s.io', resource: 'tcproutes' },
  Route: { group: 'route.openshift.io', resource: 'routes' },
  VirtualService: { group: 'networking.istio.io', resource: 'virtualservices' },
  IstioGateway: { group: 'networking.istio.io', resource: 'gateways' },
  AuthorizationPolicy: { group: 'security.istio.io', resource: 'authorizationpolicies' },
  RequestAuthentication: { group: 'security.istio.io', resource: 'requestauthentications' },
  EnvoyFilter: { group: 'networking.istio.io', resource: 'envoyfilters' },
  Workflow: { group: 'argoproj.io', resource: 'workflows' },
  WorkflowTemplate: { group: 'argoproj.io', resource: 'workflowtemplates' },
  ClusterWorkflowTemplate: { group: 'argoproj.io', resource: 'clusterworkflowtemplates' },
  CronWorkflow: { group: 'argoproj.io', resource: 'cronworkflows' },
  ScheduledWorkflow: { group: 'kubeflow.org', resource: 'scheduledworkflows' },
  Profile: { group: 'kubeflow.org', resource: 'profiles' },
  Notebook: { group: 'kubeflow.org', resource: 'notebooks' },
  TFJob: { group: 'kubeflow.org', resource: 'tfjobs' },
  PyTorchJob: { group: 'kubeflow.org', resource: 'pytorchjobs' },
  MPIJob: { group: 'kubeflow.org', resource: 'mpijobs' },
  XGBoostJob: { group: 'kubeflow.org', resource: 'xgboostjobs' },
  PaddleJob: { group: 'kubeflow.org', resource: 'paddlejobs' },
  JAXJob: { group: 'kubeflow.org', resource: 'jaxjobs' },
  TrainJob: { group: 'trainer.kubeflow.org', resource: 'trainjobs' },
  RayJob: { group: 'ray.io', resource: 'rayjobs' },
  RayCluster: { group: 'ray.io', resource: 'rayclusters' },
  RayService: { group: 'ray.io', resource: 'rayservices' },
  InferenceService: { group: 'serving.kserve.io', resource: 'inferenceservices' },
};

/** What the webhook judges at admission (issue 10): workloads at their earliest object, and what exposes or protects a route. */
export const ADMITTED_KINDS: readonly string[] = [
  'Pod', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob',
  'Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'ScheduledWorkflow',
  'Notebook', 'TFJob', 'PyTorchJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'JAXJob', 'TrainJob',
  'RayJob', 'RayCluster', 'RayService', 'InferenceService',
  'Service', 'Ingress', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'Route',
  'VirtualService', 'IstioGateway', 'AuthorizationPolicy', 'RequestAuthentication', 'EnvoyFilter',
];

const admissionRules = (rules: readonly Rule[]): Rule[] => rules.filter((rule) => rule.meta.sources.includes('admission'));

/**
 * Kinds the webhook configuration sends: every kind an admission rule matches by name, and for a
 * rule matching (or reading) any kind, the kinds judged at admission above. A rule that reads any
 * kind can take a finding from a change to one (a VirtualService routing a UI out), so those kinds
 * are sent as well; kinds read by name only (ConfigMaps a Pod mounts) are not, unless a rule
 * matches them.
 */
export function webhookKinds(rules: readonly Rule[]): string[] {
  const kinds = new Set<string>();
  for (const rule of admissionRules(rules)) {
    for (const match of rule.meta.match) for (const kind of match.kinds === '*' ? ADMITTED_KINDS : match.kinds) kinds.add(kind);
    if (rule.meta.needs.reads === '*') for (const kind of ADMITTED_KINDS) kinds.add(kind);
  }
  return [...kinds].filter((kind) => SERVED_KINDS[kind] !== undefined).sort();
}

/**
 * Kinds whose DELETE the webhook configuration sends: the auth chain in front of the gateway, when
 * an admission rule reads it (the exposure rules). Every other deletion is allowed unjudged.
 */
export function deletionKinds(rules: readonly Rule[]): string[] {
  const reads = (rule: Rule, kind: string): boolean => rule.meta.needs.reads === '*' || rule.meta.needs.reads.includes(kind);
  return AUTH_CHAIN_KINDS.filter((kind) => SERVED_KINDS[kind] !== undefined && admissionRules(rules).some((rule) => reads(rule, kind))).sort();
}

/**
 * Whether any admission rule can find something when an object of `kind` is admitted: it matches
 * the kind, or reads it (a change to what a rule reads can move findings on other objects). The
 * server answers the rest at once, without the snapshot.
 */
export function kindJudgedBy(rules: readonly Rule[]): (kind: string) => boolean {
  const relevant = admissionRules(rules);
  const any = relevant.some((rule) => rule.meta.needs.reads === '*' || rule.meta.match.some((m) => m.kinds === '*'));
  if (any) return () => true;
  const kinds = new Set(relevant.flatMap((rule) => [...rule.meta.match.flatMap((m) => m.kinds as readonly string[]), ...(rule.meta.needs.reads as readonly string[])]));
  return (kind) => kinds.has(kind);
}

/**
 * Kinds the snapshot must list and watch: every kind an admission rule names in `needs.reads`,
 * plus every kind judged (a rule reading `'*'` reads among those). RBAC grants exactly these.
 */
export function snapshotKinds(rules: readonly Rule[]): string[] {
  const kinds = new Set(ADMITTED_KINDS);
  for (const rule of rules) {
    if (!rule.meta.sources.includes('admission')) continue;
    const reads = rule.meta.needs.reads;
    if (reads !== '*') for (const kind of reads) kinds.add(kind);
    for (const match of rule.meta.match) if (match.kinds !== '*') for (const kind of match.kinds) kinds.add(kind);
  }
  return [...kinds].filter((kind) => SERVED_KINDS[kind] !== undefined).sort();
}

/** Resources per API group, sorted, for RBAC and webhook rules. */
export function resourcesByGroup(kinds: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const kind of kinds) {
    const served = SERVED_KINDS[kind];
    if (!served) continue;
    const set = groups.get(served.group) ?? new Set<string>();
    set.add(served.resource);
    groups.set(served.group, set);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, set]) => [group, [...set].sort()]));
}
