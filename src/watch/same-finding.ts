import { judgedObjectOf } from '../core/engine.js';
import type { Finding } from '../core/types.js';

/** Plain data (what a finding is made of) equal in every field, arrays in order. */
function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlain(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !samePlain((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * True when `restated` says exactly what `held` says (every field, not only what the stream
 * compares) about the same stored copy of its object, so the held object can stand for it. A full
 * evaluation restates every open finding every few seconds, and each update of an object restates
 * its own: storing the new object each time made the one held (already in V8's old generation)
 * garbage there, for nothing, while the new one, dropped at once, dies young. The judged copy must
 * be the same one: a finding ties its object for suppressions (`judgedObjectOf`), and a finding
 * kept from an older copy would keep that copy alive.
 */
export function sameFinding(held: Finding, restated: Finding): boolean {
  return held.fingerprint === restated.fingerprint && judgedObjectOf(held) === judgedObjectOf(restated) && samePlain(held, restated);
}
