import type { ListableKind } from './catalog.js';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** What a one-off scan uses (`scan --cluster`, `snapshot`): it lists, it never watches. */
export const SCAN_VERBS = ['get', 'list'] as const;
/** What a live snapshot uses (`kfguard watch`, the webhook): it lists, then watches. */
export const WATCH_VERBS = ['get', 'list', 'watch'] as const;

/**
 * The least-privilege ClusterRole rules for reading these kinds with these verbs, nothing else,
 * one rule per API group. deploy/scanner/clusterrole.yaml (SCAN_VERBS) and
 * deploy/scanner/watch-reader-rbac.yaml (WATCH_VERBS) are checked against this by a test.
 */
export function readOnlyRules(kinds: readonly ListableKind[], verbs: readonly string[] = WATCH_VERBS): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const { group, plural } of kinds) byGroup.set(group, (byGroup.get(group) ?? new Set()).add(plural));
  return [...byGroup]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, plurals]) => ({ apiGroups: [group], resources: [...plurals].sort(), verbs: [...verbs] }));
}
