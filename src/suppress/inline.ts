import { nearestWords } from '../core/nearest.js';
import { annotationsOf, asRecord, asString, describeObject } from '../core/object.js';
import { joinPath } from '../core/path.js';
import { fileOriginOf, type ScannedObject } from '../core/types.js';
import { containersOf, podSpecsOf } from '../k8s/workloads.js';
import { isCalendarDate } from './dates.js';

export const IGNORE_ANNOTATION = 'kfguard.io/ignore';
export const IGNORE_REASON_ANNOTATION = 'kfguard.io/ignore-reason';
export const IGNORE_UNTIL_ANNOTATION = 'kfguard.io/ignore-until';
/** Listed instead of rule ids, ignores every rule for the object. */
export const ALL_RULES_MARKER = '*';

export interface InlineIgnore {
  /** Rule ids, or `'*'` for all rules. */
  readonly rules: readonly string[] | typeof ALL_RULES_MARKER;
  readonly reason: string;
  readonly until?: string;
}

export interface InlineIgnores {
  readonly ignores: readonly InlineIgnore[];
  /** Annotations that look like an ignore but cannot be honoured (no reason, bad date). */
  readonly warnings: readonly string[];
}

/**
 * Reads the ignore annotations of an object and of its pod templates. Pod template annotations
 * count for the owning workload because Helm charts often let users set only `podAnnotations`.
 */
export function inlineIgnoresOf(scanned: ScannedObject, knownRuleIds?: readonly string[]): InlineIgnores {
  if (!carriesIgnore(scanned)) return NO_IGNORES;
  const ignores: InlineIgnore[] = [];
  const warnings: string[] = [];
  for (const { annotations, place } of annotationSets(scanned)) {
    if (!(IGNORE_ANNOTATION in annotations)) continue;
    const subject = `${place} of ${describeObject(scanned.object)}${where(scanned)}`;
    const parsed = parseIgnore(annotations, subject);
    if (parsed.ignore) ignores.push(parsed.ignore);
    if (parsed.warning) warnings.push(parsed.warning);
    if (parsed.ignore && knownRuleIds) warnings.push(...unknownIdWarnings(parsed.ignore, subject, knownRuleIds));
  }
  return { ignores, warnings };
}

export function ignoreCovers(ignore: InlineIgnore, ruleId: string): boolean {
  return ignore.rules === ALL_RULES_MARKER || ignore.rules.includes(ruleId);
}

const NO_IGNORES: InlineIgnores = Object.freeze({ ignores: Object.freeze([]), warnings: Object.freeze([]) });

/**
 * Whether any annotation set `annotationSets` would read holds the ignore annotation: the same
 * places (own metadata, each pod holder's metadata), looked up without building the sets. Nearly
 * every object of a cluster carries none, and a scan asks about each one (for the warnings).
 */
function carriesIgnore(scanned: ScannedObject): boolean {
  if (IGNORE_ANNOTATION in annotationsOf(scanned.object)) return true;
  for (const ref of containersOf(scanned.object)) {
    const annotations = ref.holder.metadata && asRecord(ref.holder.metadata.annotations);
    if (annotations && IGNORE_ANNOTATION in annotations) return true;
  }
  return false;
}

interface AnnotationSet {
  readonly annotations: Readonly<Record<string, unknown>>;
  readonly place: string;
}

function annotationSets(scanned: ScannedObject): AnnotationSet[] {
  const own = annotationsOf(scanned.object);
  const sets: AnnotationSet[] = [{ annotations: own, place: 'metadata.annotations' }];
  const seen = new Set<unknown>([scanned.object.metadata]);
  for (const holder of podSpecsOf(scanned.object)) {
    if (!holder.metadata || seen.has(holder.metadata)) continue;
    seen.add(holder.metadata);
    const annotations = asRecord(holder.metadata.annotations);
    if (annotations) sets.push({ annotations, place: joinPath(holder.path.replace(/\.?spec$/, ''), 'metadata', 'annotations') });
  }
  return sets;
}

function parseIgnore(annotations: Readonly<Record<string, unknown>>, subject: string): { ignore?: InlineIgnore; warning?: string } {
  if (!(IGNORE_ANNOTATION in annotations)) return {};
  const listed = asString(annotations[IGNORE_ANNOTATION]);
  const rules = (listed ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (rules.length === 0) return { warning: `${IGNORE_ANNOTATION} in ${subject} names no rule ids; not suppressed` };
  const reason = asString(annotations[IGNORE_REASON_ANNOTATION])?.trim();
  if (!reason) return { warning: `${IGNORE_ANNOTATION} in ${subject} has no ${IGNORE_REASON_ANNOTATION}; not suppressed` };
  const untilValue = annotations[IGNORE_UNTIL_ANNOTATION];
  if (untilValue !== undefined) {
    const until = asString(untilValue)?.trim();
    if (until === undefined || !isCalendarDate(until)) {
      return { warning: `${IGNORE_UNTIL_ANNOTATION} ${shorten(JSON.stringify(untilValue))} in ${subject} is not a date YYYY-MM-DD; not suppressed` };
    }
    return { ignore: { rules: ruleList(rules), reason, until } };
  }
  return { ignore: { rules: ruleList(rules), reason } };
}

/** A mistyped id would leave the finding active with no clue why, so it is pointed out. */
function unknownIdWarnings(ignore: InlineIgnore, subject: string, knownRuleIds: readonly string[]): string[] {
  if (ignore.rules === ALL_RULES_MARKER) return [];
  return ignore.rules
    .filter((id) => !knownRuleIds.includes(id))
    .map((id) => {
      const nearest = nearestWords(id, knownRuleIds);
      return `${IGNORE_ANNOTATION} in ${subject} names unknown rule "${id}"${nearest.length > 0 ? ` (did you mean ${nearest.join(', ')}?)` : ''}`;
    });
}

function ruleList(rules: readonly string[]): InlineIgnore['rules'] {
  return rules.includes(ALL_RULES_MARKER) ? ALL_RULES_MARKER : rules;
}

function where(scanned: ScannedObject): string {
  const file = fileOriginOf(scanned.origin)?.file;
  return file === undefined ? '' : ` (${file})`;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
