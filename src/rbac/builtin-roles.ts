import { requiredText, shippedList } from '../data/list-file.js';
import { readPolicyRules, type PolicyRule } from './policy-rule.js';

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
const USER_FACING_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [rule(['*'], ['*'], ['*'])],
  admin: [...editRules, rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], [...READ, ...WRITE])],
  edit: editRules,
  view: [rule(['', 'apps', 'batch'], ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'], READ)],
};

let builtin: ReadonlyMap<string, readonly PolicyRule[]> | undefined;

/**
 * Every built-in ClusterRole kfguard knows the rules of: the user-facing ones above and the
 * harmless discovery roles of `data/lists/harmless-builtin-roles.yaml` (issuer discovery, public
 * info, discovery, basic user, monitoring), so a binding to them is judged by what they grant
 * instead of as a role "not in the scanned set".
 */
export function builtinClusterRoles(): ReadonlyMap<string, readonly PolicyRule[]> {
  if (builtin) return builtin;
  const roles = new Map(Object.entries(USER_FACING_ROLES));
  for (const entry of shippedList('harmless-builtin-roles')) {
    const name = requiredText(entry, 'name');
    if (!Array.isArray(entry.fields.rules) || entry.fields.rules.length === 0) throw new Error(`${entry.where}: needs a non-empty "rules" list`);
    roles.set(name, readPolicyRules(entry.fields.rules));
  }
  builtin = roles;
  return roles;
}
