import { DEFAULT_IGNORE_HORIZON_DAYS, type ConfigSuppression, type KfguardConfig } from '../core/config-types.js';
import { judgedObjectOf } from '../core/engine.js';
import { describeRef, refOf } from '../core/object.js';
import { fileOriginOf, type Finding, type ResourceRef, type ScannedObject, type Suppression } from '../core/types.js';
import { addDays, hasExpired } from './dates.js';
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
  const byObject = indexInlineIgnores(objects, warnings, knownRuleIds);
  // Only findings built outside the engine look objects up by name; most scans have none.
  let byRef: Map<string, AnnotatedObject[]> | undefined;
  const configured = config.suppressions.map((suppression) => ({ suppression, matchesResource: compileResourceGlob(suppression.resource) }));
  const horizon = addDays(today, config.ignoreHorizonDays ?? DEFAULT_IGNORE_HORIZON_DAYS);
  const ownIgnores = (finding: Finding): readonly InlineIgnore[] => {
    const judged = judgedObjectOf(finding);
    if (judged) return byObject.get(judged) ?? inlineIgnoresOf(judged, knownRuleIds).ignores;
    // A finding built outside the engine: its annotations count only when the name and file point at one object.
    byRef ??= indexByRef(objects, byObject);
    const candidates = (byRef.get(refKey(finding.resource)) ?? []).filter((c) => finding.location === undefined || c.file === finding.location.file);
    return candidates.length === 1 ? (candidates[0]?.ignores ?? []) : [];
  };
  const result = findings.map((finding) => {
    if (finding.suppression) return finding;
    const suppression =
      inlineSuppression(finding, ownIgnores(finding), config, today, horizon, warnings) ??
      configSuppression(finding, configured, today, warnings, horizon);
    return suppression ? { ...finding, suppression } : finding;
  });
  return { findings: result, warnings: [...warnings] };
}

/**
 * Config suppressions only, for findings on what an audit log or a job API holds: there the
 * object was written by whoever sent the request, perhaps the attacker, so its own
 * `kfguard.io/ignore` annotations are never read (`selfExemptionNote` says so in the evidence).
 * Only the operator's config (and the baseline, applied after) can accept them.
 */
export function applyConfigSuppressions(findings: readonly Finding[], config: KfguardConfig, today: string): SuppressionResult {
  const warnings = new Set<string>();
  const configured = config.suppressions.map((suppression) => ({ suppression, matchesResource: compileResourceGlob(suppression.resource) }));
  const horizon = addDays(today, config.ignoreHorizonDays ?? DEFAULT_IGNORE_HORIZON_DAYS);
  const result = findings.map((finding) => {
    if (finding.suppression) return finding;
    const suppression = configSuppression(finding, configured, today, warnings, horizon);
    return suppression ? { ...finding, suppression } : finding;
  });
  return { findings: result, warnings: [...warnings] };
}

/**
 * Evidence for a finding whose object tries to exempt itself with its own `kfguard.io/ignore`
 * where that is never honoured (audit events, job APIs): a responder wants to know, since a miner
 * that asks not to be looked at is telling something.
 */
export function selfExemptionNote(scanned: ScannedObject, ruleId: string): string | undefined {
  const covering = inlineIgnoresOf(scanned).ignores.some((ignore) => ignoreCovers(ignore, ruleId));
  return covering ? 'the object carries a kfguard.io/ignore covering this rule; not honoured: whoever sent the request wrote it' : undefined;
}

function refKey(ref: ResourceRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name].join('\u0000');
}

/** Every object's inline ignores, and the warnings about ignores that cannot be honoured. */
function indexInlineIgnores(objects: readonly ScannedObject[], warnings: Set<string>, knownRuleIds: readonly string[] | undefined): Map<ScannedObject, readonly InlineIgnore[]> {
  const byObject = new Map<ScannedObject, readonly InlineIgnore[]>();
  for (const scanned of objects) {
    const inline = inlineIgnoresOf(scanned, knownRuleIds);
    for (const warning of inline.warnings) warnings.add(warning);
    byObject.set(scanned, inline.ignores);
  }
  return byObject;
}

/** Objects by name, each with its file and ignores (every object counts, ignores or not: a name two objects share matches neither). */
function indexByRef(objects: readonly ScannedObject[], byObject: ReadonlyMap<ScannedObject, readonly InlineIgnore[]>): Map<string, AnnotatedObject[]> {
  const byRef = new Map<string, AnnotatedObject[]>();
  for (const scanned of objects) {
    const key = refKey(refOf(scanned.object));
    const entry = { file: fileOriginOf(scanned.origin)?.file, ignores: byObject.get(scanned) ?? [] };
    const list = byRef.get(key);
    if (list) list.push(entry);
    else byRef.set(key, [entry]);
  }
  return byRef;
}

function inlineSuppression(
  finding: Finding,
  ignores: readonly InlineIgnore[],
  config: KfguardConfig,
  today: string,
  horizon: string,
  warnings: Set<string>,
): Suppression | undefined {
  const covering = ignores.filter((ignore) => ignoreCovers(ignore, finding.ruleId));
  const refused = covering.length > 0 ? inlineIgnoreRefused(finding, config.liveInlineIgnores) : undefined;
  if (refused) {
    warnings.add(`${refused} (${describeRef(finding.resource)})`);
    return undefined;
  }
  const withinHorizon = covering.filter((ignore) => {
    if (ignore.until === undefined && finding.category === 'threat' && UNTIL_REQUIRED.has(finding.severity)) {
      // Whoever writes the manifest writes the annotation: a critical or high threat (a miner, a
      // backdoor) is exempted only for a stated time, as a Kyverno PolicyException or a
      // Trivy ignore with an expiry is meant to be reviewed, never for ever.
      warnings.add(
        `inline suppression of ${finding.ruleId} on ${describeRef(finding.resource)} not honoured: a ${finding.severity} threat finding is suppressed only with kfguard.io/ignore-until (at most ${horizon}, the config setting ignoreHorizonDays)`,
      );
      return false;
    }
    if (ignore.until === undefined || ignore.until <= horizon) return true;
    warnings.add(
      `inline suppression of ${finding.ruleId} on ${describeRef(finding.resource)} not honoured: ignore-until ${ignore.until} is past the horizon ${horizon} (the config setting ignoreHorizonDays)`,
    );
    return false;
  });
  return firstActive(withinHorizon, finding, 'inline', today, warnings);
}

/** Severities of threat findings an inline annotation suppresses only with an `ignore-until` date. */
const UNTIL_REQUIRED = new Set<string>(['critical', 'high']);

function configSuppression(
  finding: Finding,
  configured: readonly CompiledSuppression[],
  today: string,
  warnings: Set<string>,
  horizon: string,
): Suppression | undefined {
  const key = resourceKey(finding.resource);
  const covering = configured
    .filter((c) => (c.suppression.rule === '*' || c.suppression.rule === finding.ruleId) && c.matchesResource(key))
    .map((c) => c.suppression)
    .filter((c) => withinHorizon(c, horizon, warnings));
  const active = firstActive(covering, finding, 'config', today, warnings);
  const entry = active && covering.find((c) => c.reason === active.reason && c.until === active.until);
  if (entry?.rule === '*') {
    // A wildcard hides every rule, present and future, on what it matches: each report names it.
    warnings.add(`config suppression rule "*" on "${entry.resource}" (${entry.reason}) suppresses every rule on what it matches`);
  }
  return active;
}

/**
 * An `until` past the horizon is not honoured and the entry is named, as for annotations. Capping
 * it to the horizon instead would never expire: the horizon is counted from today, so it moves.
 */
function withinHorizon(suppression: ConfigSuppression, horizon: string, warnings: Set<string>): boolean {
  if (suppression.until === undefined || suppression.until <= horizon) return true;
  warnings.add(
    `config suppression of ${suppression.rule} on "${suppression.resource}" (${suppression.reason}) not honoured: until ${suppression.until} is past the horizon ${horizon} (the config setting ignoreHorizonDays)`,
  );
  return false;
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
