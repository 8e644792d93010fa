/**
 * Flow collections inside a run of block entries read lean (go-yaml-block-runs.ts, issue 17, flowruns17).
 *
 * The full exact reader hands the flow collections it can read itself to the flow reader
 * (go-yaml-flow-regions.ts): each is a placeholder word in the text, its other characters blanked.
 * A run stopped at such a line, so a multi-line flow value in every entry (`value: [a,\n b]`) left
 * every entry to the `yaml` parser. The flow reader has already found where the collection ends
 * (quotes, comments and nesting included, as go-yaml does) and read it; only the block text around
 * it is the run's to read. So inside a run the placeholder is replaced by a mark (a plain scalar no
 * other reading of the same characters gives, as an alias's mark in go-yaml-run-aliases.ts), the
 * lean reader reads the block entries, and the mark, found back as a whole value, is given the
 * collection's value. The `yaml` parser would have read the same placeholder text, so a mark read
 * back whole stands where the parser's placeholder node would have stood.
 *
 * Only a collection that reads alone is held: no anchors (aliases after it would bind to them), no
 * aliases (they name anchors outside), no notes, repeats, refusal or error (the node walk reports
 * those in its order). Anything else stays a line no run holds, as before.
 */
import type { FlowRegion } from './go-yaml-flow-regions.js';
import { type MergeStep, PendingMerge } from './go-yaml-run-merges.js';

export const FLOW_MARK = '\uE003';

/** Plain, the mark reads as itself; quoted or in a block scalar it reads otherwise (`\'` is no double-quoted escape, `''` one quote, the trailing space kept). */
export function flowMarkText(k: number): string {
  return `${FLOW_MARK}${k}\\''${FLOW_MARK} `;
}
const MARK_VALUE = new RegExp(String.raw`^${FLOW_MARK}(\d+)\\''${FLOW_MARK}$`);

/**
 * The regions a run may hold, by start offset: those that read alone. None when the text holds a
 * mark's character (`otherMark`: an alias mark's too, which a value read by the flow reader would
 * bring into the run's reading unseen by the run's own check).
 */
export function holdableRegions(regions: readonly FlowRegion[], source: string, otherMark: string): ReadonlyMap<number, FlowRegion> {
  const out = new Map<number, FlowRegion>();
  if (regions.length === 0 || source.includes(FLOW_MARK) || source.includes(otherMark)) return out;
  for (const region of regions) {
    const r = region.reading;
    // A null key inside is no reason: the decoder's walk for one (failOnNullKey) sees the values runs hold too.
    if (r.anchors.size > 0 || r.external.size > 0 || r.notes.length > 0 || r.duplicates.length > 0 || r.refuses !== undefined || r.error !== undefined) continue;
    out.set(region.start, region);
  }
  return out;
}

let placed = 0;
/** How many flow collections were given their value inside runs: tests check that runs held them, not gave up. */
export function flowsPlacedInRuns(): number {
  return placed;
}

interface Reading {
  readonly value: unknown;
  readonly duplicates: readonly { readonly first: unknown; readonly last: unknown }[];
}

/**
 * Puts each region's value where its mark came back, in place (the reading is the lean reader's,
 * fresh and not shared). False when a mark's character is anywhere else (in a key, inside longer
 * text: the placeholder was no node of its own) or a mark never came back: the run is given up.
 */
export function placeFlows(reading: Reading, flows: readonly FlowRegion[]): boolean {
  if (flows.length === 0) return true;
  const found = new Uint8Array(flows.length);
  const seen = new Set<object>();
  let whole = true;
  /** The value a string stands for: the region's value for a whole mark, the string otherwise; `whole` false for a mark's character elsewhere. */
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes(FLOW_MARK)) return value;
      const m = MARK_VALUE.exec(value);
      const k = m ? Number(m[1]) : -1;
      if (k < 0 || k >= flows.length) {
        whole = false;
        return value;
      }
      found[k] = 1;
      return (flows[k] as FlowRegion).reading.value;
    }
    visit(value);
    return value;
  };
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof PendingMerge) {
      const steps = value.steps as MergeStep[];
      steps.forEach((step, i) => {
        if (typeof step === 'number') return;
        if (step[0].includes(FLOW_MARK)) whole = false;
        const swapped = swap(step[1]);
        if (swapped !== step[1]) steps[i] = [step[0], swapped];
      });
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = swap(value[i]);
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (key.includes(FLOW_MARK)) whole = false;
        const item = record[key];
        const swapped = swap(item);
        // defineProperty: a key such as `__proto__` stays a key, as in the reading.
        if (swapped !== item) Object.defineProperty(record, key, { value: swapped, writable: true, enumerable: true, configurable: true });
      }
    }
  };
  const root = swap(reading.value);
  const duplicates = reading.duplicates.map((d) => [swap(d.first), swap(d.last)] as const);
  if (!whole || !found.every((f) => f === 1)) return false;
  // Written back only when all is well: a run given up leaves the lean reader's reading unused anyway.
  (reading as { value: unknown }).value = root;
  reading.duplicates.forEach((d, i) => {
    const [first, last] = duplicates[i] as readonly [unknown, unknown];
    (d as { first: unknown }).first = first;
    (d as { last: unknown }).last = last;
  });
  placed += flows.length;
  return true;
}
