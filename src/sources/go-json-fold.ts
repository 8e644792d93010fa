import { isRecord } from '../core/object.js';

/**
 * Go's `encoding/json` matches object keys to struct fields case-insensitively (Unicode simple
 * folding, so `ſ` matches `s` and the Kelvin sign matches `k`). KFP v1 and the Argo CLI decode
 * workflows that way, through sigs.k8s.io/yaml, which first turns YAML into JSON with keys sorted by
 * byte order. So `Container:`, `Command:` and `Image:` run, and when `command` and `Command` are both
 * present the one sorting last (`command`) wins, records being merged into the same struct.
 *
 * `foldGoJsonKeys` rewrites a document the way that decode sees it, for the field names in
 * `fields`; keys of free-form maps (`opaque`) are left alone, as Go decodes them into maps.
 */

export interface GoFields {
  readonly fields: ReadonlySet<string>;
  readonly opaque: ReadonlySet<string>;
}

/** Go's simple case folding, for comparing a key with an ASCII field name. */
function fold(key: string): string {
  let out = '';
  for (const char of key) {
    const upper = char.toUpperCase();
    out += upper.length === 1 ? upper.toLowerCase() : char.toLowerCase();
  }
  return out;
}

const foldedCache = new WeakMap<ReadonlySet<string>, ReadonlyMap<string, string>>();
function foldedFields(fields: ReadonlySet<string>): ReadonlyMap<string, string> {
  let folded = foldedCache.get(fields);
  if (!folded) {
    folded = new Map([...fields].map((field) => [fold(field), field]));
    foldedCache.set(fields, folded);
  }
  return folded;
}

/** The field a key decodes into, when it is one of `fields`. */
export function goFieldOf(key: string, fields: ReadonlySet<string>): string | undefined {
  return fields.has(key) ? key : foldedFields(fields).get(fold(key));
}

/** The value as Go decodes it; the same reference when nothing changes. */
export function foldGoJsonKeys(value: unknown, shape: GoFields, depth = 0): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item: unknown) => {
      const next = foldGoJsonKeys(item, shape, depth + 1);
      changed ||= next !== item;
      return next;
    });
    return changed ? items : value;
  }
  if (!isRecord(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  // Byte order, as sigs.k8s.io/yaml hands keys to encoding/json: a later key overwrites an earlier one.
  const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const key of keys) {
    const field = goFieldOf(key, shape.fields) ?? key;
    const raw = value[key];
    const decoded = shape.opaque.has(field) ? raw : foldGoJsonKeys(raw, shape, depth + 1);
    const earlier = out[field];
    out[field] = isRecord(earlier) && isRecord(decoded) ? mergeInto(earlier, decoded) : decoded;
    if (field !== key || decoded !== raw || earlier !== undefined) changed = true;
  }
  if (!changed) return value;
  // Keep the document's own key order for everything else (paths and reports read better).
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = goFieldOf(key, shape.fields) ?? key;
    if (!(field in ordered)) ordered[field] = out[field];
  }
  return ordered;
}

/** Go decodes a second object for the same struct field into the struct already there. */
function mergeInto(earlier: Readonly<Record<string, unknown>>, later: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    const before = merged[key];
    merged[key] = isRecord(before) && isRecord(value) ? mergeInto(before, value) : value;
  }
  return merged;
}
