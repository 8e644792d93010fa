/**
 * The pairs of each mapping in which js-yaml saw a key twice, for the exact reader's lean path
 * (go-yaml-lean.ts, issue 17). Read with `json: true`, js-yaml keeps a repeated key's last value and
 * drops the earlier one, which kfguard's duplicate-key report needs (what the first value was). Its
 * `listener` sees every node open and close, nested as written: a mapping's children are its keys
 * and values in order, so the pairs can be rebuilt where a key repeats. A child is a key when `:`
 * follows it on its line (block mappings only: the lean path leaves repeats in flow text to the full
 * reader) or when it was opened right after a `?` (an explicit key: js-yaml steps over the `?` and
 * composes the key there; the lean path reads only one-line and block scalar ones, explicit17); a
 * key with no value node is a null value. go-yaml-lean.ts checks each rebuilt mapping
 * against js-yaml's own record (the last value of each key, the same keys) and gives up otherwise.
 */

export interface RepeatedMapping {
  /** js-yaml's record: each key's last value. */
  readonly record: Record<string, unknown>;
  /** Raw keys and values as written; a key without a value node has the value null. */
  readonly pairs: readonly (readonly [unknown, unknown])[];
}

interface ListenerState {
  readonly input: string;
  readonly position: number;
  readonly kind: string | null;
  readonly result: unknown;
}

/**
 * A js-yaml listener and the mappings with a repeated key it found, innermost first, in document
 * order (as go-yaml finishes them). The children of open nodes sit in two flat arrays (a node's
 * start index on a stack), so a node costs no allocation: the listener runs for every node.
 */
export function recordRepeatedMappings(): { listener: (event: string, state: ListenerState) => void; repeated: RepeatedMapping[] } {
  const repeated: RepeatedMapping[] = [];
  const starts: number[] = [];
  // Slots past `top` are stale: written over, never truncated (setting an array's length cost more than the rest).
  const results: unknown[] = [];
  const isKey: boolean[] = [];
  /** Per open node: 1 when it was opened right after a `?`. */
  const explicit: number[] = [];
  let top = 0;
  const listener = (event: string, state: ListenerState): void => {
    if (event === 'open') {
      starts.push(top);
      explicit.push(state.input.charCodeAt(state.position - 1) === 63 ? 1 : 0);
      return;
    }
    const start = starts.pop() ?? 0;
    const explicitKey = explicit.pop() === 1;
    const result = state.result;
    if (state.kind === 'mapping' && top > start && typeof result === 'object' && result !== null && !Array.isArray(result)) {
      const record = result as Record<string, unknown>;
      if (pairCount(isKey, start, top) !== Object.keys(record).length) repeated.push({ record, pairs: pairsOf(results, isKey, start, top) });
    }
    results[start] = result;
    isKey[start] = explicitKey || colonFollows(state.input, state.position);
    top = start + 1;
  };
  return { listener, repeated };
}

/** How many pairs pairsOf() makes: one per key, and one per value with no key before it. */
function pairCount(isKey: readonly boolean[], start: number, end: number): number {
  let count = 0;
  let afterKey = false;
  for (let i = start; i < end; i++) {
    if (isKey[i]) {
      count++;
      afterKey = true;
    } else {
      if (!afterKey) count++;
      afterKey = false;
    }
  }
  return count;
}

/** Children as key/value pairs; a value with no key before it (not a block mapping's shape) is paired with UNPAIRED, which the caller refuses. */
function pairsOf(results: readonly unknown[], isKey: readonly boolean[], start: number, end: number): [unknown, unknown][] {
  const pairs: [unknown, unknown][] = [];
  let key: { value: unknown } | undefined;
  for (let i = start; i < end; i++) {
    if (isKey[i]) {
      if (key) pairs.push([key.value, null]);
      key = { value: results[i] };
    } else if (key) {
      pairs.push([key.value, results[i]]);
      key = undefined;
    } else {
      pairs.push([UNPAIRED, results[i]]);
    }
  }
  if (key) pairs.push([key.value, null]);
  return pairs;
}

/** Stands for a key that was not found: no record holds it, so the caller's check fails. */
export const UNPAIRED = Symbol('unpaired');

/** `:` then a blank or the end, after spaces and tabs on the node's line: the node was an implicit key. */
function colonFollows(input: string, from: number): boolean {
  let i = from;
  while (input.charCodeAt(i) === 32 || input.charCodeAt(i) === 9) i++;
  if (input.charCodeAt(i) !== 58) return false;
  const next = input.charCodeAt(i + 1);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}
