import type { Finding } from '../core/types.js';

/**
 * Categories whose findings an inline `kfguard.io/ignore` cannot silence on objects that come from
 * a live cluster or an admission request: there, whoever wrote the annotation is whoever created
 * the object, and a miner would simply annotate itself. In a repository the annotation passed
 * review with the rest of the file, so it is honoured there.
 */
const UNSILENCEABLE = new Set<string>(['threat', 'exposure']);
const UNTRUSTED_ORIGINS = new Set<string>(['cluster', 'admission']);

/** Why an inline ignore does not apply to this finding, or undefined when it does. */
export function inlineIgnoreRefused(finding: Finding): string | undefined {
  const origin = finding.origin?.kind;
  if (origin === undefined || !UNTRUSTED_ORIGINS.has(origin) || !UNSILENCEABLE.has(finding.category)) return undefined;
  return `inline kfguard.io/ignore not honoured for ${finding.ruleId}: ${finding.category} findings on objects from ${origin === 'cluster' ? 'a live cluster' : 'admission requests'} cannot be silenced by the object's own annotations`;
}
