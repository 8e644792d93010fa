import type { Finding, ReportedOrigin } from '../core/types.js';

/**
 * Categories whose findings an inline `kfguard.io/ignore` cannot silence on objects that come from
 * a live cluster, a snapshot file of one, or an admission request: there, whoever wrote the
 * annotation is whoever created the object, and a miner would simply annotate itself. In a
 * repository the annotation passed review with the rest of the file, so it is honoured there.
 */
const UNSILENCEABLE = new Set<string>(['threat', 'exposure']);

/**
 * Rules of other categories that report what an intruder leaves behind to keep access, and so
 * would annotate to hide: a ClusterRoleBinding giving cluster-admin or write to
 * `system:unauthenticated` (or to every authenticated user), a wildcard or escalating role, a
 * service account planted in kube-system, a privileged Pod or one holding the container runtime's
 * socket (the node itself). Refused on the same origins as the categories above; a real exception
 * goes in the config file or a baseline, which the object's creator does not write.
 */
const UNSILENCEABLE_RULES = new Set<string>([
  'rbac-anonymous-write',
  'rbac-cluster-admin-binding',
  'rbac-wildcard-permissions',
  'rbac-privilege-escalation-verbs',
  'kube-system-service-account-backdoor',
  'pod-privileged',
  'container-runtime-socket',
]);

/** Where the object's annotations come from, in words, when its creator (not a reviewer) wrote them. */
function authoredByCreator(origin: ReportedOrigin | undefined): string | undefined {
  switch (origin?.kind) {
    case 'cluster':
      return 'a live cluster';
    case 'admission':
      return 'admission requests';
    case 'file':
      return origin.snapshotOf !== undefined ? `a kfguard snapshot of a live cluster (${origin.file})` : undefined;
    default:
      return undefined;
  }
}

/** Why an inline ignore does not apply to this finding, or undefined when it does. */
export function inlineIgnoreRefused(finding: Finding): string | undefined {
  const byCategory = UNSILENCEABLE.has(finding.category);
  if (!byCategory && !UNSILENCEABLE_RULES.has(finding.ruleId)) return undefined;
  const from = authoredByCreator(finding.origin);
  if (from === undefined) return undefined;
  const what = byCategory ? `${finding.category} findings` : `its findings (what an intruder would hide to keep access)`;
  return `inline kfguard.io/ignore not honoured for ${finding.ruleId}: ${what} on objects from ${from} cannot be silenced by the object's own annotations`;
}
