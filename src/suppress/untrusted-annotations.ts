import type { LiveInlineIgnores } from '../core/config-types.js';
import type { Finding, ReportedOrigin } from '../core/types.js';

/**
 * Categories whose findings an inline `kfguard.io/ignore` can never silence on objects whose
 * creator wrote their annotations (a live cluster, a snapshot file of one, an admission request),
 * whatever the config says: a miner would simply annotate itself, and so would a Service opening a
 * dashboard. In a repository the annotation passed review with the rest of the file, so it is
 * honoured there.
 */
export const NEVER_SELF_EXEMPT_CATEGORIES: ReadonlySet<string> = new Set(['threat', 'exposure']);

/**
 * Rules of other categories that report what an intruder leaves behind to keep access, and so
 * would annotate to hide: a ClusterRoleBinding giving cluster-admin or write to
 * `system:unauthenticated` (or to every authenticated user), a wildcard or escalating role, a
 * service account planted in kube-system, a privileged Pod or one holding the container runtime's
 * socket (the node itself). Never honoured on those origins either, even when the operator opts in
 * (`liveInlineIgnores`); a real exception goes in the config file or a baseline.
 */
export const NEVER_SELF_EXEMPT_RULES: ReadonlySet<string> = new Set([
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

/** True when the operator's config lets creator-written annotations exempt this finding. */
function optedIn(finding: Finding, trusted: LiveInlineIgnores | undefined): boolean {
  if (!trusted) return false;
  return trusted.categories.includes(finding.category) || trusted.rules.includes(finding.ruleId);
}

/**
 * Why an inline ignore does not apply to this finding, or undefined when it does. On objects whose
 * creator wrote the annotations none applies, unless the operator's config names the finding's
 * category or rule in `liveInlineIgnores`; the categories and rules above are refused even then.
 */
export function inlineIgnoreRefused(finding: Finding, trusted?: LiveInlineIgnores): string | undefined {
  const from = authoredByCreator(finding.origin);
  if (from === undefined) return undefined;
  const prefix = `inline kfguard.io/ignore not honoured for ${finding.ruleId}`;
  if (NEVER_SELF_EXEMPT_CATEGORIES.has(finding.category)) {
    return `${prefix}: ${finding.category} findings on objects from ${from} cannot be silenced by the object's own annotations`;
  }
  if (NEVER_SELF_EXEMPT_RULES.has(finding.ruleId)) {
    return `${prefix}: its findings (what an intruder would hide to keep access) on objects from ${from} cannot be silenced by the object's own annotations`;
  }
  if (optedIn(finding, trusted)) return undefined;
  return `${prefix}: on objects from ${from} the object's creator wrote its annotations, so they exempt nothing unless the config file names this rule or its category (${finding.category}) in liveInlineIgnores`;
}
