/**
 * A run's merge of an anchor defined before the run (`<<: *g`, issue 17 outsidemerge17).
 *
 * A run is read alone (go-yaml-block-runs.ts), so the lean reader sees the alias as a mark
 * (go-yaml-run-aliases.ts), not as the anchor's mapping, and cannot merge it yet. It keeps the
 * mapping's pairs in order instead; the decoder applies them when it puts the anchor's value in,
 * as go-yaml does: pairs in order, the merge setting every key of its mapping (overriding an
 * earlier explicit one), a later explicit key overriding a merged one. Whatever is not certain
 * here (the anchor is no plain mapping, a key that may be typed, a null key, the cap reached) is
 * not decided: the run is given up (MergeGiveUp) and the parser reads it, giving go-yaml's answer.
 */
import { hasNullKey, MAX_MERGED_ENTRIES, setKey } from './go-yaml-values.js';

/** One pair of the mapping: an explicit key and its value, or the number of the mark it merges. */
export type MergeStep = readonly [key: string, value: unknown] | number;

/** A mapping of a run holding `<<: <mark>`, its pairs in document order. */
export class PendingMerge {
  constructor(readonly steps: readonly MergeStep[]) {}
}

let applied = 0;
/** How many pending merges were applied: tests check that merges were read in runs, not given up. */
export function pendingMergesApplied(): number {
  return applied;
}

/** Thrown when a pending merge is not certain to be applied as go-yaml applies it: the parser reads the run. */
export class MergeGiveUp extends Error {}

/** Merged entries counted so far in this walk (the full reader's MAX_MERGED_ENTRIES budget). */
export interface MergeCount {
  merged: number;
}

/**
 * A key a bool, int or float key may have become: go-yaml merges into a map of typed keys, so such a
 * key is not certain to override (or be overridden by) its string twin (go-yaml-lean.ts TYPED_TEXT).
 */
const TYPED_TEXT = /^(?:true$|false$|-?[0-9])/;

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof PendingMerge) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The mapping the pairs make. `resolve` gives an explicit value with its marks filled in; `anchor`
 * the value of mark k's anchor. Counted before any copy, as the full reader counts (countMerged).
 */
export function applyPendingMerge(merge: PendingMerge, resolve: (value: unknown) => unknown, anchor: (k: number) => unknown, count: MergeCount): Record<string, unknown> {
  const entries = new Map<string, unknown>();
  for (const step of merge.steps) {
    if (typeof step !== 'number') {
      const [key, value] = step;
      if (entries.has(key) && TYPED_TEXT.test(key)) throw new MergeGiveUp();
      entries.set(key, resolve(value));
      continue;
    }
    let map: unknown;
    try {
      map = anchor(step);
    } catch {
      // An anchor around the run, or unknown: the full reader's error, at its place, is the parser's to give.
      throw new MergeGiveUp();
    }
    // Not a mapping: go-yaml's "map merge requires map …" error, given by the parser with its place.
    if (!isPlainMapping(map) || hasNullKey(map)) throw new MergeGiveUp();
    const keys = Object.keys(map);
    // A key that may be typed: the full reader knows its type (and notes kubectl's random pick).
    if (keys.some((key) => TYPED_TEXT.test(key))) throw new MergeGiveUp();
    // Past the cap the full reader refuses the document: the parser reads the run and says so (never a cut).
    if (count.merged + keys.length > MAX_MERGED_ENTRIES) throw new MergeGiveUp();
    count.merged += keys.length;
    for (const key of keys) entries.set(key, map[key]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) setKey(out, key, value);
  applied++;
  return out;
}
