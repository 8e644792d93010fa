import type { Finding, ReportedOrigin } from '../core/types.js';

/**
 * Categories whose findings an inline `kfguard.io/ignore` cannot silence on objects that come from
 * a live cluster, a snapshot file of one, or an admission request: there, whoever wrote the
 * annotation is whoever created the object, and a miner would simply annotate itself. In a
 * repository the annotation passed review with the rest of the file, so it is honoured there.
 */
const UNSILENCEABLE = new Set<string>(['threat', 'exposure']);

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
  if (!UNSILENCEABLE.has(finding.category)) return undefined;
  const from = authoredByCreator(finding.origin);
  if (from === undefined) return undefined;
  return `inline kfguard.io/ignore not honoured for ${finding.ruleId}: ${finding.category} findings on objects from ${from} cannot be silenced by the object's own annotations`;
}
