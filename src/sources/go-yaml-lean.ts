import yaml from 'js-yaml';
import { goFloat32Key } from './go-float-key.js';
import { locateDuplicates, type KubectlReading } from './go-yaml-decode.js';
import { recordRepeatedMappings, UNPAIRED, type RepeatedMapping } from './go-yaml-lean-pairs.js';
import { keepQuotedUnicodeBreaks } from './go-yaml-quoted-breaks.js';
import { resolveGoPlain } from './go-yaml-scalar.js';
import { ExactDecodeError, MAX_MERGED_ENTRIES, MERGE_BOMB, setKey, type PendingDuplicate } from './go-yaml-values.js';
import { EMPTY_ENTRY_THEN_ENTRY, FLOW_INDICATOR_START, ODD_KEY } from './exact-route.js';
import { longLineReadsAlike } from './go-yaml-long-lines.js';
import { FlowSlot, FlowSlots, LEAN_FLOW_PLACEHOLDER, type LeanFlow, leanFlowRegions, type ReaderPosition, RegionAnchor } from './go-yaml-lean-flow.js';
import { LeanGiveUp } from './go-yaml-lean-anchors.js';
import { GoAnchorBinding, type ListenedState } from './go-yaml-lean-rebind.js';
import { aliasesRedefinedAnchor } from './redefined-anchors.js';
import { anyTagTypes, DECODE_FAILED, FLOAT_TAG, LeanScalarSink, MERGE_TAG, quotedScalarListener, taggedValue, tagsReadAlike } from './go-yaml-lean-tags.js';
import { plainValue } from './go-yaml-values.js';
import { markOf } from './go-yaml-run-aliases.js';
import { type MergeStep, PendingMerge } from './go-yaml-run-merges.js';
import { BARE_VALUE_IN_SEQUENCE, hasEmptyFlowKey } from './go-yaml-flow-empty-keys.js';
import { HandleTags, rewriteNamedHandles, undeclaredHandleMessage } from './go-yaml-lean-handles.js';
import { syntaxOnly } from './yaml-syntax-mask.js';

/**
 * The exact reader's lean path (issue 17): a block document whose only go-yaml-specific constructs
 * are YAML 1.1 plain scalars, tags (go-yaml-lean-tags.ts), `<<` merges of mappings or of lists of mappings and U+0085/U+2028/U+2029
 * breaks is read by js-yaml with a schema whose plain-scalar resolver is go-yaml's own
 * (go-yaml-scalar.ts) instead of by the `yaml` package's Document, which cost 1.5–3 s of CPU per MB.
 *
 * Why this is the exact reading: outside scalar resolution, tags, merges and line breaks, js-yaml's
 * structure is what the fast path already trusts for every document without these triggers (the
 * same text checks exclude what it is not trusted with: `?`/`:` glued in flow, directives, escaped
 * line breaks before a blank line, lone CRs, complex, empty and alias keys). Everything go-yaml resolves otherwise is either resolved here
 * by go-yaml's rules or makes this path give up (`undefined`), and the caller reads the document
 * with the full exact reader as before: tags js-yaml would place otherwise (go-yaml-lean-tags.ts),
 * more than one document, null, `.inf` or out-of-range keys, merges of anything but a mapping or a
 * list written out of mappings (an alias to a list, a list item that is no mapping: go-yaml's error, with
 * the full reader's place for it), merges past MAX_MERGED_ENTRIES where a walk reordered by integer-like keys reaches them
 * (elsewhere refused here as the full reader refuses them, PastCap), integer-like keys beside a merge, and anything js-yaml refuses.
 * A key written twice (h-dupkeys) is read last-wins (js-yaml's `json: true`, as go-yaml) and reported
 * as the full reader reports it (go-yaml-lean-pairs.ts recovers the earlier value), except in a
 * document with flow text (read again by the flow reader), with a merge between the two keys or two
 * merges in the mapping, or where the two keys' types differ.
 * test/sources/go-yaml-lean.test.ts compares this path with the full reader on generated documents
 * and with kubectl.
 */

/** Why the lean path gave up on a document: the full exact reader reads it. */
class NotLean extends LeanGiveUp {}

/**
 * Merges past MAX_MERGED_ENTRIES, met where the full reader's walk would meet them too: refused here
 * with its MERGE_BOMB. Handing such a megabyte to the full reader only to be refused cost 3.8 s of CPU.
 */
class PastCap extends NotLean {}

/** A float as a key: sigs.k8s.io/yaml writes it with float32 formatting (`1.2345679e+08`), not as JS would. */
class GoFloat {
  constructor(readonly value: number) {}
  get [Symbol.toStringTag](): string {
    return 'GoFloat';
  }
  toString(): string {
    // A key of `.inf` or `.nan`: the full reader notes kubectl refusing it, kubectl does not; left to the full reader.
    if (!Number.isFinite(this.value)) throw new NotLean();
    return goFloat32Key(this.value);
  }
}

/** A null as a key: sigs.k8s.io/yaml refuses it; as a value it is null. The key text cannot occur in YAML (no NUL). */
const NULL_KEY = '\u0000null';
const GO_NULL = Object.freeze({
  get [Symbol.toStringTag](): string {
    return 'GoNull';
  },
  toString: (): string => NULL_KEY,
});

/** A plain `<<`: go-yaml's merge key (applied below in go-yaml's order), as a value the string `<<`. */
const MERGE = '\u0000<<';

const INT64_BOUND = 2 ** 63;

const GO_MERGE = new yaml.Type('tag:kfguard,2026:go-merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<', construct: () => MERGE });

const GO_PLAIN = new yaml.Type('tag:kfguard,2026:go-plain', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && resolveGoPlain(data).tag !== 'str',
  construct: (data: string) => {
    const resolved = resolveGoPlain(data);
    switch (resolved.tag) {
      case 'bool':
        return resolved.value;
      case 'null':
        return GO_NULL;
      case 'int':
        // Past int64 a key is formatted as a float; rare enough to leave to the full reader.
        if (Math.abs(resolved.value) >= INT64_BOUND) throw new NotLean();
        return resolved.value;
      case 'float':
        // kubectl refuses .inf/.nan as values (no JSON form): noted as the full reader notes it.
        if (!Number.isFinite(resolved.value)) plainValue(data, activeScalars as LeanScalarSink);
        return new GoFloat(resolved.value);
      default:
        throw new NotLean();
    }
  },
});

/** The flow collections of the text being read, when the flow reader read them (go-yaml-lean-flow.ts); reads are synchronous. */
let activeSlots: FlowSlots | undefined;
/** js-yaml's state during that read, as its listener last saw it: where the scalar being constructed ends. */
let activeReader: ReaderPosition | undefined;

/** A placeholder the full reader's flow finder put where a flow collection was: its region's value. */
const GO_FLOW = new yaml.Type('tag:kfguard,2026:go-flow', {
  kind: 'scalar',
  resolve: (data: unknown) => data === LEAN_FLOW_PLACEHOLDER && activeSlots !== undefined,
  construct: () => (activeSlots as FlowSlots).take(activeReader as ReaderPosition),
});

/** Tagged scalars, refusals and notes of the text being read (go-yaml-lean-tags.ts). */
let activeScalars: LeanScalarSink | undefined;

/** A tagged scalar: go-yaml's value (go-yaml-tags.ts), boxed as the plain ones are. */
function constructTagged(text: string, tag: string): unknown {
  // `!!merge` makes any key a merge key for the full reader.
  if (tag === MERGE_TAG) throw new NotLean();
  const value = (activeScalars as LeanScalarSink).construct(activeReader?.position ?? -1, (sink) => taggedValue(text, tag, sink));
  if (value === null) return GO_NULL;
  if (typeof value !== 'number') return value;
  // The full reader formats a `!!float` key as a float even when whole (`!!float 3` is the key "3", `!!float 1e6` "1e+06").
  if (tag === FLOAT_TAG) return new GoFloat(value);
  if (Math.abs(value) >= INT64_BOUND) throw new NotLean();
  return value;
}

/**
 * js-yaml's failsafe types (str, seq, map: `!!str` as go-yaml applies it), go-yaml's plain scalars,
 * and every other tag as go-yaml reads it.
 */
const GO_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [GO_FLOW, GO_MERGE, GO_PLAIN], explicit: anyTagTypes(constructTagged) });

const UNICODE_BREAKS = /[\u0085\u2028\u2029]/g;
const LONE_CR = /\r(?!\n)/;
const UNICODE_BREAK_NOTE = 'U+0085/U+2028/U+2029 end a line for Kubernetes (go-yaml) but not for YAML 1.2 readers (inside quoted text go-yaml keeps U+2028/U+2029 as characters)';

let leanReads = 0;
/** How many documents the lean path read: tests check that a class is read here. */
export function leanReadCount(): number {
  return leanReads;
}

/** Reading a run's text (its aliases to anchors before it are marks): a merge of a mark is kept pending. */
let readingRun = false;

/** readLean for a run of block entries (go-yaml-block-runs.ts): a mapping merging a mark is a PendingMerge (go-yaml-run-merges.ts). */
export function readLeanRun(text: string): KubectlReading | undefined {
  readingRun = true;
  try {
    return readLean(text);
  } finally {
    readingRun = false;
  }
}

/** go-yaml's reading of `text` on the lean path, or undefined when the full exact reader must read it. */
export function readLean(text: string): KubectlReading | undefined {
  if (LONE_CR.test(text)) return undefined;
  const notes: string[] = [];
  let source = text;
  if (/[\u0085\u2028\u2029]/.test(text)) {
    // The full reader's first step (go-yaml-decode.ts decodeSource), so both read the same text.
    const normalised = text.replace(UNICODE_BREAKS, '\n');
    // A quoted scalar holding a break is rewritten as one double-quoted line whose only new escapes
    // are `\n`, `\L`, `\P`, `\\` and `\"`, which js-yaml reads as the `yaml` parser does; its other
    // escapes are copied as written, as in any double-quoted scalar read here (quoted17, issue 17).
    source = keepQuotedUnicodeBreaks(text, normalised);
    notes.push(UNICODE_BREAK_NOTE);
  }
  // A named tag handle (`!e!s`): no `%TAG` reaches a document kubectl reads, so it is refused as the
  // full reader refuses it when the rest reads lean (go-yaml-lean-handles.ts). A run is no whole document.
  const handles = readingRun ? undefined : rewriteNamedHandles(source);
  if (handles) return readWithHandles(source, handles.text, new HandleTags(handles.starts), notes);
  if (routable(source, source)) {
    const direct = readText(source, notes, undefined);
    if (direct !== FLOW_REPEATS) return direct;
  }
  // What routable() checks on the source alone fails whatever the flow collections read as: the flow
  // reader's pass below would be thrown away (a multi-line flow value in every entry beside one
  // full-reader construct: 0.16 s per MB warm, 0.8 s cold; flowruns17). `read` empty passes its checks.
  if (!routable(source, '')) return undefined;
  // Flow collections js-yaml would read otherwise (or whose repeats it would pair otherwise) are read
  // by the flow reader, as the full reader reads them (go-yaml-lean-flow.ts).
  const flow = leanFlowRegions(source);
  if (!flow || !routable(source, flow.text)) return undefined;
  const reading = readText(flow.text, notes, flow);
  return reading === FLOW_REPEATS ? undefined : reading;
}

/**
 * A text holding `!name!suffix` where a tag may start: `rewritten` (the handles made local tags) is
 * read lean. The full reader's refusal of the first handle read there as a tag, if one was; if none
 * was, js-yaml and the full reader (whose readings of `rewritten` agree) both read the handles as
 * text, and the source is read lean as any text (the two differ only in that text). Undefined (the
 * full reader reads the document) when the lean path gives up on `rewritten` or refuses it itself (a
 * decoding error, which the full reader meets after a tag's).
 */
function readWithHandles(source: string, rewritten: string, tags: HandleTags, notes: readonly string[]): KubectlReading | undefined {
  if (!routable(rewritten, rewritten)) return undefined;
  let reading: ReturnType<typeof readText>;
  try {
    reading = readText(rewritten, [], undefined, tags.listener);
  } catch (error) {
    if (error instanceof ExactDecodeError) return undefined;
    throw error;
  }
  if (reading === undefined || reading === FLOW_REPEATS) return undefined;
  if (tags.first !== undefined) throw new ExactDecodeError(undeclaredHandleMessage(source, tags.first));
  const direct = readText(source, notes, undefined);
  return direct === FLOW_REPEATS ? undefined : direct;
}

/** A repeated key in a text read with its flow collections: read again with them behind placeholders. */
const FLOW_REPEATS = Symbol('flow repeats');

/** Thrown where repeats meet flow text js-yaml read itself. */
class FlowRepeats extends NotLean {}

function readText(read: string, notes: readonly string[], flow: LeanFlow | undefined, extra?: (event: string, state: ListenedState) => void): KubectlReading | undefined | typeof FLOW_REPEATS {
  let documents: unknown[];
  const recorder = recordRepeatedMappings();
  const slots = flow ? new FlowSlots(flow.regions, () => recorder.repeated.length, flow.source) : undefined;
  const scalars = new LeanScalarSink();
  const quoted = quotedScalarListener(scalars);
  // The first repeat in text with flow collections js-yaml reads itself ends this read at once: the
  // flow reader reads the text again anyway (repeatedPairs), and the rest of this parse was wasted
  // (half the CPU of a megabyte with a merge beside a repeat in every entry, mergerepeat17).
  const flowRepeats = flowText(read);
  // An anchor name defined again inside a collection anchored with it is bound as go-yaml binds it
  // (go-yaml-lean-rebind.ts); only a name defined twice and aliased can need it, so other texts skip the listener's work.
  const anchors = aliasesRedefinedAnchor(flow ? flow.source : read) ? new GoAnchorBinding() : undefined;
  // A listener call per node either way; it also keeps js-yaml's state for the placeholders' offsets and tagged scalars' ends.
  const anchored = new Set<unknown>();
  const listener = (event: string, state: ListenedState): void => {
    activeReader = state;
    extra?.(event, state);
    anchors?.listener(event, state);
    recorder.listener(event, state);
    // On close js-yaml's state holds the node's own anchor (its collection readers restore it after the items).
    if (event === 'close' && (state as ReaderPosition).anchor != null && (Array.isArray(state.result) || state.result instanceof FlowSlot)) anchored.add(state.result);
    if (flowRepeats && recorder.repeated.length > 0) throw new FlowRepeats();
    quoted(event, state);
  };
  activeSlots = slots;
  activeScalars = scalars;
  try {
    documents = yaml.loadAll(read, undefined, { schema: GO_SCHEMA, json: true, listener: listener as never });
  } catch (error) {
    return error instanceof FlowRepeats ? FLOW_REPEATS : undefined;
  } finally {
    activeSlots = undefined;
    activeReader = undefined;
    activeScalars = undefined;
  }
  if (documents.length > 1 || (slots && !slots.complete()) || scalars.shallow) return undefined;
  let value: unknown;
  let pending: PendingDuplicate[];
  try {
    // The pairs are checked against js-yaml's records before finish() rewrites them in place.
    const repeats = recorder.repeated.length === 0 ? [] : repeatedPairs(recorder.repeated, read);
    const memo = new Map<object, unknown>();
    // Only an alias (here or in a region) can make a node hold itself (go-yaml's "value contains itself"): without one nothing is tracked.
    const state: FinishState = { merged: 0, slots, open: slots?.aliasesOut || read.includes('*') ? new Set() : undefined, anchored, reordered: false, pendingMerges: 0 };
    // A region's alias to an anchor outside names that anchor's finished value.
    slots?.resolveWith((target) => typedKeysChecked(finish(target, memo, state)), state);
    value = finish(documents[0] ?? null, memo, state);
    // Earlier values no record holds any more are finished here; shared nodes come from the memo.
    const finished = repeats.map((group) => group.map((r) => ({ owner: ownerOf(r.owner, memo), key: r.key, first: finish(r.first, memo, state), last: finish(r.last, memo, state) })));
    pending = inWalkOrder(finished, slots?.repeats() ?? []);
    if (pendingMergeUnsure(state, repeats.length + pending.length)) throw new NotLean();
  } catch (error) {
    if (error instanceof FlowRepeats) return FLOW_REPEATS;
    // Nothing go-yaml would refuse first: the only decoding error the full reader meets anywhere in its walk is scalars.error.
    if (error instanceof PastCap && scalars.error === undefined) throw new ExactDecodeError(MERGE_BOMB);
    if (error instanceof LeanGiveUp || error instanceof RangeError) return undefined;
    throw error;
  }
  leanReads++;
  // go-yaml's first decoding error (`!!int abc`), now that nothing the full reader would meet first is left.
  if (scalars.error) throw scalars.error;
  const root = value === undefined ? null : value;
  const refuses = scalars.refuses === undefined ? {} : { kubectlRefuses: scalars.refuses };
  return { value: root, ignoredByKubectl: [], notes: [...notes, ...scalars.notes], duplicates: locateDuplicates(root, pending), ...refuses };
}

/** A mapping with a merge is finished into a new object (merged()): its duplicates belong to that one. */
function ownerOf(record: object | undefined, memo: ReadonlyMap<object, unknown>): object | undefined {
  return record === undefined ? undefined : ((memo.get(record) as object | undefined) ?? record);
}

/**
 * The block mappings' repeats (one group per mapping, as they closed) and the flow regions'
 * (each before the mappings that closed after its placeholder was read): the full reader's walk
 * order, in which it reports them.
 */
function inWalkOrder(blocks: readonly PendingDuplicate[][], flows: readonly { at: number; duplicates: readonly PendingDuplicate[] }[]): PendingDuplicate[] {
  if (flows.length === 0) return blocks.flat();
  const out: PendingDuplicate[] = [];
  let f = 0;
  for (let m = 0; m <= blocks.length; m++) {
    for (; f < flows.length && (flows[f] as { at: number }).at <= m; f++) out.push(...(flows[f] as { duplicates: readonly PendingDuplicate[] }).duplicates);
    if (m < blocks.length) out.push(...(blocks[m] as PendingDuplicate[]));
  }
  return out;
}

/**
 * Each repeat of a key, in the order the full reader reports them (mappings as they close, keys as
 * written), with raw values. Gives up where this path cannot be sure to match the full reader: flow
 * text (its own reader orders and pairs otherwise), a merge between a key's two occurrences or two
 * merges in one mapping (one `<<` elsewhere keeps go-yaml's order, mergerepeat17), keys whose
 * types differ (a note the full reader adds), and pairs that do not rebuild js-yaml's record.
 */
function repeatedPairs(repeated: readonly RepeatedMapping[], source: string): PendingDuplicate[][] {
  if (flowText(source)) throw new FlowRepeats();
  const groups: PendingDuplicate[][] = [];
  for (const { record, pairs } of repeated) {
    const out: PendingDuplicate[] = [];
    groups.push(out);
    const entries = new Map<string, unknown>();
    const types = new Map<string, string>();
    /** The pair index where each key was last written, and where the merge key is (-1: none). */
    const writtenAt = new Map<string, number>();
    let merges = 0;
    let mergePair = -1;
    let mergeValue: unknown;
    for (let pair = 0; pair < pairs.length; pair++) {
      const [key, value] = pairs[pair] as readonly [unknown, unknown];
      if (key === UNPAIRED || key === GO_NULL || (typeof key === 'object' && !(key instanceof GoFloat))) throw new NotLean();
      if (key === MERGE) {
        // js-yaml keeps one `<<` of two (finish() would apply only that one): left to the full reader.
        if (merges++ > 0) throw new NotLean();
        mergePair = pair;
        mergeValue = value;
        continue;
      }
      const text = String(key);
      const type = key instanceof GoFloat ? 'number' : typeof key;
      const earlierType = types.get(text);
      if (earlierType !== undefined && earlierType !== type) throw new NotLean();
      types.set(text, type);
      if (entries.has(text)) {
        // A merge between the two: the full reader reports the merged value as the first, and finish()
        // (which sees only the last explicit value, in the first one's place) would let the merge win.
        if (mergePair > (writtenAt.get(text) as number)) throw new NotLean();
        out.push({ owner: record, key: text, first: entries.get(text), last: value });
      }
      entries.set(text, value);
      writtenAt.set(text, pair);
    }
    const keys = Object.keys(record);
    // The merge key's own entry: js-yaml's record holds it as any other key.
    if (keys.length !== entries.size + merges || keys.some((key) => (key === MERGE ? merges === 0 || record[key] !== mergeValue : !entries.has(key) || entries.get(key) !== record[key]))) throw new NotLean();
  }
  return groups;
}

/** Text in which repeats are left to the flow reader: js-yaml may have read a flow collection in it. */
function flowText(read: string): boolean {
  return read.includes('[') || read.includes('{');
}

/**
 * The cheap text checks: what js-yaml may structure otherwise than go-yaml, or what this path does
 * not resolve, sends the document to the full reader. False alarms only cost time. `read` is what
 * js-yaml reads (`source` with flow collections as placeholders, or `source` itself): checks of
 * structure js-yaml reads look at it, checks of what may be anywhere (escapes, anchors, directives)
 * at the whole source.
 */
function routable(source: string, read: string): boolean {
  // Looked at again without quoted scalars, comments and block scalar bodies only when one fires (yaml-syntax-mask.ts):
  // a harmless `value: "[ :"` no longer sends the whole document to the full reader (quoteaware17).
  if (syntaxTriggers(source) && syntaxTriggers(syntaxOnly(source))) return false;
  // A `[` or `{` in a quoted scalar, comment or block scalar body opens no flow collection.
  if (!shortLinesAndSimpleFlow(read, read)) {
    const syntax = syntaxOnly(read);
    if (syntax === read || !shortLinesAndSimpleFlow(read, syntax)) return false;
  }
  return tagsReadAlike(read, LEAN_FLOW_PLACEHOLDER) && !(hasExplicitKey(read, read) && hasExplicitKey(read, syntaxOnly(read))) && !hasDirective(source) && !hasAliasKey(read);
}

/** Structure js-yaml may read otherwise, or this path does not read: all of it syntax, none of it scalar text. */
function syntaxTriggers(text: string): boolean {
  return (
    ESCAPED_BREAK.test(text) ||
    FLOW_INDICATOR_START.test(text) ||
    ODD_KEY.test(text) ||
    EMPTY_ENTRY_THEN_ENTRY.test(text) ||
    // go-yaml's reading of `[?, : v]` and `[: 1]` is applied by the full reader only (go-yaml-flow-empty-keys.ts).
    hasEmptyFlowKey(text) ||
    BARE_VALUE_IN_SEQUENCE.test(text)
  );
}

/**
 * An alias as a mapping key (`*a : 1`): js-yaml writes a mapping or list it names as the key
 * `[object Object]` or `a,b`, where go-yaml refuses it ("invalid map key"); left to the full reader.
 */
function hasAliasKey(read: string): boolean {
  for (let at = read.indexOf('*'); at !== -1; at = read.indexOf('*', at + 1)) {
    if (at > 0 && !TAG_BEFORE.has(read.charCodeAt(at - 1))) continue;
    let end = at + 1;
    while (end < read.length && !NAME_END.has(read.charCodeAt(end))) end++;
    while (read.charCodeAt(end) === 32 || read.charCodeAt(end) === 9) end++;
    if (read.charCodeAt(end) === 58 && (end + 1 >= read.length || SPACE_AFTER.has(read.charCodeAt(end + 1)))) return true;
  }
  return false;
}

const NAME_END = new Set([...' \t\r\n,[]{}'].map((c) => c.charCodeAt(0)));

/**
 * A `\` before a line break (an escaped break in a double-quoted scalar) and a blank line: go-yaml
 * keeps the break (`"x\` and a blank line and `y"` is "x\ny"), js-yaml drops it ("xy") and the full
 * reader folds it ("x y"). Left to the full reader; an escaped break before a line of text reads alike.
 */
const ESCAPED_BREAK = /\\\r?\n[ \t]*\r?\n/;

/**
 * Lines of at most 1024 characters, or longer ones of the shapes both read alike (go-yaml refuses an
 * implicit key longer than that, js-yaml does not check it everywhere: go-yaml-long-lines.ts), and every flow collection (`[`/`{` where a node may start) closed
 * on its own line with no quote, tab, comment or `-`-started scalar inside: go-yaml and js-yaml
 * read those differently (the full reader's flow reader, go-yaml-flow-read.ts, knows how).
 */
function shortLinesAndSimpleFlow(source: string, syntax: string): boolean {
  let lineStart = 0;
  for (let i = 0; i < source.length; i++) {
    // `syntax` is `source` or the same text with scalar contents and comments blanked (yaml-syntax-mask.ts):
    // a collection starts only where it has a `[` or `{`; the collection itself is read from `source`.
    const c = syntax.charCodeAt(i);
    if (c === 10) {
      if (contentLength(source, lineStart, i) > MAX_LINE && !longLineReadsAlike(source, lineStart, i)) return false;
      lineStart = i + 1;
      continue;
    }
    if ((c !== 91 && c !== 123) || (i > lineStart && !TAG_BEFORE.has(source.charCodeAt(i - 1)))) continue;
    let depth = 0;
    let previous = c;
    let j = i;
    for (; j < source.length; j++) {
      const d = source.charCodeAt(j);
      if (d === 91 || d === 123) depth++;
      else if (d === 93 || d === 125) {
        if (--depth === 0) break;
      } else if (FLOW_UNSAFE.has(d) || (d === 45 && FLOW_ENTRY_START.has(previous))) return false;
      if (d !== 32) previous = d;
    }
    if (j >= source.length) return false;
    i = j;
  }
  return contentLength(source, lineStart, source.length) <= MAX_LINE || longLineReadsAlike(source, lineStart, source.length);
}

/**
 * A line's length without its trailing spaces: a key ends at its `:`, so blanks after the last
 * character never make one longer (and a flow collection's placeholder leaves a line of blanks).
 */
function contentLength(source: string, start: number, end: number): number {
  let last = end;
  while (last > start && source.charCodeAt(last - 1) === 32) last--;
  return last - start;
}

const MAX_LINE = 1024;
/** Inside a one-line flow collection: line ends, quotes, tabs, comments. */
const FLOW_UNSAFE = new Set([10, 13, 34, 39, 9, 35]);
/** A `-` after these starts a scalar in a flow collection (`[-x]`, `{a: -}`), which go-yaml reads its own way. */
const FLOW_ENTRY_START = new Set([...'[{,:'].map((c) => c.charCodeAt(0)));

const TAG_BEFORE = new Set([...' \t\r\n:[{,-'].map((c) => c.charCodeAt(0)));
const SPACE_AFTER = new Set([...' \t\r\n'].map((c) => c.charCodeAt(0)).concat(Number.NaN));

/**
 * A `?` that may be an explicit key (after a space, a `-` or a line start, before a space or the end)
 * and that js-yaml may read otherwise than go-yaml (explicit17). js-yaml turns a key it cannot use as
 * text into text (`? [a]` is "a", `? {a: 1}` and `? a: 1` "[object Object]", an empty `? ` "null"),
 * where go-yaml refuses it (kubectl: "invalid map key", "unsupported map key of type null"). Checked
 * with kubectl alike: a one-line scalar key at a line's start, after its indentation and any `- `
 * (`? k`, `? "q"`, `? 1`, `? yes`, with `: v` below or none), and a `? |`/`? >` block scalar key.
 * Such a `?` is no give-up; every other one is (tags, anchors, aliases, flow text, more lines).
 */
function hasExplicitKey(source: string, syntax: string): boolean {
  // `syntax`: `source`, or it with scalar contents and comments blanked, whose `?` are text (yaml-syntax-mask.ts).
  for (let at = syntax.indexOf('?'); at !== -1; at = syntax.indexOf('?', at + 1)) {
    const before = at === 0 ? 10 : source.charCodeAt(at - 1);
    const after = source.charCodeAt(at + 1);
    if (TAG_BEFORE.has(before) && (Number.isNaN(after) || SPACE_AFTER.has(after)) && !scalarKeyReadsAlike(source, at)) return true;
  }
  return false;
}

/** Before the `?`: its line's indentation and `- ` entries only (no tab, nothing a flow collection may hold). */
const KEY_LINE_START = /^ *(?:- +)*$/;
/** After `? `: a plain scalar with no indicator, `:` (a mapping) or `#` in it, or a quoted one closed on the line. */
const ONE_LINE_KEY = /^ +(?:[^\s\-?:,[\]{}#&*!|>'"%@`][^:#[\]{}\t]*|"[^"\\\n]*"|'[^'\n]*')$/;
/** After `? `: a block scalar header, no indentation indicator (js-yaml and go-yaml read the lines under it alike). */
const BLOCK_SCALAR_KEY = /^ +[|>][-+]?$/;

function scalarKeyReadsAlike(source: string, at: number): boolean {
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  if (!KEY_LINE_START.test(source.slice(lineStart, at))) return false;
  let lineEnd = source.indexOf('\n', at);
  if (lineEnd === -1) lineEnd = source.length;
  const rest = source.slice(at + 1, source.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd).replace(/ +$/, '');
  if (BLOCK_SCALAR_KEY.test(rest)) return true;
  if (!ONE_LINE_KEY.test(rest)) return false;
  // Nothing under a one-line key: a deeper line would go on with its text (or make it something else).
  const column = at - lineStart;
  let next = lineEnd + 1;
  while (next < source.length) {
    let end = source.indexOf('\n', next);
    if (end === -1) end = source.length;
    const line = source.slice(next, end);
    if (line.trim() !== '') {
      const indent = line.length - line.replace(/^ +/, '').length;
      return indent <= column && line.charCodeAt(indent) !== 9;
    }
    next = end + 1;
  }
  return true;
}

/**
 * A pending merge is applied by the decoder on the run's value alone: beside repeats (their owners
 * and values) or flow regions (which may name its mapping) the run is left to the parser.
 */
function pendingMergeUnsure(state: FinishState, repeats: number): boolean {
  return state.pendingMerges > 0 && (state.slots !== undefined || repeats > 0);
}

/** A `%` line (`%TAG` changes what `!!str` means; `%YAML`): left to the full reader. */
function hasDirective(source: string): boolean {
  return source.startsWith('%') || source.includes('\n%');
}

/**
 * Unboxes go-yaml's values (GoFloat, GO_NULL, MERGE) and applies merges as go-yaml does: pairs in
 * order, a merge setting every key of its mapping (overriding an earlier explicit one), a later
 * explicit key overriding a merged one. Shared (aliased) nodes are finished once.
 */
function finish(node: unknown, memo: Map<object, unknown>, state: FinishState): unknown {
  if (node === GO_NULL) return null;
  // The flow reader's value is go-yaml's already.
  if (node instanceof FlowSlot || node instanceof RegionAnchor) return (state.slots as FlowSlots).valueOf(node);
  if (node instanceof GoFloat) return node.value;
  if (node === MERGE) return '<<';
  if (typeof node !== 'object' || node === null || node === DECODE_FAILED) return node;
  // Reached again while it is being finished: an alias inside the node names it. go-yaml refuses that; the full reader says so.
  if (state.open?.has(node)) throw new NotLean();
  const known = memo.get(node);
  if (known !== undefined) return known;
  if (Array.isArray(node)) {
    memo.set(node, node);
    state.open?.add(node);
    for (let i = 0; i < node.length; i++) node[i] = finish(node[i], memo, state);
    state.open?.delete(node);
    return node;
  }
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.includes(NULL_KEY)) throw new NotLean();
  // Integer-like keys come first in a JS object: from here on this walk's order may not be the full reader's (PastCap).
  if (keys.length > 0 && INDEX_LIKE.test(keys[0] as string)) state.reordered = true;
  state.open?.add(node);
  let out: Record<string, unknown> = record;
  if (!keys.includes(MERGE)) {
    memo.set(node, node);
    for (const key of keys) setKey(record, key, finish(record[key], memo, state));
  } else {
    out = merged(record, keys, memo, state);
    memo.set(node, out);
  }
  state.open?.delete(node);
  return out;
}

const checkedForTypedKeys = new WeakSet<object>();

/**
 * A value a flow region's alias names: a region may merge it, and the flow reader cannot know the
 * types of its keys from here (TYPED_TEXT), so a mapping with a key a typed one may have become is
 * left to the full reader. Each mapping is looked at once however many regions name it.
 */
function typedKeysChecked(value: unknown): unknown {
  if (!isMapping(value) || checkedForTypedKeys.has(value as object)) return value;
  if (Object.keys(value as object).some((key) => TYPED_TEXT.test(key))) throw new NotLean();
  checkedForTypedKeys.add(value as object);
  return value;
}

/** A mapping holding a merge key, finished into a new object: go-yaml's pairs in order. */
function merged(record: Record<string, unknown>, keys: readonly string[], memo: Map<object, unknown>, state: FinishState): Record<string, unknown> {
  // Integer-like keys are ordered first by JS objects, so the pairs' order relative to the merge is lost.
  if (keys.some((key) => INDEX_LIKE.test(key))) throw new NotLean();
  const entries = new Map<string, unknown>();
  const steps: MergeStep[] = [];
  let mark: number | undefined;
  for (const key of keys) {
    const value = finish(record[key], memo, state);
    if (key !== MERGE) {
      if (entries.has(key) && TYPED_TEXT.test(key)) throw new NotLean();
      entries.set(key, value);
      steps.push([key, value]);
      continue;
    }
    // A run's alias to an anchor before the run (a mark, written as the plain value itself): merged
    // by the decoder once the anchor's value is known (go-yaml-run-merges.ts).
    mark = readingRun && typeof value === 'string' && record[key] === value ? markOf(value) : undefined;
    if (mark !== undefined) {
      steps.push(mark);
      continue;
    }
    const maps = mergedMappings(record[key], value, state);
    // Every copy counted before any is made, as the full reader counts (go-yaml-decode.ts countMerged);
    // past the cap the full reader refuses the document (MERGE_BOMB): a cut is never read here.
    // Stopped at the cap: a list of a million aliases to a large mapping must not be counted to its end.
    for (const map of maps) {
      state.merged += Object.keys(map).length;
      if (state.merged > MAX_MERGED_ENTRIES) throw state.reordered ? new NotLean() : new PastCap();
    }
    // Last to first, each overriding what is there: an earlier mapping of the list wins (go-yaml, kubectl).
    for (let m = maps.length - 1; m >= 0; m--) {
      for (const [k, v] of Object.entries(maps[m] as object)) {
        if (entries.has(k) && TYPED_TEXT.test(k)) throw new NotLean();
        entries.set(k, v);
      }
    }
  }
  if (mark !== undefined) {
    state.pendingMerges++;
    return new PendingMerge(steps) as unknown as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) setKey(out, key, value);
  return out;
}

/**
 * What a merge copies, as go-yaml takes it: a mapping (written out or aliased), or a list written out
 * whose every item is a mapping (each written out or aliased). Anything else is go-yaml's error
 * ("map merge requires map or sequence of maps as the value"), which the full reader gives with its
 * place in the walk: left to it, as is a list that may be an alias (go-yaml refuses an alias to a
 * list, and js-yaml's alias is the anchored array itself). `raw` is js-yaml's node, `value` its finished value.
 */
function mergedMappings(raw: unknown, value: unknown, state: FinishState): readonly object[] {
  if (!Array.isArray(value)) {
    if (!isMapping(value)) throw new NotLean();
    return [value as object];
  }
  // A list js-yaml read (an array) or the flow reader read (a placeholder), written here: not anchored, so no alias names it.
  if (!(Array.isArray(raw) || raw instanceof FlowSlot) || state.anchored.has(raw)) throw new NotLean();
  if (!value.every(isMapping)) throw new NotLean();
  return value as object[];
}

/** A finished mapping; a tagged scalar go-yaml cannot decode is none (the full reader gives the merge error first). */
function isMapping(value: unknown): boolean {
  // A pending merge (a run's mapping merging an anchor before it): its entries are not known yet.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value !== DECODE_FAILED && !(value instanceof PendingMerge);
}

interface FinishState {
  /** Entries merge keys copied so far (MAX_MERGED_ENTRIES). */
  merged: number;
  readonly slots: FlowSlots | undefined;
  /** Collections being finished, kept only when the text holds an alias. */
  readonly open: Set<object> | undefined;
  /** Lists and flow placeholders js-yaml stored under an anchor: a merge of one may be of an alias. */
  readonly anchored: ReadonlySet<unknown>;
  /** A mapping walked so far had integer-like keys, which JS objects put first: the walk may differ from document order. */
  reordered: boolean;
  /** Mappings merging a run's mark (PendingMerge). */
  pendingMerges: number;
}

const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;
/**
 * A JSON key a bool, int or float key may have become (js-yaml's keys are strings by now). go-yaml
 * merges into a map of typed keys, where `true` and `"true"` are two (kubectl keeps either at
 * random; the full reader notes it, go-yaml-values.ts keepKeyTypes): such a key met twice in a
 * merge is left to the full reader, which knows the types.
 */
const TYPED_TEXT = /^(?:true$|false$|-?[0-9])/;
