import { lowerSeverity, severityRank, type Severity } from '../core/severity.js';
import type { AccessGraph, Grant, RoleNode } from './access-graph.js';
import { describeSubject, isAllAuthenticated, isKubernetesSystemSubject, isUnauthenticated } from './subjects.js';

/** How far a role's rights reach, judged from who holds it. */
export type RoleReach =
  | 'unauthenticated'
  | 'all-authenticated'
  | 'person-cluster-wide'
  | 'person-namespaced'
  | 'service-account-cluster-wide'
  | 'service-account'
  | 'by-design'
  | 'unbound'
  | 'system-only';

/** Grants of a role, including grants of the aggregated ClusterRoles it is folded into. */
export function grantsOfRole(graph: AccessGraph, role: RoleNode): Grant[] {
  return graph.grants.filter((grant) => {
    const held = grant.role;
    if (!held) return false;
    if (held === role || (held.kind === role.kind && held.name === role.name && held.namespace === role.namespace)) return true;
    return role.kind === 'ClusterRole' && held.aggregatedFrom.includes(role.name);
  });
}

/**
 * The widest reach among the grants, riskiest first. Profile-implied bindings (the owner and
 * `default-editor` in their own namespace) are Kubeflow's design, so they count as by-design.
 */
export function reachOf(grants: readonly Grant[]): RoleReach {
  if (grants.length === 0) return 'unbound';
  const subjects = grants.filter((g) => !isKubernetesSystemSubject(g.subject));
  if (subjects.length === 0) return 'system-only';
  if (subjects.some((g) => isUnauthenticated(g.subject))) return 'unauthenticated';
  if (subjects.some((g) => isAllAuthenticated(g.subject))) return 'all-authenticated';
  const explicit = subjects.filter((g) => g.source.object.kind !== 'Profile');
  const people = explicit.filter((g) => g.subject.kind !== 'ServiceAccount');
  if (people.some((g) => g.namespace === '*')) return 'person-cluster-wide';
  if (people.length > 0) return 'person-namespaced';
  if (explicit.some((g) => g.namespace === '*')) return 'service-account-cluster-wide';
  if (explicit.length > 0) return 'service-account';
  return 'by-design';
}

/**
 * Severity of a risky permission given who holds it: public and human holders raise it,
 * service accounts lower it, and Kubeflow's own per-profile grants are information only.
 */
export function severityForReach(base: Severity, reach: RoleReach, bindingsUnread = false): Severity | undefined {
  // Bindings the source could not read may hold the role more widely than those in view: what is
  // in view never lowers the severity then (a refused list must not pass a cluster-admin role).
  if (bindingsUnread) {
    const seen = severityForReach(base, reach);
    return seen !== undefined && severityRank(seen) > severityRank(base) ? seen : base;
  }
  switch (reach) {
    case 'unauthenticated':
      return 'critical';
    case 'all-authenticated':
    case 'person-cluster-wide':
      return base === 'critical' ? 'critical' : 'high';
    case 'person-namespaced':
      return base;
    case 'service-account-cluster-wide':
    case 'service-account':
      return lowerSeverity(base, 1, 'low');
    case 'by-design':
      return 'info';
    case 'unbound':
      return 'low';
    case 'system-only':
      return undefined;
  }
}

export function describeHolders(grants: readonly Grant[], limit = 4, bindingsUnread = false): string {
  const names = [...new Set(grants.map((g) => `${describeSubject(g.subject)}${g.namespace === '*' ? ' (cluster-wide)' : ` in ${g.namespace || 'the default namespace'}`}`))];
  if (names.length === 0) return bindingsUnread ? UNREAD_BINDINGS : 'not bound by any scanned binding';
  const shown = names.slice(0, limit).join(', ');
  const held = names.length > limit ? `held by ${shown} and ${names.length - limit} more` : `held by ${shown}`;
  return bindingsUnread ? `${held}; ${UNREAD_BINDINGS}` : held;
}

const UNREAD_BINDINGS = 'bindings could not be read (see coverage), so who holds it is unknown and its severity is not lowered';

/**
 * True when bindings that could grant `role` were not read: a Role is bound by RoleBindings only,
 * a ClusterRole by either kind.
 */
export function bindingsUnreadFor(role: { readonly kind: string }, unreadKinds: ReadonlySet<string> | undefined): boolean {
  if (!unreadKinds || unreadKinds.size === 0) return false;
  return unreadKinds.has('RoleBinding') || (role.kind !== 'Role' && unreadKinds.has('ClusterRoleBinding'));
}
