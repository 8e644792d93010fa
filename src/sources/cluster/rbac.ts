import type { ListableKind } from './catalog.js';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * The least-privilege ClusterRole rules for reading these kinds: get, list and watch (`kfguard
 * watch` and the webhook's live snapshot), nothing else, one rule per API group.
 * deploy/scanner/clusterrole.yaml is checked against this by a test.
 */
export function readOnlyRules(kinds: readonly ListableKind[]): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const { group, plural } of kinds) byGroup.set(group, (byGroup.get(group) ?? new Set()).add(plural));
  return [...byGroup]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, plurals]) => ({ apiGroups: [group], resources: [...plurals].sort(), verbs: ['get', 'list', 'watch'] }));
}
