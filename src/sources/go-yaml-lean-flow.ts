import { flowDepth, MAX_READABLE_DEPTH } from './go-yaml-decode.js';
import type { FlowReading } from './go-yaml-flow-read.js';
import { hasEmptyFlowKey } from './go-yaml-flow-empty-keys.js';
import { syntaxOnly } from './yaml-syntax-mask.js';
import { MAYBE_AFFECTED } from './go-yaml-flow-plain.js';
import { type FlowRegion, findFlowRegions, withPlaceholders } from './go-yaml-flow-regions.js';
import { bindAnchors, finalReading, FlowSlot, type LoaderState, RegionAnchor } from './go-yaml-lean-anchors.js';
import { type MergeBudget, nullKeyMarkCount, type PendingDuplicate } from './go-yaml-values.js';

export { FlowSlot, RegionAnchor };

/**
 * Flow collections on the exact reader's lean path (go-yaml-lean.ts, issue 17). js-yaml and go-yaml
 * read a multi-line flow collection, or one holding quotes, comments or a line over 1024 characters,
 * differently, and one such collection used to send a whole block document back to the full exact
 * reader (1.2–1.8 s of `yaml`-package work per MB). The full reader already reads those collections
 * with the flow reader (go-yaml-flow-read.ts) and gives the `yaml` parser a placeholder in their place
 * (go-yaml-flow-regions.ts); the lean path now does the same with js-yaml: the same regions, the same
 * placeholder text, each placeholder scalar standing for its region's reading. Anchors defined
 * inside a region and aliases inside to anchors outside are bound where the region stands in the
 * text (go-yaml-lean-anchors.ts).
 *
 * What stays with the full reader (this returns undefined): a glued `?`/`:` in flow, which the full
 * reader rewrites first (go-yaml-flow-plain.ts), nesting past MAX_READABLE_DEPTH, a text already holding the placeholder
 * character, and any region whose reading carries notes, a refusal or an error. A region's
 * repeated keys are kept, reported where the full reader's walk reports them among the block ones.
 */
/**
 * What stands for a region in the text js-yaml reads: one character, so that a collection as short
 * as `[]` can be a region (the full reader's word needs 11; a shorter collection holding a quote
 * kept the whole document off this path). A private-use character: a plain scalar to js-yaml, and
 * a text that holds it is left to the full reader.
 */
export const LEAN_FLOW_PLACEHOLDER = '\uE000';

export interface LeanFlow {
  /** The text js-yaml reads: each region replaced by the placeholder and blanks, line breaks kept. */
  readonly text: string;
  readonly regions: readonly FlowRegion[];
  /** The text the regions were read from (read again there when their aliases name anchors outside). */
  readonly source: string;
}

export function leanFlowRegions(source: string): LeanFlow | undefined {
  // js-yaml drops a leading BOM, which would move every offset it reports by one.
  if (source.charCodeAt(0) === 0xfeff || source.includes(LEAN_FLOW_PLACEHOLDER) || (MAYBE_AFFECTED.test(source) && GLUED_INDICATOR.test(syntaxOnly(source))) || (hasEmptyFlowKey(source) && hasEmptyFlowKey(syntaxOnly(source)))) return undefined;
  if (flowDepth(source, MAX_READABLE_DEPTH) > MAX_READABLE_DEPTH) return undefined;
  const marks = nullKeyMarkCount();
  const regions = findFlowRegions(source, [], LEAN_FLOW_PLACEHOLDER);
  if (regions.length === 0) return undefined;
  // A null key the flow reader met is refused or not by what survives the whole document
  // (go-yaml-decode.ts failOnNullKey): the full reader decides.
  if (nullKeyMarkCount() !== marks) return undefined;
  for (const { reading } of regions) {
    const plainValue = reading.error === undefined && reading.refuses === undefined && reading.notes.length === 0;
    if (!plainValue) return undefined;
  }
  if (regions.some((region) => continuesShallow(source, region))) return undefined;
  return { text: withPlaceholders(source, regions, LEAN_FLOW_PLACEHOLDER), regions, source };
}

/**
 * The glued `?`/`:` part of MAYBE_AFFECTED, which the full reader rewrites before it reads (a `? `
 * inserted). A lone `-` before `,`, `]` or `}` (the rest of it) needs no rewrite here: inside a
 * region the flow reader reads it as go-yaml does, and js-yaml refuses one outside any region.
 */
const GLUED_INDICATOR = /[[{,:]\s*[?:][^\s]/;

/** What a js-yaml listener sees of the reader's state (the same object for a whole read). */
export type ReaderPosition = LoaderState;

/**
 * The regions' values for the placeholder scalars js-yaml constructs, found by offset: js-yaml may
 * construct one scalar more than once (an anchored scalar is first tried as a key), so neither order
 * nor count would do. When js-yaml constructs a plain scalar its position is at or past the scalar's
 * end with only blanks between, and the scalar is the placeholder alone, so the last placeholder
 * character up to the position is the scalar's own. A placeholder the finder took from a block scalar
 * or a multi-line string is no scalar of its own and is never taken: `complete()` is the check.
 */
export class FlowSlots {
  private readonly byStart: ReadonlyMap<number, FlowSlot>;
  private readonly taken = new Set<FlowSlot>();
  private stray = false;
  /** Each region with repeated keys, with how many block mappings with repeats had closed when it was read (`closed`). */
  private readonly repeated: { at: number; slot: FlowSlot }[] = [];
  /** Finishes js-yaml's value of an anchor outside that a region's alias names (set by the reader before values are asked for). */
  private outside: (value: unknown) => unknown = () => {
    throw new Error('FlowSlots.resolveWith was not called');
  };
  private budget: MergeBudget = { merged: 0 };
  /** Some region has aliases to anchors outside it (one may name a collection holding the region). */
  readonly aliasesOut: boolean;
  constructor(
    regions: readonly FlowRegion[],
    private readonly closed: () => number,
    private readonly source: string,
  ) {
    this.byStart = new Map(regions.map((region) => [region.start, new FlowSlot(region)]));
    this.aliasesOut = regions.some((region) => region.reading.external.size > 0);
  }
  take(reader: ReaderPosition): FlowSlot {
    const slot = this.byStart.get(reader.input.lastIndexOf(LEAN_FLOW_PLACEHOLDER, reader.position));
    if (!slot) {
      this.stray = true;
      return new FlowSlot(STRAY);
    }
    const first = !this.taken.has(slot);
    // The full reader reports a region's repeats when its walk reaches the placeholder, once.
    if (first && slot.region.reading.duplicates.length > 0) this.repeated.push({ at: this.closed(), slot });
    this.taken.add(slot);
    bindAnchors(reader, slot, first);
    return slot;
  }
  /** Every region came back as a scalar of its own, and no placeholder was found elsewhere. */
  complete(): boolean {
    return !this.stray && this.taken.size === this.byStart.size;
  }
  /** `budget`: the document's merge count, which rereads of regions add to (MergeBudget). */
  resolveWith(outside: (value: unknown) => unknown, budget: MergeBudget): void {
    this.outside = outside;
    this.budget = budget;
  }
  /** A placeholder's or a region anchor's value, go-yaml's already. */
  valueOf(node: FlowSlot | RegionAnchor): unknown {
    if (node instanceof RegionAnchor) return this.reading(node.slot).anchors.get(node.name);
    return this.reading(node).value;
  }
  /** The regions' repeats, each with the mappings closed before it, from their final readings. */
  repeats(): { at: number; duplicates: readonly PendingDuplicate[] }[] {
    return this.repeated.map(({ at, slot }) => ({ at, duplicates: this.reading(slot).duplicates }));
  }
  private reading(slot: FlowSlot): FlowReading {
    return slot.final ?? finalReading(slot, this.source, this.outside, this.budget);
  }
}

/** What a placeholder found where no region was stands for (the read is then given up: complete()). */
const STRAY: FlowRegion = { start: -1, indent: 0, reading: { end: -1, value: null, notes: [], refuses: undefined, duplicates: [], anchors: new Map(), external: new Set(), error: undefined } };

/**
 * A collection that goes on over a line indented no deeper than the key (or entry) it opens after:
 * go-yaml reads it, the full reader reads it too but only after mending the indentation, and notes
 * that (UNDER_INDENTED_NOTE). js-yaml reading the placeholder would miss the note, so such text is
 * left to the full reader. Deeper than the opening line's key column always suffices; the check may
 * give up where the `yaml` package would not have complained, which only costs time. Found by the
 * lean-path property (seed -1039936010: `- name: [a,` then `  b]`).
 */
function continuesShallow(source: string, region: FlowRegion): boolean {
  const end = region.reading.end;
  let lineStart = source.lastIndexOf('\n', region.start - 1) + 1;
  let key = lineStart;
  while (key < region.start && (source[key] === ' ' || ((source[key] === '-' || source[key] === '?') && source[key + 1] === ' '))) key++;
  const keyColumn = key - lineStart;
  for (let at = source.indexOf('\n', region.start); at !== -1 && at < end; at = source.indexOf('\n', at + 1)) {
    lineStart = at + 1;
    let column = 0;
    while (source[lineStart + column] === ' ') column++;
    const first = source[lineStart + column];
    if (first === '\n' || first === '\r') continue; // a blank line has no indentation to judge
    if (lineStart + column < end && column <= keyColumn) return true;
  }
  return false;
}
