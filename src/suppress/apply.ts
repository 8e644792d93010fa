import type { ConfigSuppression, KfguardConfig } from '../core/config-types.js';
import { describeRef, refOf } from '../core/object.js';
import { fileOriginOf, type Finding, type ResourceRef, type ScannedObject, type Suppression } from '../core/types.js';
import { hasExpired } from './dates.js';
import { ignoreCovers, inlineIgnoresOf, type InlineIgnore } from './inline.js';
import { compileResourceGlob, resourceKey } from './resource-glob.js';
import { inlineIgnoreRefused } from './untrusted-annotations.js';

export interface SuppressionResult {
  readonly findings: Finding[];
  readonly warnings: string[];
}

interface AnnotatedObject {
  readonly file: string | undefined;
  readonly ignores: readonly InlineIgnore[];
}

interface CompiledSuppression {
  readonly suppression: ConfigSuppression;
  readonly matchesResource: (key: string) => boolean;
}

/**
 * Marks findings suppressed by inline annotations or config. Suppressed findings are kept (with
 * their reason) so reports can show them; only their effect on the exit code goes away. Inline
 * annotations win over config, so the reason shown is the one closest to the object.
 */
export function applySuppressions(
  findings: readonly Finding[],
  objects: readonly ScannedObject[],
  config: KfguardConfig,
  today: string,
  /** Every rule id kfguard knows; when given, unknown ids in annotations are warned about. */
  knownRuleIds?: readonly string[],
): SuppressionResult {
  const warnings = new Set<string>();
  const annotated = indexInlineIgnores(objects, warnings, knownRuleIds);
  const configured = config.suppressions.map((suppression) => ({ suppression, matchesResource: compileResourceGlob(suppression.resource) }));
  const result = findings.map((finding) => {
    if (finding.suppression) return finding;
    const suppression =
      inlineSuppression(finding, annotated.get(refKey(finding.resource)), today, warnings) ??
      configSuppression(finding, configured, today, warnings);
    return suppression ? { ...finding, suppression } : finding;
  });
  return { findings: result, warnings: [...warnings] };
}

function refKey(ref: ResourceRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name].join('\u0000');
}

function indexInlineIgnores(
  objects: readonly ScannedObject[],
  warnings: Set<string>,
  knownRuleIds: readonly string[] | undefined,
): Map<string, AnnotatedObject[]> {
  const index = new Map<string, AnnotatedObject[]>();
  for (const scanned of objects) {
    const inline = inlineIgnoresOf(scanned, knownRuleIds);
    for (const warning of inline.warnings) warnings.add(warning);
    if (inline.ignores.length === 0) continue;
    const key = refKey(refOf(scanned.object));
    const entry = { file: fileOriginOf(scanned.origin)?.file, ignores: inline.ignores };
    index.set(key, [...(index.get(key) ?? []), entry]);
  }
  return index;
}

function inlineSuppression(
  finding: Finding,
  candidates: readonly AnnotatedObject[] | undefined,
  today: string,
  warnings: Set<string>,
): Suppression | undefined {
  // The same name can appear in several files (overlays, copies); only the finding's own file counts then.
  const owner = candidates?.find((c) => finding.location === undefined || c.file === finding.location.file);
  const covering = owner?.ignores.filter((ignore) => ignoreCovers(ignore, finding.ruleId)) ?? [];
  const refused = covering.length > 0 ? inlineIgnoreRefused(finding) : undefined;
  if (refused) {
    warnings.add(`${refused} (${describeRef(finding.resource)})`);
    return undefined;
  }
  return firstActive(covering, finding, 'inline', today, warnings);
}

function configSuppression(
  finding: Finding,
  configured: readonly CompiledSuppression[],
  today: string,
  warnings: Set<string>,
): Suppression | undefined {
  const key = resourceKey(finding.resource);
  const covering = configured
    .filter((c) => (c.suppression.rule === '*' || c.suppression.rule === finding.ruleId) && c.matchesResource(key))
    .map((c) => c.suppression);
  return firstActive(covering, finding, 'config', today, warnings);
}

/** The first unexpired entry wins; every expired one that would have applied is reported. */
function firstActive(
  entries: readonly { readonly reason: string; readonly until?: string }[],
  finding: Finding,
  kind: 'inline' | 'config',
  today: string,
  warnings: Set<string>,
): Suppression | undefined {
  let active: Suppression | undefined;
  for (const entry of entries) {
    if (entry.until !== undefined && hasExpired(entry.until, today)) {
      warnings.add(`${kind} suppression of ${finding.ruleId} on ${describeRef(finding.resource)} expired on ${entry.until}`);
    } else if (!active) {
      active = entry.until === undefined ? { kind, reason: entry.reason } : { kind, reason: entry.reason, until: entry.until };
    }
  }
  return active;
}
