import type { PolicyRule } from './policy-rule.js';

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
  resourceNames: [],
  nonResourceURLs: [],
});

const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

const editRules: PolicyRule[] = [
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'replicationcontrollers', 'secrets', 'services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts'], [...READ, ...WRITE]),
  rule(['apps'], ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], [...READ, ...WRITE]),
  rule(['batch'], ['jobs', 'cronjobs'], [...READ, ...WRITE]),
  rule([''], ['serviceaccounts'], ['impersonate']),
];

/**
 * Default ClusterRoles the API server creates itself, so manifests reference them without
 * defining them. Only the parts that decide who can run code are modelled.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 */
export const BUILTIN_CLUSTER_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [rule(['*'], ['*'], ['*'])],
  admin: [...editRules, rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], [...READ, ...WRITE])],
  edit: editRules,
  view: [rule(['', 'apps', 'batch'], ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'], READ)],
};
