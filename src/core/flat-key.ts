/**
 * A key built by concatenation, flattened before it is kept. V8 represents `${a}\u0000${b}` as a
 * tree of concatenation cells pointing at the parts; a Map keyed by it keeps the whole tree. Reading
 * a character makes V8 copy the tree into one flat string in place, and the next scavenge points
 * every holder straight at the copy: about 110 bytes a key kept in a Map instead of about 290 (a
 * snapshot keeps several per cluster object: identity, index entry, name; docs/benchmarks.md,
 * h-watchflat11).
 */
export function flatKey(key: string): string {
  // Stored, not discarded: an unused read could be dropped by the optimising compiler.
  _lastFirstChar = key.charCodeAt(0);
  return key;
}

let _lastFirstChar = 0;
