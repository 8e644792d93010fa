import { isCredentialName, redactCredentialAssignments, redactUrlCredentials } from '../core/redact.js';
import type { ReadingStakes } from '../core/types.js';

/**
 * Where two readings of one document differ, each difference said in one line (the path, what
 * Kubernetes reads there and what a YAML 1.2 reader reads) and graded by what it can change
 * (reading-stakes.ts). Every difference is reported, not only the first: a harmless first
 * difference must not hide a dangerous second one. Values are cut short, and hidden in Secrets and
 * under credential-like keys, so the evidence never carries a secret.
 */

export interface GradedNote {
  readonly text: string;
  readonly stakes: ReadingStakes;
}

/** More differences than this in one document are not listed one by one; the rest count as high. */
export const MAX_DIFFERENCES = 20;

export function describeDifferences(kubernetes: unknown, yaml12: unknown): GradedNote[] {
  const walk = newWalk();
  const complete = collectDifferences(kubernetes, yaml12, [], false, walk);
  const { found } = walk;
  const hideAll = isSecret(kubernetes) || isSecret(yaml12);
  const notes = found.map((d) => {
    const where = d.segments.length === 0 ? 'the document' : pathText(d.segments);
    const graded = gradeDifference(d.segments, d.a, d.b, d.renamedFrom);
    if (d.renamedFrom !== undefined) {
      return {
        text: `at ${where} Kubernetes (go-yaml, YAML 1.1) reads the key ${JSON.stringify(d.segments.at(-1))} but YAML 1.2 readers (js-yaml, most editors and linters) read ${JSON.stringify(d.renamedFrom)}, with the same value (${graded.stakes}: ${graded.why})`,
        stakes: graded.stakes,
      };
    }
    return {
      text: `at ${where} Kubernetes (go-yaml, YAML 1.1) reads ${show(d.a, d.secret || hideAll)} but YAML 1.2 readers (js-yaml, most editors and linters) read ${show(d.b, d.secret || hideAll)} (${graded.stakes}: ${graded.why})`,
      stakes: graded.stakes,
    };
  });
  if (!complete) notes.push({ text: `more than ${MAX_DIFFERENCES} places read differently; the rest were not compared (high: what was not compared may be a command)`, stakes: 'high' });
  return notes;
}

/**
 * A key written twice in one mapping: Kubernetes keeps the last value, YAML 1.2 readers refuse the
 * document, and a reviewer or a first-wins reader sees the first. Graded by what differs between
 * the two values; two equal values change nothing.
 */
export function describeDuplicate(segments: readonly (string | number)[], first: unknown, last: unknown, hideValues: boolean, root?: unknown): GradedNote {
  const walk = newWalk();
  const { found } = walk;
  const secret = hideValues || segments.some((s) => typeof s === 'string' && isCredentialName(s)) || isCredentialEnvValue(parentOf(root, segments), segments.at(-1));
  const complete = collectDifferences(last, first, segments, secret, walk);
  const where = pathText(segments);
  if (found.length === 0) return { text: `key ${where} is written twice with the same value; Kubernetes keeps the last, YAML 1.2 readers refuse the document (low: both values are equal)`, stakes: 'low' };
  const graded = found.map((d) => ({ d, ...gradeDifference(d.segments, d.a, d.b, d.renamedFrom) }));
  const worst = complete ? graded.reduce((a, b) => (RANK[b.stakes] > RANK[a.stakes] ? b : a)) : { d: found[0] as Difference, stakes: 'high' as const, why: 'too many places differ to compare' };
  return {
    text: `key ${where} is written twice; Kubernetes keeps the last value, YAML 1.2 readers refuse the document and a first-wins reader keeps the first: at ${pathText(worst.d.segments)} the last reads ${show(worst.d.a, worst.d.secret)}, the first ${show(worst.d.b, worst.d.secret)} (${worst.stakes}: ${worst.why})`,
    stakes: worst.stakes,
  };
}

const RANK: Record<ReadingStakes, number> = { low: 0, medium: 1, high: 2 };

/** The highest of some stakes; high when there are none to say otherwise is not asked here. */
export function highestStakes(stakes: readonly ReadingStakes[]): ReadingStakes | undefined {
  let best: ReadingStakes | undefined;
  for (const s of stakes) if (best === undefined || RANK[s] > RANK[best]) best = s;
  return best;
}

/** Keys whose numbers are file modes: Kubernetes reads `0644` as octal (420), YAML 1.2 as 644. */
const MODE_KEYS = new Set(['mode', 'defaultMode']);
/**
 * Annotations that change what runs or what guards it (sidecar injection, AppArmor and seccomp
 * profiles, Pod Security, network and policy controllers): a difference in one is medium.
 */
const GUARDING_ANNOTATION = /apparmor|seccomp|security|sidecar|inject|istio|linkerd|policy|network|egress|kubectl\.kubernetes\.io\/last-applied/i;

/**
 * How much a difference at `path` can change. Low: a file mode Kubernetes reads in octal (the mode
 * the author meant; no command, image or address differs, and kfguard's own rules read Kubernetes'
 * value), or an annotation no controller guards with. Medium: a label (selectors, NetworkPolicies
 * and Pod Security pick objects by label) or a guarding annotation. High: everything else, since
 * any other field of a workload or an unknown kind may be a command, an image, an environment
 * variable, a port, a Service type or a selector, and a miner hides in exactly those.
 */
export function gradeDifference(path: readonly (string | number)[], a: unknown, b: unknown, renamedFrom?: string): { stakes: ReadingStakes; why: string } {
  const segments = path.filter((s): s is string => typeof s === 'string');
  const last = typeof path.at(-1) === 'string' ? (path.at(-1) as string) : '';
  if (MODE_KEYS.has(last) && isOctalReading(a, b)) return { stakes: 'low', why: 'a file mode Kubernetes reads in octal, as its author meant; nothing that runs differs' };
  if (typeof a === 'boolean' && typeof b === 'string' && typeof path.at(-1) === 'number' && BOOLEAN_KEY_WORDS.has(b)) {
    return { stakes: 'low', why: 'a list item read as a boolean, not a setting: a Kubernetes string list (command, args) refuses it, elsewhere only its spelling differs' };
  }
  if (typeof a === 'boolean' && typeof b === 'string' && BOOLEAN_KEY_WORDS.has(b) && NAMING_KEY.test(last)) {
    return { stakes: 'low', why: 'a field that names something (a parameter, a key, a task): a boolean names nothing, so the reader that sees one fails instead of running something else' };
  }
  if (renamedFrom !== undefined) {
    // No field of Kubernetes or of a controller is named `y`, `on` or `no`: the key is a name the
    // author chose (a parameter, a data key), or a label key, which selectors match on.
    if (segments.at(-2) === 'labels' && segments.at(-3) === 'metadata') return { stakes: 'medium', why: 'a label key, which selectors and policies match on' };
    return { stakes: 'low', why: 'a key YAML 1.1 reads as a boolean; both readers see the same value under it' };
  }
  const annotations = segments.lastIndexOf('annotations');
  if (annotations !== -1 && annotations === segments.length - 2 && typeof path.at(-1) === 'string') {
    return GUARDING_ANNOTATION.test(last) ? { stakes: 'medium', why: 'an annotation that controllers act on' } : { stakes: 'low', why: 'an annotation no controller kfguard knows acts on' };
  }
  if (annotations !== -1 && annotations === segments.length - 1 && isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !Object.is(a[k], b[k]));
    const guarding = keys.some((k) => GUARDING_ANNOTATION.test(k));
    return guarding ? { stakes: 'medium', why: 'an annotation that controllers act on' } : { stakes: 'low', why: 'annotations no controller kfguard knows acts on' };
  }
  const labels = segments.lastIndexOf('labels');
  if (labels !== -1 && labels >= segments.length - 2 && segments[labels - 1] === 'metadata') return { stakes: 'medium', why: 'a label, which selectors and policies match on' };
  return { stakes: 'high', why: 'a field that may decide what runs (command, image, env, ports, type, selector)' };
}

/**
 * Keys whose value names something rather than switching it (`name`, `secretKeyRef.key`, KFP's
 * `componentInputParameter`, `producerTask`): a YAML 1.1 boolean word there is a name for one reader
 * and a boolean, which names nothing, for the other. A security switch (`privileged: yes`) is not
 * named like this and stays high.
 */
const NAMING_KEY = /^(?:name|key)$|(?:Name|Key|Parameter|Task|Ref)$/;

/** `a` is what Kubernetes reads for a number written with a leading zero, `b` what YAML 1.2 reads. */
function isOctalReading(a: unknown, b: unknown): boolean {
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isInteger(b) || b < 0) return false;
  const digits = String(b);
  return /^[0-7]+$/.test(digits) && Number.parseInt(digits, 8) === a && a <= 0o7777;
}

/** `spec.containers[0].command`; a key holding a dot or a slash is quoted: `annotations["a.io/b"]`. */
function pathText(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return 'the document';
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[\w-]+$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`)).join('');
}

interface Difference {
  /** Set when the same value sits under a key Kubernetes names differently (`y:` is `"true":` for go-yaml): YAML 1.2's key. */
  readonly renamedFrom?: string;
  readonly segments: readonly (string | number)[];
  readonly a: unknown;
  readonly b: unknown;
  readonly secret: boolean;
}

/**
 * One comparison's state. `equal` holds the pairs of collections already found equal: aliases share
 * nodes in both readings, so without it a 3,000-key anchor aliased 8,000 times was compared 8,000
 * times (18 s on 54 KB, issue 17). Only equal pairs are remembered: a pair that differs is walked
 * again at each place it appears, since a difference is graded by its place (a label, a command),
 * and MAX_DIFFERENCES bounds those walks. `visited` counts the pairs walked and the entries looked
at in them, equal or not (tests bound it).
 */
interface Walk {
  readonly found: Difference[];
  readonly equal: WeakMap<object, WeakSet<object>>;
  visited: number;
}

function newWalk(): Walk {
  return { found: [], equal: new WeakMap(), visited: 0 };
}

/** How much a comparison of two readings works (Walk.visited), for tests that bound it. */
export function comparedPairs(kubernetes: unknown, yaml12: unknown): number {
  const walk = newWalk();
  collectDifferences(kubernetes, yaml12, [], false, walk);
  return walk.visited;
}

/** Adds every difference below `path` to `walk.found`; false when more than MAX_DIFFERENCES were found. */
function collectDifferences(a: unknown, b: unknown, segments: readonly (string | number)[], secret: boolean, walk: Walk): boolean {
  if (Object.is(a, b)) return true;
  const { found } = walk;
  if (found.length >= MAX_DIFFERENCES) return false;
  walk.visited++;
  const pair = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null ? walk.equal.get(a) : undefined;
  if (pair?.has(b as object)) return true;
  const before = found.length;
  const complete = compareCollections(a, b, segments, secret, walk);
  if (complete && found.length === before && typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    let seen = walk.equal.get(a);
    if (!seen) walk.equal.set(a, (seen = new WeakSet()));
    seen.add(b);
  }
  return complete;
}

function compareCollections(a: unknown, b: unknown, segments: readonly (string | number)[], secret: boolean, walk: Walk): boolean {
  const { found } = walk;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      found.push({ segments, a, b, secret });
      return true;
    }
    walk.visited += a.length;
    for (let i = 0; i < a.length; i++) if (!collectDifferences(a[i], b[i], [...segments, i], secret, walk)) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) return compareMappings(a, b, segments, secret, walk);
  found.push({ segments, a, b, secret });
  return true;
}

/** Compares two mappings key by key; a key YAML 1.1 reads as another (`y` → `"true"`) is one difference, not two. */
function compareMappings(a: Record<string, unknown>, b: Record<string, unknown>, segments: readonly (string | number)[], secret: boolean, walk: Walk): boolean {
  const { found } = walk;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  walk.visited += keys.size;
  const renamed = renamedKeys(a, b, walk);
  const renamedFroms = new Set(renamed.values());
  for (const key of keys) {
    const from = renamed.get(key);
    if (from === undefined && renamedFroms.has(key)) continue;
    // Equal children cost no credential check: hidden only matters for a difference.
    if (from === undefined && Object.hasOwn(a, key) && Object.hasOwn(b, key) && Object.is(a[key], b[key])) continue;
    const child = [...segments, key];
    const hidden = secret || isCredentialName(key) || isCredentialEnvValue(a, key) || isCredentialEnvValue(b, key);
    if (from !== undefined) {
      if (found.length >= MAX_DIFFERENCES) return false;
      found.push({ segments: child, a: a[key], b: b[from], secret: hidden, renamedFrom: from });
      continue;
    }
    if (!Object.hasOwn(a, key) || !Object.hasOwn(b, key)) {
      if (found.length >= MAX_DIFFERENCES) return false;
      found.push({ segments: child, a: Object.hasOwn(a, key) ? a[key] : MISSING, b: Object.hasOwn(b, key) ? b[key] : MISSING, secret: hidden });
      continue;
    }
    if (!collectDifferences(a[key], b[key], child, hidden, walk)) return false;
  }
  return true;
}

/** YAML 1.1 words go-yaml reads as booleans when they stand as a mapping key (YAML 1.2 reads text). */
const BOOLEAN_KEY_WORDS = new Map<string, string>(
  [
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((w) => [w, 'true'] as const),
    ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w) => [w, 'false'] as const),
  ],
);

/**
 * Keys of Kubernetes' mapping `a` that hold the same value as a YAML 1.2 key of `b` go-yaml reads
 * as that key (`y` → `"true"`), each to the key it came from. Only when the Kubernetes key is
 * absent from `b` and the YAML 1.2 key absent from `a`: a collision (`y:` beside `true:`) stays a
 * difference of values.
 */
function renamedKeys(a: Record<string, unknown>, b: Record<string, unknown>, walk: Walk): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const key of Object.keys(b)) {
    const read = BOOLEAN_KEY_WORDS.get(key);
    if (read === undefined || Object.hasOwn(a, key) || !Object.hasOwn(a, read) || Object.hasOwn(b, read) || renamed.has(read)) continue;
    if (sameValue(a[read], b[key], walk)) renamed.set(read, key);
  }
  return renamed;
}

/** Compared in a walk of its own (its differences are not the document's) that shares the pairs known equal. */
function sameValue(a: unknown, b: unknown, walk: Walk): boolean {
  const own: Walk = { found: [], equal: walk.equal, visited: 0 };
  const complete = collectDifferences(a, b, [], false, own);
  walk.visited += own.visited;
  return complete && own.found.length === 0;
}

const MISSING = Symbol('missing');
const MAX_SHOWN = 80;

function show(value: unknown, hide: boolean): string {
  if (value === MISSING) return 'nothing';
  if (hide) return value === null ? 'null' : Array.isArray(value) ? `a list of ${value.length} (values hidden)` : `a ${typeof value === 'object' ? 'mapping' : typeof value} (value hidden)`;
  let text: string;
  try {
    text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  // Masked before the cut, so a URL password or a `--password=` flag cut at MAX_SHOWN is still masked whole.
  text = redactUrlCredentials(redactCredentialAssignments(text));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` of an env entry whose `name` is credential-like (`{name: DB_PASSWORD, value: …}`), found
 * by structure, whatever the key order: the key `value` itself says nothing.
 */
function isCredentialEnvValue(mapping: unknown, key: string | number | undefined): boolean {
  return key === 'value' && isPlainObject(mapping) && typeof mapping.name === 'string' && isCredentialName(mapping.name);
}

/** The mapping or list holding the last segment of `segments`, read from the document's root. */
function parentOf(root: unknown, segments: readonly (string | number)[]): unknown {
  let node = root;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(node) && typeof s === 'number') node = node[s];
    else if (isPlainObject(node) && typeof s === 'string' && Object.hasOwn(node, s)) node = node[s];
    else return undefined;
  }
  return node;
}

function isSecret(value: unknown): boolean {
  return isPlainObject(value) && value.kind === 'Secret';
}
