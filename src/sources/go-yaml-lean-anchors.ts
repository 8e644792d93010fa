import { type FlowReading, readFlowCollection } from './go-yaml-flow-read.js';
import type { FlowRegion } from './go-yaml-flow-regions.js';
import { type MergeBudget, nullKeyMarkCount } from './go-yaml-values.js';

/**
 * Anchors across the edge of a flow collection read by the flow reader on the exact reader's lean
 * path (go-yaml-lean-flow.ts, issue 17). js-yaml reads the text with a placeholder where the
 * collection was, so it sees neither the anchors defined inside (`args: [&q a,\n b]` then
 * `workingDir: *q`) nor whom the aliases inside name (`[*top,\n b]`); such a document used to go
 * back to the full exact reader at 1.2–1.8 s of CPU per MB. go-yaml (kubectl) names, from any
 * alias, the last anchor of that name before it in the text. So, when js-yaml constructs the
 * placeholder, which it does where the collection stands in the text:
 * - each anchor defined inside is put in js-yaml's anchor map as a RegionAnchor, so aliases after
 *   the collection find it and aliases before it do not (js-yaml refuses those: the full reader
 *   says what kubectl says);
 * - for each alias inside to an anchor outside, what js-yaml's map holds under that name then is
 *   kept (an anchor not there yet is go-yaml's "unknown anchor": the full reader reports it);
 * and once js-yaml is done, the collection is read again by the flow reader with those aliases
 * resolved to the finished values (as the full reader does, go-yaml-decode.ts finalReading), and a
 * RegionAnchor is the value that reading gives the anchor. Values are shared, never copied, so the
 * alias caps (yaml-documents.ts expansionProblem) count them as they count the full reader's, and
 * the flow reader's merges still count towards its cap.
 */

/** The lean path cannot be sure to read the document as the full reader does: the full reader reads it. */
export class LeanGiveUp extends Error {}

/**
 * A placeholder as js-yaml constructed it. Used as a mapping key (`*slot : 1`), it gives up rather
 * than turn into js-yaml's "[object Object]".
 */
export class FlowSlot {
  /** The reading with aliases to anchors outside resolved; the first reading when it has none. */
  final: FlowReading | undefined;
  /** For each alias inside to an anchor outside: js-yaml's (unfinished) value of that anchor where the collection stands. */
  outside: Map<string, unknown> | undefined;
  /** Read again right now: an alias reaching it from inside is go-yaml's "value contains itself". */
  rereading = false;
  /** One RegionAnchor per name, so that every alias to it is the same node. */
  private readonly refs = new Map<string, RegionAnchor>();
  constructor(readonly region: FlowRegion) {
    if (region.reading.external.size === 0) this.final = region.reading;
  }
  anchor(name: string): RegionAnchor {
    let ref = this.refs.get(name);
    if (!ref) this.refs.set(name, (ref = new RegionAnchor(this, name)));
    return ref;
  }
  get [Symbol.toStringTag](): string {
    return 'FlowSlot';
  }
  toString(): string {
    throw new LeanGiveUp('a flow collection as a key');
  }
}

/** An anchor defined inside a flow collection, as js-yaml's aliases after it find it. */
export class RegionAnchor {
  constructor(
    readonly slot: FlowSlot,
    readonly name: string,
  ) {}
  get [Symbol.toStringTag](): string {
    return 'RegionAnchor';
  }
  toString(): string {
    // An alias as a key: go-yaml reads the anchor's scalar there; rare enough to leave to the full reader.
    throw new LeanGiveUp('an alias to a flow collection\'s anchor as a key');
  }
}

/**
 * What the lean path sees of js-yaml's loader state through its listener: its anchor map and the
 * map's undo records (js-yaml 4.3 rolls back anchors stored while it tried to read a block mapping
 * from a node's properties, then reads the node again). Not public API: a js-yaml without the map
 * makes bindAnchors give up (without undo records anchors are stored directly, as js-yaml stored
 * them before), and the region tests of test/sources/go-yaml-lean-flow.test.ts fail on a change.
 */
export interface LoaderState {
  readonly input: string;
  readonly position: number;
  /** The anchor of the node being constructed: js-yaml has already stored the placeholder's raw text under it. */
  readonly anchor?: string | null;
  readonly anchorMap?: Record<string, unknown>;
  readonly anchorMapTransactions?: Record<string, { existed: boolean; value: unknown }>[];
}

/**
 * Called each time js-yaml constructs the placeholder (once or twice: an anchored one is first
 * tried as a key, in a transaction it rolls back). The first time, the aliases' outside anchors
 * are looked up; every time, the anchors inside are stored as js-yaml stores its own.
 */
export function bindAnchors(state: LoaderState, slot: FlowSlot, first: boolean): void {
  const { anchors, external } = slot.region.reading;
  if (anchors.size === 0 && external.size === 0) return;
  const map = state.anchorMap;
  if (typeof map !== 'object' || map === null) throw new LeanGiveUp('js-yaml keeps no anchor map');
  if (first && external.size > 0) {
    slot.outside = new Map();
    for (const name of external) {
      // No anchor of that name before the collection, or its own (`&a [*a]`, which js-yaml has stored as the placeholder's
      // text by now): go-yaml's error ("unknown anchor", "value contains itself"), the full reader's to report.
      if (!Object.hasOwn(map, name) || name === state.anchor || map[name] === slot) throw new LeanGiveUp(`unknown anchor '${name}'`);
      slot.outside.set(name, map[name]);
    }
  }
  for (const name of anchors.keys()) storeAnchor(state, map, name, slot.anchor(name));
}

/** js-yaml's storeAnchor: the value, and the earlier one in the open transaction so that a rollback restores it. */
export function storeAnchor(state: LoaderState, map: Record<string, unknown>, name: string, value: unknown): void {
  const transactions = state.anchorMapTransactions;
  const open = transactions && transactions.length > 0 ? transactions[transactions.length - 1] : undefined;
  if (open && !Object.hasOwn(open, name)) open[name] = { existed: Object.hasOwn(map, name), value: map[name] };
  map[name] = value;
}

/**
 * The slot's final reading: read again with each alias to an anchor outside resolved by `outside`
 * (which finishes js-yaml's value and gives up on one still being finished: an alias inside to a
 * collection holding it). Anything the first reading did not have to say (a note, an error, a
 * refusal, a null key merged in) leaves the document to the full reader.
 */
export function finalReading(slot: FlowSlot, source: string, outside: (value: unknown) => unknown, budget: MergeBudget): FlowReading {
  if (slot.final) return slot.final;
  if (slot.rereading) throw new LeanGiveUp('a flow collection aliased from inside itself');
  const { region } = slot;
  const marks = nullKeyMarkCount();
  slot.rereading = true;
  // The document's merge count (the lean reader's, as the full reader counts a reread into its own).
  const again = readFlowCollection(source, region.start, region.indent, (name) => outside(slot.outside?.get(name)), budget);
  slot.rereading = false;
  if ('failedAt' in again) throw new Error(`flow collection at ${region.start} read once but not twice`);
  if (again.error !== undefined || again.refuses !== undefined || again.notes.length > 0 || nullKeyMarkCount() !== marks) throw new LeanGiveUp('the collection reads otherwise with its aliases resolved');
  slot.final = again;
  return again;
}
