import type { K8sObject } from '../../core/types.js';

/**
 * A watched update arrives as a whole new object, though most of it is what the snapshot holds
 * already (a Pod relabelled keeps its spec). Each part of `next` equal to the same part of
 * `previous` (a top-level field, or a field of metadata) is replaced by the stored one, so the part
 * just parsed dies young and the stored one stays: stored and replaced, it would die in the old
 * generation seconds later, which is what fragments a long watch's heap (docs/benchmarks.md,
 * h-watchflat11). Objects are read, never written, past the reader, so sharing parts is safe.
 * `next` is changed in place and returned; it must not be shared yet.
 */
export function shareUnchanged(previous: K8sObject | undefined, next: K8sObject): K8sObject {
  if (previous === undefined || previous === next) return next;
  const into = next as unknown as Record<string, unknown>;
  const from = previous as unknown as Record<string, unknown>;
  for (const key of Object.keys(into)) {
    if (key === 'metadata') continue;
    if (key in from && sameJson(from[key], into[key])) into[key] = from[key];
  }
  const metadata = into.metadata;
  const before = from.metadata;
  if (isRecord(metadata) && isRecord(before)) {
    for (const key of Object.keys(metadata)) {
      const value = metadata[key];
      if (!(key in before)) continue;
      // Strings too: JSON.parse gives each its own copy (a Pod's name, uid and creation time, held
      // twice at scale 1 after one pass over the Pods: 2 MB of a heap snapshot, h-watchrss11).
      if (value === before[key] || sameJson(before[key], value)) metadata[key] = before[key];
      // Labels and annotations with one value changed: the values that did not are shared.
      else if ((key === 'labels' || key === 'annotations') && isRecord(value) && isRecord(before[key])) shareStrings(before[key], value);
    }
  }
  return next;
}

/** Each string of `into` equal to the one `from` holds under the same key is replaced by it. */
function shareStrings(from: Record<string, unknown>, into: Record<string, unknown>): void {
  for (const key of Object.keys(into)) {
    const value = into[key];
    if (typeof value === 'string' && key in from && from[key] === value) into[key] = from[key];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equality of parsed JSON values (no cycles, no prototypes beyond Object and Array). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) if (!(key in y) || !sameJson(x[key], y[key])) return false;
  return true;
}
