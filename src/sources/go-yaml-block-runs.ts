import { FLOW_PLACEHOLDER, type FlowRegion } from './go-yaml-flow-regions.js';
import { ALIAS_MARK, AliasIndex, partialMarks, prepareRun } from './go-yaml-run-aliases.js';
import { holdableRegions, placeFlows } from './go-yaml-run-flows.js';
import { PendingMerge } from './go-yaml-run-merges.js';

/**
 * Runs of plain block entries the full exact reader leaves to the lean path (issue 17). The `yaml`
 * package costs about 1 s of CPU per MB however plain the text, and one construct only it reads
 * (a tag, `.inf`, a `?` key, an anchor in a flow list aliased outside, ...) sent the whole document
 * to it. Here the entries of a block sequence or mapping whose lines are all plain (keys, `- `,
 * one-line scalars, comments: no anchors, aliases, tags, flow collections, block scalars or
 * multi-line scalars) are read by the lean reader (js-yaml with go-yaml's scalar rules), and the
 * `yaml` parser gets one placeholder entry in their place (`- \uE001`, or `\uE001: \uE001`) with
 * their line breaks kept, so every later line keeps its number.
 *
 * Why that reading is the same: the lines before a run are unchanged, so the `yaml` parser is in the
 * same state at its first line, and the decoder takes a placeholder only where it came back as a
 * plain, untagged entry of a block collection at its own offset (go-yaml-decode.ts); the original
 * line, `- ` or a key at the same column, starts an entry of that same collection. Every line of the
 * run is indented deeper than the entries or starts one, each line is complete in itself, and the
 * line after the run is indented no deeper than the entries, so the run holds whole entries and
 * nothing else: js-yaml reads them alone as go-yaml reads them in place, or the lean reader gives up
 * and the `yaml` parser reads them as before. With no anchors inside, nothing outside refers in.
 *
 * Lines keep their columns in a run's text, so a block scalar's indentation indicator (`|2`, `>-1`)
 * counts from the same collection's indentation alone as in place (libyaml: the enclosing block
 * collection's column plus the indicator; js-yaml the same): such scalars are held, header lines
 * included (`- |2`, `key: >1`). Flow collections the flow reader read are held behind marks
 * (go-yaml-run-flows.ts, flowruns17).
 */
export const RUN_PLACEHOLDER = '\uE001';

/** A repeated key as the exact reader reports it (go-yaml-decode.ts's DuplicateKey; that file imports this one). */
export interface RunDuplicate {
  readonly segments: readonly (string | number)[] | undefined;
  readonly first: unknown;
  readonly last: unknown;
}

/** What of the lean reader's reading (go-yaml-decode.ts's KubectlReading) a run needs. */
export interface RunReading {
  readonly value: unknown;
  readonly ignoredByKubectl: readonly unknown[];
  readonly notes: readonly string[];
  readonly kubectlRefuses?: string;
  readonly duplicates: readonly RunDuplicate[];
}

export interface BlockRun {
  /** Offset of the run's first line. */
  readonly start: number;
  /** Offset after the run's last line and its line break. */
  readonly end: number;
  /** Column of the entries' `-` or keys. */
  readonly indent: number;
  readonly kind: 'seq' | 'map';
  /** The lean reader's reading: a list of the entries, or a mapping of them. */
  readonly reading: RunReading;
  /** The anchors named by the run's aliases to anchors before it, by mark (go-yaml-run-aliases.ts): the decoder resolves them. */
  readonly aliases: readonly string[];
  /** The flow collections the run holds (go-yaml-run-flows.ts), their values already in the reading. */
  readonly flows: readonly FlowRegion[];
}

/** How a run's text is read: the lean path's reader, or undefined where it gives up. */
export type RunReader = (text: string) => RunReading | undefined;

/** Below this a run is left to the `yaml` parser: a lean read has a fixed cost of its own. Tests set it lower. */
export const MIN_RUN_BYTES = 1024;
/** Runs are read in pieces of about this many times the least, so a piece the lean reader gives up on costs the `yaml` parser little. */
const PIECE_RUNS = 64;
/** Lean reads given up on, in times the text's size, after which the parser reads the rest (a give-up in every entry). */
const FAILED_READS = 2;
/** Lines longer than this are left alone (go-yaml's 1024-character key rule is the full reader's to apply). */
const MAX_LINE = 1000;

const BLANK = 0;
const OTHER = 1;
const SEQ = 2;
const KEY = 3;
/** A line no run holds (a document marker, a flow collection's placeholder, a long line, ...). */
const STOP = 4;

const CHAR = String.raw`[^\s:#\x00-\x1f\x7f-\x9f]`;
const PLAIN = String.raw`(?![-?:](?: |$))[^\s#&*!|>'"%@\`,\[\]{}\x00-\x1f\x7f-\x9f](?:${CHAR}|:(?=[^\s])|(?<=[^\s])#| +(?=[^\s#]))*`;
const QUOTED = String.raw`"(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*"|'(?:[^'\x00-\x1f]|'')*'`;
const SCALAR = `(?:${QUOTED}|${PLAIN})`;
/** A key line: a one-line plain or quoted key, then anything (a value, an anchor, a block scalar's header, the start of a multi-line scalar). */
const KEY_LINE = new RegExp(String.raw`^ *${SCALAR}[ \t]*:(?:[ \t]+(.*))?\r?$`);
/** A `- ` entry, whatever follows. */
const SEQ_LINE = /^ *-(?: |\r?$)/;
/** What follows a key that holds nothing on its line (`key:`, `key: # c`): its value is below. */
const NOTHING = /^[ \t]*(?:#.*)?\r?$/;
const COMMENT_LINE = /^[ \t]*(?:#.*)?\r?$/;
/** A value that opens a block scalar, at the end of a line. */
const BLOCK_SCALAR = /(?:^|[ :-])[|>][-+0-9]*[ \t]*(?:#.*)?\r?$/;
interface Lines {
  readonly starts: number[];
  readonly kinds: Uint8Array;
  readonly indents: Int32Array;
  /** A key line whose value is on the lines below (`key:`). */
  readonly emptyKey: Uint8Array;
  /** A line that may open a block scalar (its deeper lines are then text). */
  readonly opens: Uint8Array;
}

/**
 * Each line as an entry of a block collection at its indentation (`- `, or a key and its `:`),
 * a line that is no entry (part of the entry above it when deeper: a block scalar's text, a
 * multi-line scalar's next line, a nested value), blank, or one no run may hold.
 */
function classify(text: string, holdable: ReadonlyMap<number, FlowRegion>): Lines {
  const starts: number[] = [];
  for (let at = 0; at <= text.length; ) {
    starts.push(at);
    const end = text.indexOf('\n', at);
    if (end < 0) break;
    at = end + 1;
  }
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  const n = starts.length;
  const kinds = new Uint8Array(n);
  const indents = new Int32Array(n);
  const emptyKey = new Uint8Array(n);
  const opens = new Uint8Array(n);
  // `%TAG` gives a handle another meaning than the one a run read alone would give it.
  const tagDirective = /^%TAG/m.test(text);
  for (let i = 0; i < n; i++) {
    const start = starts[i] as number;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let s = start;
    while (text.charCodeAt(s) === 32) s++;
    indents[i] = s - start;
    const line = text.slice(start, end);
    if (COMMENT_LINE.test(line)) {
      kinds[i] = BLANK;
      continue;
    }
    // A block scalar's header line is an entry too (`- |`, `key: |2`); its deeper lines are its text.
    if (BLOCK_SCALAR.test(line)) opens[i] = 1;
    if (end - start > MAX_LINE || (s === start && (line.startsWith('---') || line.startsWith('...') || line.startsWith('%'))) || (tagDirective && line.includes('!')) || !flowsHeld(line, start, holdable)) kinds[i] = STOP;
    else if (SEQ_LINE.test(line)) kinds[i] = SEQ;
    else {
      const m = KEY_LINE.exec(line);
      if (!m) kinds[i] = OTHER;
      else {
        kinds[i] = KEY;
        emptyKey[i] = m[1] === undefined || NOTHING.test(m[1]) ? 1 : 0;
      }
    }
  }
  return { starts, kinds, indents, emptyKey, opens };
}

/**
 * A line holding a flow collection's placeholder is read by the flow reader, never as text: no run
 * holds it, but for one placeholder at a collection a run may hold (go-yaml-run-flows.ts).
 */
function flowsHeld(line: string, start: number, holdable: ReadonlyMap<number, FlowRegion>): boolean {
  const at = line.indexOf(FLOW_PLACEHOLDER);
  if (at < 0) return true;
  return holdable.has(start + at) && !line.includes(FLOW_PLACEHOLDER, at + 1);
}

/**
 * The runs of `text` the lean reader reads, in order; none when the text holds the placeholder.
 * `regions`: the flow collections behind placeholders in `text` (`source` is the text without them).
 */
export function findBlockRuns(text: string, readRun: RunReader, minBytes = MIN_RUN_BYTES, source = text, regions: readonly FlowRegion[] = []): BlockRun[] {
  const MIN_RUN = minBytes;
  const PIECE_BYTES = PIECE_RUNS * minBytes;
  if (text.length < MIN_RUN || text.includes(RUN_PLACEHOLDER)) return [];
  const holdable = holdableRegions(regions, source, ALIAS_MARK);
  /** The holdable regions' starts, in order. */
  const flowStarts = [...holdable.keys()].sort((a, b) => a - b);
  const lines = classify(text, holdable);
  const runs: BlockRun[] = [];
  const end = (line: number): number => (line < lines.starts.length ? (lines.starts[line] as number) : text.length);
  /** Bytes the lean reader read and gave up on. */
  let failed = 0;
  let index: AliasIndex | undefined;
  const aliasIndex = (): AliasIndex => (index ??= new AliasIndex(source));
  // Each line is looked at once per enclosing collection whose entry it is in; this bounds pathological nesting.
  let budget = 32 * lines.starts.length;

  /** The line after a block scalar's text when line i opens one (its lines are text, whatever they look like), else i + 1. */
  const pastBlockScalar = (i: number, to: number): number => {
    if (lines.opens[i] !== 1) return i + 1;
    const indent = lines.indents[i] as number;
    let j = i + 1;
    while (j < to && (lines.kinds[j] === BLANK || (lines.indents[j] as number) > indent)) j++;
    return j;
  };

  const scan = (from: number, to: number, ceiling: number): void => {
    for (let i = from; i < to && budget > 0; ) {
      const kind = lines.kinds[i] as number;
      if (kind === OTHER || kind === STOP) {
        i = pastBlockScalar(i, to);
        continue;
      }
      if (kind !== SEQ && kind !== KEY) {
        i++;
        continue;
      }
      const { entries, next, bad } = entriesFrom(i, to);
      cover(entries, 0, entries.length - 1, ceiling);
      // A bad entry is looked into: runs may be nested in it.
      i = bad ? (entries[entries.length - 1] as number) + 1 : next;
    }
  };

  /** The entries of the collection starting at line i, as line numbers (the last one is where they end), and whether the one after them is bad. */
  const entriesFrom = (i: number, to: number): { entries: number[]; next: number; bad: boolean } => {
    const indent = lines.indents[i] as number;
    const kind = lines.kinds[i] as number;
    const entries = [i];
    let last = i;
    let entryKey = i;
    let bad = false;
    let j = i + 1;
    for (; j < to; j++, budget--) {
      const k = lines.kinds[j] as number;
      if (k === BLANK) continue;
      const at = lines.indents[j] as number;
      if (k === STOP) {
        bad = at > indent;
        break;
      }
      // Deeper lines of any other kind are the entry's: its nested values, block scalars, multi-line scalars.
      if (at > indent) {
        last = j;
        continue;
      }
      if (at < indent || k === OTHER) break;
      if (k === kind) {
        entries.push(j);
        entryKey = j;
        last = j;
      } else if (kind === KEY && lines.emptyKey[entryKey] === 1) {
        last = j; // `key:` then `- ` at its column: the key's list
      } else {
        bad = kind === KEY;
        break;
      }
    }
    if (bad) return { entries, next: entries[entries.length - 1] as number, bad };
    // The blank and comment lines after the last entry are the run's too: a kept (`|+`) block
    // scalar's trailing lines, or a comment-like line of its text, read as they do in place.
    entries.push(j);
    return { entries, next: Math.max(j, last + 1), bad };
  };

  /**
   * Reads entries [lo, hi) (indices into `entries`, whose element hi is where the last ends) in
   * pieces, halving a piece the lean reader gives up on. What is inside a piece it gave up on is
   * read only in pieces of at most half that size (the ceiling): a bigger single entry (the one
   * entry of a one-entry mapping around the give-up, and so on down a chain of them) is looked
   * into without being read, so a chain 40 deep costs one failed read, not 40.
   */
  const cover = (entries: readonly number[], lo: number, hi: number, ceiling: number): void => {
    if (hi <= lo) return;
    const first = entries[lo] as number;
    const after = entries[hi] as number;
    const bytes = end(after) - (lines.starts[first] as number);
    if (bytes < MIN_RUN) return;
    if (bytes > Math.min(PIECE_BYTES, ceiling) && hi - lo > 1) {
      const mid = splitAt(entries, lo, hi);
      cover(entries, lo, mid, ceiling);
      cover(entries, mid, hi, ceiling);
      return;
    }
    if (hi - lo === 1 && bytes > ceiling) {
      scan(pastBlockScalar(first, after), after, ceiling);
      return;
    }
    const run = readPiece(first, after);
    if (run) {
      runs.push(run);
      return;
    }
    if (hi - lo > 1) {
      const mid = splitAt(entries, lo, hi);
      cover(entries, lo, mid, Math.min(ceiling, bytes / 2));
      cover(entries, mid, hi, Math.min(ceiling, bytes / 2));
    } else scan(pastBlockScalar(first, after), after, bytes / 2);
  };

  /** The entry nearest the middle of [lo, hi) by bytes. */
  const splitAt = (entries: readonly number[], lo: number, hi: number): number => {
    const middle = ((lines.starts[entries[lo] as number] as number) + end(entries[hi] as number)) / 2;
    let mid = lo + 1;
    while (mid < hi - 1 && end(entries[mid + 1] as number) <= middle) mid++;
    return mid;
  };

  const readPiece = (first: number, after: number): BlockRun | undefined => {
    const start = lines.starts[first] as number;
    const stop = end(after);
    const kind = lines.kinds[first] === SEQ ? 'seq' : 'map';
    // Past the budget the parser reads what is left: slower, read all the same.
    if (failed > FAILED_READS * text.length) return undefined;
    const block = blockText(first, after);
    const flows = flowsIn(start, stop);
    const at = flows.map((r) => r.start);
    let prepared = prepareRun(text, start, stop, aliasIndex, block, undefined, at);
    let reading = prepared && readAlone(prepared.text, kind, countEntries(first, after), flows);
    let partial = prepared && reading && prepared.aliases.length > 0 ? partialMarks([reading.value, ...reading.duplicates.flatMap((d) => [d.first, d.last])], prepared.aliases.length) : undefined;
    if (prepared && reading && partial && partial.size > 0) {
      // Marks read back inside longer text (`'a *e'`): those were text. Read once more with them as written.
      const literal = new Set([...partial].map((k) => prepared?.offsets[k] ?? -1));
      prepared = literal.has(-1) ? undefined : prepareRun(text, start, stop, aliasIndex, block, literal, at);
      reading = prepared && readAlone(prepared.text, kind, countEntries(first, after), flows);
      partial = prepared && reading && prepared.aliases.length > 0 ? partialMarks([reading.value, ...reading.duplicates.flatMap((d) => [d.first, d.last])], prepared.aliases.length) : undefined;
    }
    if (!prepared || !reading || (partial && partial.size > 0)) {
      failed += stop - start;
      return undefined;
    }
    return { start, end: stop, indent: lines.indents[first] as number, kind, reading, aliases: prepared.aliases, flows };
  };

  /** The holdable regions in [start, stop), in order (a run's lines hold no other placeholder). */
  const flowsIn = (start: number, stop: number): FlowRegion[] => {
    if (flowStarts.length === 0) return [];
    let lo = 0;
    let hi = flowStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((flowStarts[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    const out: FlowRegion[] = [];
    for (let k = lo; k < flowStarts.length && (flowStarts[k] as number) < stop; k++) out.push(holdable.get(flowStarts[k] as number) as FlowRegion);
    return out;
  };

  /** The lean reader's reading of a run's text when it is what the lines say, else undefined. */
  const readAlone = (runText: string, kind: 'seq' | 'map', entries: number, flows: readonly FlowRegion[]): RunReading | undefined => {
    let reading: RunReading | undefined;
    try {
      reading = readRun(runText);
    } catch {
      // go-yaml's decoding error in the run (`!!int abc`): its line is the parser's to give.
      return undefined;
    }
    // A pending merge as the run's own mapping belongs with the parent's pairs outside the run: the parser reads it.
    if (!reading || reading.value instanceof PendingMerge || !fits(reading, kind, entries)) return undefined;
    // Each flow mark read back as a whole value gets its collection's value; anywhere else, the run is given up.
    return placeFlows(reading, flows) ? reading : undefined;
  };

  /** The offsets of the lines of [first, after) that may be a block scalar's text: an alias-like `*x` there is left as it is. */
  const blockText = (first: number, after: number): [number, number][] => {
    const out: [number, number][] = [];
    for (let i = first; i < after; ) {
      const next = pastBlockScalar(i, after);
      if (next > i + 1) out.push([lines.starts[i + 1] as number, end(next)]);
      i = next;
    }
    return out;
  };

  const countEntries = (first: number, after: number): number => {
    let count = 0;
    for (let j = first; j < after; j++) if (lines.kinds[j] === lines.kinds[first] && lines.indents[j] === lines.indents[first]) count++;
    return count;
  };

  scan(0, lines.starts.length, Infinity);
  return runs;
}

/**
 * The reading is what the lines say: a list of one item per entry, or a mapping with one key per
 * entry (or fewer, each repeat reported), nothing said about it, and every repeat placed.
 */
function fits(reading: RunReading, kind: 'seq' | 'map', entries: number): boolean {
  if (reading.notes.length > 0 || reading.ignoredByKubectl.length > 0 || reading.kubectlRefuses !== undefined) return false;
  if (!reading.duplicates.every((d) => d.segments !== undefined && d.segments.length > 0 && ownerOf(reading.value, d) !== undefined)) return false;
  const value = reading.value;
  if (kind === 'seq') return Array.isArray(value) && value.length === entries;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = reading.duplicates.filter((d) => d.segments?.length === 1).length;
  return Object.keys(value).length + own === entries;
}

/** The mapping a repeat was found in: the run's value followed along the repeat's path. */
export function ownerOf(root: unknown, duplicate: RunDuplicate): object | undefined {
  const segments = duplicate.segments ?? [];
  let at: unknown = root;
  for (let i = 0; i < segments.length - 1; i++) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[segments[i] as string | number];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at) ? at : undefined;
}

/** The text the `yaml` parser reads: each run as one placeholder entry, its line breaks kept. */
export interface CutText {
  readonly text: string;
  /** Each run by the offset of its placeholder (the entry's, or the key's) in the cut text. */
  readonly runs: ReadonlyMap<number, BlockRun>;
  /** An offset of the uncut text (outside every run) in the cut one; undefined inside a run. */
  readonly offsetOf: (offset: number) => number | undefined;
}

export function cutRuns(text: string, runs: readonly BlockRun[]): CutText {
  const parts: string[] = [];
  const byOffset = new Map<number, BlockRun>();
  /** [start, end, shift after] per run, in order. */
  const cuts: [number, number, number][] = [];
  let from = 0;
  let length = 0;
  let shift = 0;
  for (const run of runs) {
    const before = text.slice(from, run.start);
    parts.push(before);
    length += before.length;
    const head = ' '.repeat(run.indent) + (run.kind === 'seq' ? `- ${RUN_PLACEHOLDER}` : `${RUN_PLACEHOLDER}: ${RUN_PLACEHOLDER}`);
    let breaks = 0;
    for (let i = text.indexOf('\n', run.start); i >= 0 && i < run.end; i = text.indexOf('\n', i + 1)) breaks++;
    byOffset.set(length + run.indent + (run.kind === 'seq' ? 2 : 0), run);
    const piece = head + '\n'.repeat(breaks);
    parts.push(piece);
    length += piece.length;
    shift += run.end - run.start - piece.length;
    cuts.push([run.start, run.end, shift]);
    from = run.end;
  }
  parts.push(text.slice(from));
  const offsetOf = (offset: number): number | undefined => {
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cuts[mid] as [number, number, number])[1] <= offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo < cuts.length && (cuts[lo] as [number, number, number])[0] <= offset) return undefined;
    return offset - (lo > 0 ? (cuts[lo - 1] as [number, number, number])[2] : 0);
  };
  return { text: parts.join(''), runs: byOffset, offsetOf };
}
