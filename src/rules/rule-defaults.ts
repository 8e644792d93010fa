import type { KindMatch, RuleNeeds } from '../core/rule.js';
import type { SourceKind } from '../core/types.js';

/** Workload rules look at every kind: `containersOf` decides structurally whether it runs containers. */
export const ANY_KIND: readonly KindMatch[] = [{ apiGroups: '*', kinds: '*' }];

/** Sources that carry full object specs; probes and audit events do not. */
export const SPEC_SOURCES: readonly SourceKind[] = ['manifest', 'cluster', 'admission'];


/**
 * Sources whose objects a rule that judges the object alone can read: audit events carry the full
 * `requestObject`, and job APIs return the workflow they run.
 */
export const OBJECT_SOURCES: readonly SourceKind[] = ['manifest', 'cluster', 'admission', 'audit', 'api'];

/** Needs of a rule that looks at nothing but the object it judges. */
export const OBJECT_ONLY: RuleNeeds = { reads: [], snapshot: 'none', request: false, cost: 'cheap' };

/** Kinds the RBAC access graph is built from. */
export const RBAC_READS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Profile', 'ServiceAccount', 'Namespace'];

/** Kinds the profile-namespace guardrails read, before the one each checks for. */
export const PROFILE_READS: readonly string[] = ['Namespace', 'Profile', 'ConfigMap'];
