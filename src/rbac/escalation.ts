import { ruleAllows, writeVerbsOf, type AccessRequest, type PolicyRule } from './policy-rule.js';

const RBAC = 'rbac.authorization.k8s.io';

/** Requests that get round RBAC's own guard against privilege escalation, with how they read. */
export const ESCALATION_REQUESTS: readonly (AccessRequest & { readonly label: string })[] = [
  { verb: 'escalate', apiGroup: RBAC, resource: 'roles', label: 'escalate roles' },
  { verb: 'escalate', apiGroup: RBAC, resource: 'clusterroles', label: 'escalate clusterroles' },
  { verb: 'bind', apiGroup: RBAC, resource: 'roles', label: 'bind roles' },
  { verb: 'bind', apiGroup: RBAC, resource: 'clusterroles', label: 'bind clusterroles' },
  { verb: 'impersonate', apiGroup: '', resource: 'users', label: 'impersonate users' },
  { verb: 'impersonate', apiGroup: '', resource: 'groups', label: 'impersonate groups' },
  { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts', label: 'impersonate serviceaccounts' },
  { verb: 'impersonate', apiGroup: 'authentication.k8s.io', resource: 'userextras', label: 'impersonate userextras' },
];

/** Minting a token for any service account in reach: a way to become one of them, for as long as asked. */
export const TOKEN_REQUEST: AccessRequest & { readonly label: string } = {
  verb: 'create',
  apiGroup: '',
  resource: 'serviceaccounts/token',
  label: 'create serviceaccount tokens',
};

/** Roles whose binding or escalation is as good as cluster-wide power. */
const PRIVILEGED_NAMES = /^(?:cluster-admin|admin|edit|system:.*)$/;

/**
 * `resourceNames` narrow a grant, but not enough when the names are the prize: impersonating any
 * named user or group (`system:masters`), or binding `cluster-admin`. Binding a named ordinary
 * role is the safe form.
 */
export function namedEscalation(rule: PolicyRule, request: AccessRequest): boolean {
  if (rule.resourceNames.length === 0) return false;
  const unnamed: PolicyRule = { ...rule, resourceNames: [] };
  if (!ruleAllows(unnamed, request)) return false;
  return request.verb === 'impersonate' || rule.resourceNames.some((name) => PRIVILEGED_NAMES.test(name));
}

/** The escalation labels one rule grants (`bind clusterroles (cluster-admin)` when narrowed by name). */
export function escalationsOf(rule: PolicyRule): string[] {
  return ESCALATION_REQUESTS.filter((request) => ruleAllows(rule, request) || namedEscalation(rule, request)).map((request) =>
    rule.resourceNames.length > 0 ? `${request.label} (${rule.resourceNames.join(', ')})` : request.label,
  );
}

/** True when the rule writes every resource of every API group (the `*` verbs, groups and resources shape). */
export function isTotalWildcard(rule: PolicyRule): boolean {
  return rule.resourceNames.length === 0 && rule.apiGroups.includes('*') && rule.resources.includes('*') && writeVerbsOf(rule).length > 0;
}

/**
 * What makes a role as good as cluster-admin, in words: every resource of every group, the
 * escalation verbs, or minting tokens. Empty for an ordinary role.
 */
export function takeoverPowersOf(rules: readonly PolicyRule[]): string[] {
  const powers = new Set<string>();
  for (const rule of rules) {
    // A total wildcard already covers every verb below; listing them would only bury it.
    if (isTotalWildcard(rule)) {
      powers.add(`${writeVerbsOf(rule).join(',')} on every resource of every API group`);
      continue;
    }
    for (const label of escalationsOf(rule)) powers.add(label);
    if (ruleAllows(rule, TOKEN_REQUEST)) powers.add(TOKEN_REQUEST.label);
  }
  return [...powers];
}
