import { goFloat32Key } from './go-float-key.js';
import { resolveGoPlain } from './go-yaml-scalar.js';

/**
 * Value rules the exact reader applies wherever a value comes from (the `yaml` node tree or the
 * flow-collection reader, go-yaml-flow-read.ts): plain scalars resolved as go-yaml resolves them,
 * map keys turned into JSON keys as sigs.k8s.io/yaml turns them, and what kfguard says about both.
 */
export class ExactDecodeError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * Entries merge keys may copy into mappings in one document. A merge copies its source's keys
 * (aliases only share nodes), so `{<<: *a}` written 20,000 times over a 3,000-key anchor built 60
 * million entries and 2.2 GB before the alias cap (yaml-documents.ts) could look at the result:
 * the copies are counted before they are made. Each copy costs about 1 µs (less than the alias
 * cap's 2,000,000 nodes allows in 1 s); no manifest merges more than a few hundred keys. kubectl
 * refuses such documents too ("excessive aliasing"), and js-yaml stops at 10,000 merged keys.
 */
export const MAX_MERGED_ENTRIES = 250_000;
/**
 * The count MAX_MERGED_ENTRIES caps, shared by every reader of one document: each flow collection
 * the flow reader reads (go-yaml-flow-read.ts) once counted its merges from zero, so 3,000 regions
 * each merging a 3,000-key anchor copied 9 million entries (7 s, 1.5 GB for 92 KB) unrefused.
 */
export interface MergeBudget {
  merged: number;
}

export const MERGE_BOMB = `YAML merge keys copy more than ${MAX_MERGED_ENTRIES.toLocaleString('en-US')} entries; refusing a likely alias bomb`;

/** A duplicate found while building a mapping; its path is found afterwards from the mapping's object. */
export interface PendingDuplicate {
  owner?: object;
  readonly key: string;
  readonly first: unknown;
  readonly last: unknown;
}

/** Where reading a value leaves what it has to say, in document order. */
export interface ValueSink {
  readonly notes: string[];
  refuses: string | undefined;
}

export function plainValue(text: string, sink: ValueSink): unknown {
  const resolved = resolveGoPlain(text);
  if (resolved.tag === 'float' && !Number.isFinite(resolved.value)) {
    sink.refuses ??= `\`${text}\` is ${resolved.value}, which JSON cannot hold (json: unsupported value)`;
  }
  if (resolved.tag === 'merge') return '<<';
  return resolved.value;
}

/**
 * A null key (`~`, `null`, an empty key) is refused by sigs.k8s.io/yaml only when it converts
 * go-yaml's finished result to JSON, after go-yaml let a repeated key replace the value holding it
 * (`{a: {~: 1}, a: 2}` is applied). So the readers leave the entry out, mark its mapping (and any
 * mapping a merge copies it into) with this non-enumerable property, and the decoder refuses the
 * document only if a marked mapping is still in the result (findNullKey). Aliases share the
 * marked object, so they carry the mark.
 */
const NULL_KEY = Symbol('null key');
export const NULL_KEY_REFUSAL = 'unsupported map key of type null';

/** Marks made so far in this process: a decode that made none skips the walk (nothing to pay in the common case). */
let nullKeyMarks = 0;
export function nullKeyMarkCount(): number {
  return nullKeyMarks;
}

export function markNullKey(map: object): void {
  if (Object.hasOwn(map, NULL_KEY)) return;
  Object.defineProperty(map, NULL_KEY, { value: true, enumerable: false });
  nullKeyMarks++;
}

export function hasNullKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, NULL_KEY);
}

/** Whether a marked mapping is left in the decoded value; each object is visited once (aliases share them). */
export function findNullKey(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    if (Object.hasOwn(value, NULL_KEY)) return true;
    seen.add(value);
    for (const item of Array.isArray(value) ? value : Object.values(value)) stack.push(item);
  }
  return false;
}

/** sigs.k8s.io/yaml turns map keys into JSON strings; a collection key is refused (null keys: see NULL_KEY). */
export function keyToString(key: unknown, sink: ValueSink, float = false): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') {
    // `float`: the key resolved as a float (`123456789.0`), which Go formats as one even when whole.
    if (!float && Number.isInteger(key) && Math.abs(key) < 2 ** 63) return String(BigInt(key));
    return goFloat32Key(key);
  }
  throw new ExactDecodeError(`unsupported map key of type ${key === null ? 'null' : Array.isArray(key) ? 'sequence' : 'mapping'}`);
}

/** The note for one JSON key written with keys of two YAML types (`1` and `"1"`). */
export function keyTypesNote(key: string, earlier: string, later: string): string {
  return `keys ${JSON.stringify(key)} of two YAML types (${earlier}, ${later}) name one JSON key; Kubernetes keeps either at random`;
}

/**
 * The YAML types of a finished mapping's keys, where some key is no string (`true`, `1`, `1.5`):
 * go-yaml merges into a map keyed by typed values, so a merged `true` and a written `"true"` are two
 * keys there, and sigs.k8s.io/yaml keeps either at random as the JSON key "true" (kubectl checked:
 * `{<<: {true: q}, "true": r}` reads q or r). Absent: every key a string.
 */
const KEY_TYPES = new WeakMap<object, ReadonlyMap<string, string>>();

/** Keeps `types` for `map` when some key is no string (the common all-string mapping keeps nothing). */
export function keepKeyTypes(map: object, types: ReadonlyMap<string, string>): void {
  for (const type of types.values()) {
    if (type === 'string') continue;
    KEY_TYPES.set(map, types);
    return;
  }
}

/** The kept types of a mapping's keys; a key not in them (or no types kept) is a string. */
export function keyTypesOf(map: object): ReadonlyMap<string, string> | undefined {
  return KEY_TYPES.get(map);
}

/**
 * Records the types of the keys a merge copies from `source` into a mapping whose keys so far have
 * `types`, noting each key that now has two (the explicit keys' note, keyTypesNote).
 */
export function mergeKeyTypes(types: Map<string, string>, source: object, notes: string[]): void {
  const copied = keyTypesOf(source);
  for (const key of Object.keys(source)) {
    const type = copied?.get(key) ?? 'string';
    const earlier = types.get(key);
    if (earlier !== undefined && earlier !== type) notes.push(keyTypesNote(key, earlier, type));
    types.set(key, type);
  }
}

/** Sets one key; `__proto__` is an ordinary key in Kubernetes, never a prototype. */
export function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
