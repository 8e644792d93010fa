import type { CoverageEntry } from './types.js';

/**
 * Resources (plural.group, as coverage reasons name them) whose absence changes a verdict on what
 * was read: a role with no binding in view is judged unbound, which lowers its severity; a run in
 * a namespace no Profile names is judged as outside Kubeflow's profiles, where either runner is
 * accepted (`pipeline-run-service-account-override`).
 */
const VERDICT_RESOURCES: Readonly<Record<string, string>> = {
  'rolebindings.rbac.authorization.k8s.io': 'RoleBinding',
  'clusterrolebindings.rbac.authorization.k8s.io': 'ClusterRoleBinding',
  'profiles.kubeflow.org': 'Profile',
};
/** API groups whose discovery failing leaves these kinds unread. */
const VERDICT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'rbac.authorization.k8s.io': ['RoleBinding', 'ClusterRoleBinding'],
  'kubeflow.org': ['Profile'],
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
    // Own keys only: a reason is cluster text, and `constructor` is a valid plural.
    if (listed && Object.hasOwn(VERDICT_RESOURCES, listed)) unread.add(VERDICT_RESOURCES[listed]!);
    const undiscovered = /^could not discover ([a-z0-9.-]+)\//.exec(reason)?.[1];
    if (undiscovered && Object.hasOwn(VERDICT_GROUPS, undiscovered)) for (const kind of VERDICT_GROUPS[undiscovered]!) unread.add(kind);
    // `scan --cluster` and `snapshot` list, `watch` watches: the same gap in each one's words.
    const skipped = /^cluster-scoped kinds not (?:listed|watched) with --namespace: (.*)/.exec(reason)?.[1];
    if (skipped) for (const kind of skipped.split(/,\s*/)) if (Object.values(VERDICT_RESOURCES).includes(kind)) unread.add(kind);
  }
  return unread;
}
