import type { CoverageEntry } from './types.js';

/**
 * Resources (plural.group, as coverage reasons name them) whose absence changes a verdict on what
 * was read: a role with no binding in view is judged unbound, which lowers its severity.
 */
const VERDICT_RESOURCES: Readonly<Record<string, string>> = {
  'rolebindings.rbac.authorization.k8s.io': 'RoleBinding',
  'clusterrolebindings.rbac.authorization.k8s.io': 'ClusterRoleBinding',
};

/**
 * Kinds among `VERDICT_RESOURCES` a source could not read whole, from its coverage gaps: a list
 * refused or failed (`could not list clusterrolebindings.rbac.authorization.k8s.io (all
 * namespaces): forbidden`), the RBAC API not discovered, or cluster-scoped kinds skipped for
 * `--namespace`. The same reasons stand in a snapshot file's header, so both read alike.
 */
export function unreadKindsOf(coverage: readonly CoverageEntry[]): ReadonlySet<string> {
  const unread = new Set<string>();
  for (const { reason, resource } of coverage) {
    if (resource) continue;
    const listed = /^could not list ([a-z0-9.-]+)/.exec(reason)?.[1];
    if (listed && VERDICT_RESOURCES[listed]) unread.add(VERDICT_RESOURCES[listed]);
    if (reason.startsWith('could not discover rbac.authorization.k8s.io/')) for (const kind of Object.values(VERDICT_RESOURCES)) unread.add(kind);
    const skipped = /^cluster-scoped kinds not listed with --namespace: (.*)/.exec(reason)?.[1];
    if (skipped) for (const kind of skipped.split(/,\s*/)) if (Object.values(VERDICT_RESOURCES).includes(kind)) unread.add(kind);
  }
  return unread;
}
