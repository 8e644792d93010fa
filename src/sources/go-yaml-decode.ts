import type { Alias, Scalar, YAMLMap } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { type AliasTargets, type AnchorTarget, findAliasTargets, isRegionAnchor } from './go-yaml-anchor-targets.js';
import { type BlockRun, cutRuns, findBlockRuns, ownerOf, RUN_PLACEHOLDER, type RunReader, type RunReading } from './go-yaml-block-runs.js';
import { resolveMarks } from './go-yaml-run-aliases.js';
import { MergeGiveUp } from './go-yaml-run-merges.js';
import { type FlowReading, readFlowCollection } from './go-yaml-flow-read.js';
import { SLASH_ESCAPE_REFUSAL } from './go-yaml-flow-tokens.js';
import { applyFlowEmptyKeys } from './go-yaml-flow-empty-keys.js';
import { rewriteFlowPlain } from './go-yaml-flow-plain.js';
import { FLOW_PLACEHOLDER, type FlowRegion, findFlowRegions, withPlaceholders } from './go-yaml-flow-regions.js';
import { resolveGoPlain } from './go-yaml-scalar.js';
import { cutDeepNesting } from './go-yaml-depth-cut.js';
import { reindentContinuations } from './go-yaml-continuations.js';
import { rewriteGoYamlOnlySyntax } from './go-yaml-only-syntax.js';
import { rewriteEscapedBlankLines } from './go-yaml-escaped-breaks.js';
import { keepQuotedUnicodeBreaks } from './go-yaml-quoted-breaks.js';
import { checkSimpleKeys } from './go-yaml-simple-keys.js';
import { TAG_PREFIX, taggedScalarValue } from './go-yaml-tags.js';
import { goYamlTagExtents } from './go-yaml-tag-uri.js';
import { undeclaredHandleRefusal } from './go-yaml-undeclared-handles.js';
import { ExactDecodeError, findNullKey, hasNullKey, keyToString, keepKeyTypes, keyTypesNote, markNullKey, MAX_MERGED_ENTRIES, MERGE_BOMB, mergeKeyTypes, NULL_KEY_REFUSAL, nullKeyMarkCount, type PendingDuplicate, setKey } from './go-yaml-values.js';

/**
 * The exact reader: one `---` chunk decoded as `kubectl apply` decodes it (sigs.k8s.io/yaml over
 * go-yaml v2). The `yaml` package gives the node tree; every value is resolved here with go-yaml's
 * rules instead of YAML 1.2's: 1.1 scalars, merge keys applied in order (a later `<<` overrides an
 * earlier explicit key), duplicate keys last-wins, `!!binary` decoded, local tags kept as text,
 * U+0085/U+2028/U+2029 as line breaks, and only the first document of the chunk.
 */
export interface KubectlReading {
  readonly value: unknown;
  /** Later documents in the chunk (after `...`): go-yaml never reads them, kfguard keeps them visible. */
  readonly ignoredByKubectl: unknown[];
  /** Why kfguard cannot be sure it matches Kubernetes here, or where kubectl would refuse the document. */
  readonly notes: string[];
  /** kubectl refuses the document (e.g. `.inf` has no JSON form); the value is still what it says. */
  readonly kubectlRefuses?: string;
  /** Keys written twice in one mapping of the first document: where, the first value and the last (which Kubernetes keeps). */
  readonly duplicates: readonly DuplicateKey[];
}

export interface DuplicateKey {
  /** Path of the key from the document's root, one entry per mapping key or list index; undefined when it was not found. */
  readonly segments: readonly (string | number)[] | undefined;
  readonly first: unknown;
  readonly last: unknown;
}

export { ExactDecodeError };

const UNICODE_BREAKS = /[\u0085\u2028\u2029]/g;
const LONE_CR = /\r(?!\n)/g;
/** go-yaml v2 stops at this depth; our recursion must stop before the JS stack does. */
const MAX_DEPTH = 10_000;
/**
 * The `yaml` parser recurses per flow level: it overflows the stack at about 800 levels, and its
 * time per byte grows with the depth (1 MB of 9,999-level documents took 24 s). Past this depth
 * the document is refused at once, with a message that says why, though Kubernetes reads it.
 */
export const MAX_READABLE_DEPTH = 500;
/** The start of the refusal message for a document deeper than kfguard's readers follow. */
export const TOO_DEEP_TO_READ = 'nested deeper than kfguard can read';

export function hasUnicodeBreak(text: string): boolean {
  return text.includes('\u2028') || text.includes('\u2029') || text.includes('\u0085');
}

export function decodeLikeKubectl(text: string, options: DecodeOptions = {}): KubectlReading {
  // Checked before building a tree: a megabyte of `[` would otherwise cost seconds.
  const depth = flowDepth(text, MAX_DEPTH);
  if (depth > MAX_DEPTH) throw new ExactDecodeError(`exceeded max depth of ${MAX_DEPTH} (kubectl refuses it too)`);
  if (depth > MAX_READABLE_DEPTH) {
    const cut = readCut(text, MAX_READABLE_DEPTH, options);
    if (cut) return cut;
    throw new ExactDecodeError(`${TOO_DEEP_TO_READ} (over ${MAX_READABLE_DEPTH} levels of [ and {; Kubernetes reads up to ${MAX_DEPTH.toLocaleString('en-US')}); refused`);
  }
  try {
    return decodeShallow(text, options);
  } catch (error) {
    // The `yaml` package's recursion overflowed (a long run of `- - - …`): read the rest with the
    // deep part cut, so the document's other fields are still judged.
    const overflow = error instanceof RangeError || (error instanceof ExactDecodeError && error.message.includes('Maximum call stack size exceeded'));
    const cut = overflow ? readCut(text, CUT_DEPTH_AFTER_OVERFLOW, options) : undefined;
    if (cut) return cut;
    throw error;
  }
}

/** Where nesting is cut after the readers' stack overflowed (it did at about 800 levels). */
const CUT_DEPTH_AFTER_OVERFLOW = 200;

/** The reading with nesting past `limit` cut (go-yaml-depth-cut.ts) and a note saying so; undefined when nothing was cut or the rest cannot be read. */
function readCut(text: string, limit: number, options: DecodeOptions): KubectlReading | undefined {
  const cut = cutDeepNesting(text, limit);
  if (!cut) return undefined;
  let reading: KubectlReading;
  try {
    reading = decodeShallow(cut.text, options);
  } catch {
    return undefined;
  }
  reading.notes.push(
    `${TOO_DEEP_TO_READ}: nesting past ${limit} levels (from line ${cut.lines.slice(0, 5).join(', ')}) is cut and read as null; Kubernetes reads up to ${MAX_DEPTH.toLocaleString('en-US')} levels, so what is there goes unjudged`,
  );
  return reading;
}

function decodeShallow(text: string, options: DecodeOptions): KubectlReading {
  // go-yaml (libyaml's read_line) ends a line at a lone CR as at LF, in block structure and inside
  // quoted and block scalars alike (each becomes `\n`); the `yaml` package does not, so `a\r  b: 1`
  // would be one line to it. Same length, so offsets and error positions hold. CRLF stays as it is.
  const source = text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
  try {
    return decodeSource(source, options);
  } catch (error) {
    if (!(error instanceof ExactDecodeError) || isMergeBomb(error)) throw error;
    // `\'` and `!<!>`, which go-yaml reads and the `yaml` package refuses (go-yaml-only-syntax.ts).
    const rewritten = rewriteGoYamlOnlySyntax(source);
    const base = rewritten ?? source;
    if (rewritten !== undefined) {
      try {
        return decodeSource(rewritten, options);
      } catch {
        // Another fault too: the re-indent below may still mend it.
      }
    }
    // go-yaml does not check how deep the continuation lines of a quoted scalar or flow collection
    // are indented; the `yaml` package does. Re-read with those lines indented deeper (no value
    // changes); if that fails too, the first error stands.
    const mended = reindentContinuations(base);
    if (mended === undefined) throw error;
    let reading: KubectlReading;
    try {
      reading = decodeSource(mended, options);
    } catch {
      throw error;
    }
    reading.notes.push(UNDER_INDENTED_NOTE);
    return reading;
  }
}

export const UNDER_INDENTED_NOTE =
  'a quoted string or [...]/{...} goes on over lines indented no deeper than its key: Kubernetes (go-yaml) reads it, YAML 1.2 readers refuse it';

function decodeSource(text: string, options: DecodeOptions): KubectlReading {
  // Null-key marks made from here on are this reading's (the flow regions are read below).
  const marks = nullKeyMarkCount();
  const notes: string[] = [];
  let source = text;
  if (hasUnicodeBreak(source)) {
    source = keepQuotedUnicodeBreaks(source, source.replace(UNICODE_BREAKS, '\n'));
    notes.push('U+0085/U+2028/U+2029 end a line for Kubernetes (go-yaml) but not for YAML 1.2 readers (inside quoted text go-yaml keeps U+2028/U+2029 as characters)');
  }
  // `"a\` + blank line + `b"`: go-yaml keeps a break per blank line, the `yaml` parser folds them (go-yaml-escaped-breaks.ts).
  source = rewriteEscapedBlankLines(source);
  // Tags glued to `,`, `[` or `]`, which go-yaml takes into the tag's name (go-yaml-tag-uri.ts).
  const tags = goYamlTagExtents(source);
  if (tags.refusal) throw new ExactDecodeError(`${tags.refusal.message} (kubectl refuses it too)`, tags.refusal.line);
  source = tags.text;
  // A named handle no `%TAG` can declare: refused before the parse (go-yaml-undeclared-handles.ts).
  const handle = undeclaredHandleRefusal(source);
  if (handle !== undefined) throw new ParserError(handle);
  const flow = rewriteFlowPlain(source);
  if (flow.refusal) throw new ExactDecodeError(`${flow.refusal} (kubectl refuses it too)`);
  source = flow.text;
  // `?` with an empty key in a flow sequence, which go-yaml reads by skipping a token (go-yaml-flow-empty-keys.ts).
  const emptyKeys = applyFlowEmptyKeys(source);
  if (emptyKeys.refusal) throw new ExactDecodeError(emptyKeys.refusal.message, emptyKeys.refusal.line);
  source = emptyKeys.text;
  const flowDashes = new Set(flow.dashes);
  const regions = options.flowFastPath !== false ? findFlowRegions(source, flow.dashes) : [];
  if (regions.length > 0 || options.readRun) {
    const fast = readWithPlaceholders(source, regions, notes, flowDashes, marks, options.readRun, options.runBytes);
    if (fast) return fast;
  }
  return readDocuments(source, notes, flowDashes, undefined, marks);
}

export interface DecodeOptions {
  /** Read simple flow collections with go-yaml-flow-read.ts instead of the `yaml` parser (default true; tests compare both). */
  readonly flowFastPath?: boolean;
  /**
   * Reads runs of plain block entries instead of the `yaml` parser (go-yaml-block-runs.ts): the lean
   * path's reader, passed in by the caller since that reader imports this file. Without it the
   * `yaml` parser reads every line, as tests may compare.
   */
  readonly readRun?: RunReader;
  /** The least size of a run read that way (tests make it small to cut many runs). */
  readonly runBytes?: number;
}

/** The collections read by go-yaml-flow-read.ts and the runs of block entries read lean, by placeholder offset, and those found in the tree. */
interface Placeholders {
  readonly regions: ReadonlyMap<number, FlowRegion>;
  readonly used: Set<FlowRegion>;
  readonly runs: ReadonlyMap<number, BlockRun>;
  readonly usedRuns: Set<BlockRun>;
  /** The text the regions were read from (offsets as in the text the `yaml` parser reads). */
  readonly source: string;
}

/**
 * Reads the text with the found flow collections as placeholders. A placeholder that did not come
 * back as a plain node of its own (the finder took a `[` in a block scalar, comment or multi-line
 * string for a collection) is put back and the text read once more; undefined means read it all
 * with the `yaml` parser, as does any error, so errors and their positions are always the parser's.
 */
function readWithPlaceholders(source: string, found: readonly FlowRegion[], notes: readonly string[], flowDashes: ReadonlySet<number>, marks: number, readRun: RunReader | undefined, runBytes: number | undefined): KubectlReading | undefined {
  let regions = found;
  let runs: BlockRun[] | undefined;
  for (let round = 0; round < 4; round++) {
    const text = regions.length > 0 ? withPlaceholders(source, regions) : source;
    // Runs are found on the text with the regions' placeholders (a region's lines are no run's);
    // found again only when regions were put back.
    runs ??= readRun ? findBlockRuns(text, readRun, runBytes, source, regions) : [];
    if (regions.length === 0 && runs.length === 0) return undefined;
    const cut = cutRuns(text, runs);
    const placeholders: Placeholders = {
      regions: new Map(regions.flatMap((r) => (cut.offsetOf(r.start) === undefined ? [] : [[cut.offsetOf(r.start) as number, r] as const]))),
      used: new Set(),
      runs: cut.runs,
      usedRuns: new Set(),
      source,
    };
    const dashes = runs.length === 0 ? flowDashes : new Set([...flowDashes].flatMap((d) => (cut.offsetOf(d) === undefined ? [] : [cut.offsetOf(d) as number])));
    let reading: KubectlReading;
    try {
      reading = readDocuments(cut.text, [...notes], dashes, placeholders, marks);
    } catch (error) {
      // A run's keys meet a key of the same mapping outside it: read again with that run left to the parser.
      if (error instanceof RunConflict) {
        runs = runs.filter((r) => r !== error.run);
        continue;
      }
      // go-yaml's decoding error met by the node walk (a long key, a null key, an unknown anchor):
      // a run holds none (the lean reader read it) and the walk meets the rest in the same order,
      // so it is the error the whole text gives, without the parser's second pass (issue 17). With
      // flow regions it may be theirs (an anchor in a region, aliased outside): read again without them.
      if (runs.length > 0 && error instanceof ExactDecodeError && !(error instanceof ParserError) && !(error instanceof FlowDecodeError)) {
        if (regions.length === 0) throw error;
        regions = [];
        runs = undefined;
        continue;
      }
      // go-yaml's decoding error inside a collection the flow reader read (an unknown anchor, a
      // null key): the syntax was read, so the `yaml` parser would stop on the same error after
      // seconds per MB (issue 17). Any other error is the parser's to report, with its position.
      if (error instanceof FlowDecodeError) throw new ExactDecodeError(error.message, error.line, error.column);
      // Merges past the cap: the `yaml` parser would build the same copies, at the same cost.
      if (isMergeBomb(error)) throw error;
      return undefined;
    }
    // A region a run holds (go-yaml-run-flows.ts) is read there, or with its run when that is left to the parser.
    const held = new Set(runs.flatMap((r) => r.flows));
    const lost = held.size === 0 ? placeholders.used.size !== regions.length : regions.some((r) => !placeholders.used.has(r) && !held.has(r));
    if (!lost && placeholders.usedRuns.size === runs.length) return reading;
    if (lost) {
      regions = regions.filter((r) => placeholders.used.has(r) || held.has(r));
      runs = undefined;
    } else runs = runs.filter((r) => placeholders.usedRuns.has(r));
  }
  return undefined;
}

/** A run's key is also a key of the same mapping outside the run: the decoder reads that run with the parser instead. */
class RunConflict extends Error {
  constructor(readonly run: BlockRun) {
    super('a run of block entries shares a key with its mapping');
  }
}

/** The run a placeholder entry stands for: a plain, untagged, unanchored scalar at its offset in a block collection. */
function runAt(node: YamlNode | null | undefined, state: State): BlockRun | undefined {
  const runs = state.placeholders?.runs;
  if (!runs || runs.size === 0 || !node || !isScalar(node) || node.type !== 'PLAIN' || node.tag !== undefined || node.anchor !== undefined) return undefined;
  const range = node.range;
  if (!range || range[1] !== range[0] + RUN_PLACEHOLDER.length || node.value !== RUN_PLACEHOLDER) return undefined;
  return runs.get(range[0]);
}

/** A run of mapping entries: its key placeholder, followed by its value placeholder. */
function mapRunAt(key: YamlNode | null, value: YamlNode | null, state: State): BlockRun | undefined {
  const run = runAt(key, state);
  if (!run || run.kind !== 'map' || !value || !isScalar(value) || value.range?.[0] !== (key as Scalar).range?.[0] as number + RUN_PLACEHOLDER.length + 2) return undefined;
  if (value.type !== 'PLAIN' || value.tag !== undefined || value.anchor !== undefined || value.value !== RUN_PLACEHOLDER) return undefined;
  return run;
}

/** The repeats the lean reader found in a run, handed on as the node walk finds them: the run's own mapping's to `own`. */
function addRunDuplicates(reading: RunReading, state: State, own: PendingDuplicate[] | undefined): void {
  for (const duplicate of reading.duplicates) {
    const segments = duplicate.segments as readonly (string | number)[];
    const key = String(segments[segments.length - 1]);
    if (own && segments.length === 1) own.push({ key, first: duplicate.first, last: duplicate.last });
    else state.duplicates.push({ owner: ownerOf(reading.value, duplicate) as object, key, first: duplicate.first, last: duplicate.last });
  }
}

/**
 * The run's reading with its aliases to anchors before it (go-yaml-run-aliases.ts) given their
 * anchors' values: the last anchor of each name before the run, found with the rest
 * (go-yaml-anchor-targets.ts); an anchor around the run is its "value contains itself". Made once
 * per walk, so the values are this tree's (a run may be spliced in again in a later round).
 */
function runReading(run: BlockRun, state: State, depth: number): RunReading {
  if (run.aliases.length === 0) return run.reading;
  state.runReadings ??= new Map();
  const known = state.runReadings.get(run);
  if (known) return known;
  const targets = aliasTargets(state).runs.get(run);
  const valueOf = (name: string): unknown => {
    const target = targets?.get(name);
    // Unknown (failOnUnknownAnchor stops before this): the parser reads the run.
    if (!target) throw new RunConflict(run);
    return targetValue(target, name, state, depth);
  };
  const copies = new Map<object, unknown>();
  let reading: RunReading;
  try {
    reading = {
      ...run.reading,
      // A pending merge's entries are counted in this walk's budget (state.merged), as the full reader counts them.
      value: resolveMarks(run.reading.value, run.aliases, valueOf, copies, state),
      duplicates: run.reading.duplicates.map((d) => ({ segments: d.segments, first: resolveMarks(d.first, run.aliases, valueOf, copies, state), last: resolveMarks(d.last, run.aliases, valueOf, copies, state) })),
    };
  } catch (error) {
    // A merge of an anchor before the run not certain to be go-yaml's (go-yaml-run-merges.ts): the parser reads the run.
    if (error instanceof MergeGiveUp) throw new RunConflict(run);
    throw error;
  }
  state.runReadings.set(run, reading);
  return reading;
}

/** A block sequence's items, a run's items spliced in where its placeholder entry is. */
function seqWithRuns(items: readonly unknown[], state: State, depth: number): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    const run = runAt(item as YamlNode, state);
    if (run?.kind === 'seq') {
      const reading = runReading(run, state, depth);
      for (const value of reading.value as unknown[]) out.push(value);
      addRunDuplicates(reading, state, undefined);
      state.placeholders?.usedRuns.add(run);
    } else out.push(toValue(item as YamlNode, state, depth + 1));
  }
  return out;
}

/** How many times the `yaml` parser has run here: tests check that a text is not parsed twice (issue 17). */
let yamlParses = 0;
export function yamlParseCount(): number {
  return yamlParses;
}

/** `marks`: nullKeyMarkCount() when the reading began; more means a null key may be left in a document. */
function readDocuments(source: string, notes: string[], flowDashes: ReadonlySet<number>, placeholders: Placeholders | undefined, marks: number): KubectlReading {
  yamlParses++;
  const parsed = parseAllDocuments(source, {
    version: '1.1',
    schema: 'failsafe',
    merge: false,
    uniqueKeys: false,
    strict: false,
    prettyErrors: false,
    // Flow collections keep their source tokens: go-yaml's simple-key rule needs where each `:` is (go-yaml-simple-keys.ts).
    keepSourceTokens: true,
  });
  const documents = Array.isArray(parsed) ? parsed : [];
  const first = documents[0];
  if (!first) return { value: null, ignoredByKubectl: [], notes, duplicates: [] };
  const error = first.errors[0];
  if (error) {
    // go-yaml stops at the first `...`: a fault in the text after it is no fault for Kubernetes.
    const end = documentEndBefore(source, first);
    if (end !== undefined) {
      const reading = readDocuments(source.slice(0, end.offset), notes, flowDashes, placeholders, marks);
      reading.notes.push(`the text after a \`...\` line is not valid YAML; Kubernetes never reads it (go-yaml stops at \`...\`), and kfguard does not judge it`);
      return reading;
    }
    const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [undefined, undefined];
    throw new ParserError(error.message.split('\n')[0] ?? 'invalid YAML', line, column);
  }
  const state: State = { doc: first, memo: new Map(), onStack: new Set(), notes, refuses: undefined, flowDashes, duplicates: [], placeholders, rereads: new Map(), text: source, merged: 0 };
  failOnUnknownAnchor(state);
  const value = toValue(first.contents as YamlNode | null, state, 0);
  failOnNullKey(value, state, marks);
  const ignoredByKubectl = readLaterDocuments(documents.slice(1), source, notes, flowDashes, placeholders, marks);
  const duplicates = locateDuplicates(value, state.duplicates);
  return { value, ignoredByKubectl, notes, duplicates, ...(state.refuses ? { kubectlRefuses: state.refuses } : {}) };
}

/**
 * The documents after the first `...` of a chunk, which go-yaml never reads: kfguard still judges
 * each mapping or list among them. One that does not read (a syntax error, an unknown alias, a bad
 * `!!int`) is left with a note instead of refusing the document Kubernetes applies; a scalar is no
 * object to judge, and kubectl never sees it, so it is dropped.
 */
function readLaterDocuments(later: readonly Document[], source: string, notes: string[], flowDashes: ReadonlySet<number>, placeholders: Placeholders | undefined, marks: number): unknown[] {
  const values: unknown[] = [];
  let unread = 0;
  for (const document of later) {
    if (document.contents === null) continue;
    if (document.errors.length > 0) {
      unread++;
      continue;
    }
    const state: State = { doc: document, memo: new Map(), onStack: new Set(), notes, refuses: undefined, flowDashes, duplicates: [], placeholders, rereads: new Map(), text: source, merged: 0 };
    try {
      failOnUnknownAnchor(state);
      const value = toValue(document.contents as YamlNode, state, 0);
      failOnNullKey(value, state, marks);
      if (value !== null && typeof value === 'object') values.push(value);
    } catch (error) {
      if (!(error instanceof ExactDecodeError) || isMergeBomb(error)) throw error;
      unread++;
    }
  }
  if (values.length > 0) notes.push('a document after `...` in the same `---` section is never read by Kubernetes (go-yaml reads only the first); kfguard still judges it');
  if (unread > 0) notes.push(`${unread} document(s) after \`...\` in the same \`---\` section do not read as YAML; Kubernetes never reads them (go-yaml reads only the first), and kfguard does not judge them`);
  return values;
}

/**
 * The first document's `...` marker, when every error the `yaml` parser found in that document
 * lies after it (text on the marker's line, which go-yaml never reads); undefined otherwise.
 */
function documentEndBefore(source: string, first: Document): { offset: number } | undefined {
  if (!first.directives?.docEnd) return undefined;
  const marker = /^\.\.\.(?=[ \t\r\n]|$)/gm;
  marker.lastIndex = Math.max(0, (first.range?.[1] ?? 0) - 1);
  const found = marker.exec(source);
  if (!found || !first.errors.every((e) => e.pos[0] > found.index)) return undefined;
  return { offset: found.index };
}

/**
 * sigs.k8s.io/yaml's refusal of a null key left in go-yaml's result. In a reading with placeholders
 * it is go-yaml's decoding error, not the parser's: the `yaml` parser would stop on the same one
 * after seconds per MB (issue 17), as with failOnUnknownAnchor.
 */
function failOnNullKey(value: unknown, state: State, marks: number): void {
  if (nullKeyMarkCount() === marks || !findNullKey(value)) return;
  throw state.placeholders ? new FlowDecodeError(NULL_KEY_REFUSAL) : new ExactDecodeError(NULL_KEY_REFUSAL);
}

/**
 * The deepest `[`/`{` nesting, counted up to one past `limit`. Quoted text is skipped; brackets
 * inside plain scalars count, so the answer can only err towards refusing, and only on text no
 * manifest holds.
 */
export function flowDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
    else if (c === 34 || c === 39) {
      const end = text.indexOf(c === 34 ? '"' : "'", i + 1);
      if (end === -1) return deepest;
      i = end;
    }
  }
  return deepest;
}

/** A key go-yaml reads as a float64 (`1.0`, `!!float 1`), which sigs.k8s.io/yaml formats as a float. */
function isFloatKey(key: YamlNode | null): boolean {
  if (!isScalar(key) || typeof key.value !== 'string') return false;
  if (key.tag !== undefined) return key.tag === 'tag:yaml.org,2002:float';
  return key.type === 'PLAIN' && resolveGoPlain(key.value).tag === 'float';
}

interface State {
  readonly doc: Document;
  readonly memo: Map<YamlNode, unknown>;
  readonly onStack: Set<YamlNode>;
  readonly notes: string[];
  refuses: string | undefined;
  /** Where a lone `-` in a flow collection was masked for the `yaml` parser (go-yaml-flow-plain.ts). */
  readonly flowDashes: ReadonlySet<number>;
  readonly duplicates: PendingDuplicate[];
  readonly placeholders: Placeholders | undefined;
  /** Each alias's target, found in one walk when the first alias is met (go-yaml-anchor-targets.ts). */
  aliasTargets?: AliasTargets;
  /** Flow collections read again with their aliases to anchors outside resolved. */
  readonly rereads: Map<FlowRegion, FlowReading>;
  /** The text the `yaml` parser read, for what its nodes do not keep (a scalar's escapes). */
  readonly text: string;
  /** Entries merge keys copied so far (countMerged). */
  merged: number;
  /** Runs' readings with their aliases to anchors outside resolved in this tree (runReading). */
  runReadings?: Map<BlockRun, RunReading>;
}

function toValue(node: YamlNode | null | undefined, state: State, depth: number): unknown {
  if (node === null || node === undefined) return null;
  if (depth > MAX_DEPTH) throw new ExactDecodeError(`nesting deeper than ${MAX_DEPTH} levels`);
  if (isAlias(node)) return aliasValue(node, state, depth);
  const known = state.memo.get(node);
  if (known !== undefined) return known;
  let value: unknown;
  const region = state.placeholders && isScalar(node) ? placeholderRegion(node, state.placeholders) : undefined;
  if (region) value = fromFlowReading(region, node, state, depth);
  else if (isScalar(node)) {
    value = taggedScalarValue(node.tag, node.type === 'PLAIN', isMaskedDash(node, state) ? '-' : String(node.value ?? ''), state);
    if (node.type === 'QUOTE_DOUBLE' && hasSlashEscape(node, state.text)) state.refuses ??= SLASH_ESCAPE_REFUSAL;
  }
  else if (isSeq(node)) {
    if (node.flow) checkSimpleKeys(node.srcToken, state.text);
    state.onStack.add(node);
    value = !node.flow && state.placeholders && state.placeholders.runs.size > 0 ? seqWithRuns(node.items, state, depth) : node.items.map((item) => toValue(item as YamlNode, state, depth + 1));
    state.onStack.delete(node);
  } else if (isMap(node)) {
    checkSimpleKeys(node.srcToken, state.text);
    state.onStack.add(node);
    const entries = new Map<string, unknown>();
    const keyTypes = new Map<string, string>();
    const explicit = new Set<string>();
    const pending: PendingDuplicate[] = [];
    /** Keys read in runs of this mapping's entries (go-yaml-block-runs.ts), and the run of each. */
    const runKeys = new Map<string, BlockRun>();
    const runs = !node.flow && state.placeholders !== undefined && state.placeholders.runs.size > 0;
    let nullKey = false;
    node.items.forEach((pair, index) => {
      const key = pair.key as YamlNode | null;
      const run = runs ? mapRunAt(key, pair.value as YamlNode | null, state) : undefined;
      if (run) {
        const reading = runReading(run, state, depth);
        for (const [k, v] of Object.entries(reading.value as Record<string, unknown>)) {
          // The node walk would report a repeat, or a note on two key types: left to it.
          if (keyTypes.has(k) || runKeys.has(k)) throw new RunConflict(run);
          runKeys.set(k, run);
          entries.set(k, v);
        }
        addRunDuplicates(reading, state, pending);
        state.placeholders?.usedRuns.add(run);
        return;
      }
      if (isMergeKey(key)) {
        const merge = mergeInto(entries, pair.value as YamlNode | null, state, depth + 1);
        if (merge.nullKey) nullKey = true;
        // In merge order, each merged mapping's keys' types over what the mapping holds so far.
        for (const map of merge.maps) mergeKeyTypes(keyTypes, map, state.notes);
        return;
      }
      const keyValue = toValue(key, state, depth + 1);
      if (keyValue === null && !isBareEmptyKey(node, index, key)) {
        // Left out and refused after the walk if the mapping is still in the result (NULL_KEY).
        nullKey = true;
        toValue(pair.value as YamlNode | null, state, depth + 1);
        return;
      }
      const keyString = keyToString(keyValue, state, isFloatKey(key));
      const keyType = typeof keyValue;
      const inRun = runKeys.get(keyString);
      if (inRun) throw new RunConflict(inRun);
      const earlierType = keyTypes.get(keyString);
      if (earlierType !== undefined && earlierType !== keyType) {
        state.notes.push(keyTypesNote(keyString, earlierType, keyType));
      }
      keyTypes.set(keyString, keyType);
      const entry = toValue(pair.value as YamlNode | null, state, depth + 1);
      if (explicit.has(keyString)) pending.push({ key: keyString, first: entries.get(keyString), last: entry });
      explicit.add(keyString);
      entries.set(keyString, entry);
    });
    state.onStack.delete(node);
    value = toObject(entries);
    if (nullKey) markNullKey(value as object);
    keepKeyTypes(value as object, keyTypes);
    for (const duplicate of pending) state.duplicates.push({ ...duplicate, owner: value as object });
  } else {
    value = null;
  }
  state.memo.set(node, value);
  return value;
}

/**
 * A key with no content, no `?` and no properties (`{: 1}`, `[: 1]`, a block `: 1`): go-yaml's
 * parser refuses it ("did not find expected node content/key"), the `yaml` parser reads a null key,
 * so it is refused at once, as before, and no replacement can hide it. So is `[? : 1]` (a single
 * pair in a sequence has no tokens of its own; go-yaml: "did not find expected ',' or ']'"), and
 * any empty key whose tokens cannot be matched to the pairs.
 */
function isBareEmptyKey(node: YAMLMap, index: number, key: YamlNode | null): boolean {
  // With keepSourceTokens every scalar written in the text has its token; an empty one is made up.
  if (key !== null && (!isScalar(key) || key.srcToken !== undefined)) return false;
  // A pair in a flow sequence (the `yaml` package makes its one-entry map with no token): go-yaml
  // reads an empty key there only after `?` (`[? : v]`; `[: v]` is its syntax error), a null key.
  if (node.flow && node.srcToken === undefined) return false;
  const items = (node.srcToken as { items?: { start?: { type: string }[] }[] } | undefined)?.items;
  if (!items || items.length !== node.items.length) return true;
  return items[index]?.start?.some((token) => token.type === 'explicit-key-ind' || token.type === 'tag' || token.type === 'anchor') !== true;
}

/** The collection a placeholder stands for, when the node is that placeholder, untagged, where it was put. */
function placeholderRegion(node: Scalar, placeholders: Placeholders): FlowRegion | undefined {
  const range = node.range;
  if (!range || node.type !== 'PLAIN' || node.tag !== undefined) return undefined;
  const region = placeholders.regions.get(range[0]);
  // range[0] is where the placeholder is in the text the parser read (runs cut before it move it).
  if (!region || range[1] !== range[0] + FLOW_PLACEHOLDER.length || node.value !== FLOW_PLACEHOLDER) return undefined;
  return region;
}

/** The collection's value, with what reading it had to say added in the order the node walk would add it. */
function fromFlowReading(region: FlowRegion, node: YamlNode, state: State, depth: number): unknown {
  const reading = finalReading(region, node, state, depth);
  for (const note of reading.notes) state.notes.push(note);
  if (reading.refuses !== undefined) state.refuses ??= reading.refuses;
  if (reading.error) throw new FlowDecodeError(reading.error.message, reading.error.line, reading.error.column);
  for (const duplicate of reading.duplicates) state.duplicates.push(duplicate);
  state.placeholders?.used.add(region);
  return reading.value;
}

/** The `yaml` parser's own error: with runs cut its position or order may differ, so the whole text is read again. */
class ParserError extends ExactDecodeError {}

/** A decoding error inside a collection read by the flow reader, at the place the node walk reaches it. */
class FlowDecodeError extends ExactDecodeError {}

/** The region's reading, read again with its aliases to anchors before it resolved when it has such aliases. */
function finalReading(region: FlowRegion, node: YamlNode | undefined, state: State, depth: number): FlowReading {
  if (region.reading.external.size === 0 || !state.placeholders) return region.reading;
  const known = state.rereads.get(region);
  if (known) return known;
  const targets = aliasTargets(state).regions.get(region);
  if (node) state.onStack.add(node);
  // `state` is the document's merge count (a MergeBudget): a reread region's merges add to it.
  const again = readFlowCollection(state.placeholders.source, region.start, region.indent, (name) => {
    const target = targets?.get(name);
    if (!target) throw new ExactDecodeError(`unknown anchor '${name}' referenced`);
    return targetValue(target, name, state, depth);
  }, state);
  if (node) state.onStack.delete(node);
  // The same text read the first time; only values can differ.
  if ('failedAt' in again) throw new Error(`flow collection at ${region.start} read once but not twice`);
  state.rereads.set(region, again);
  return again;
}

function hasSlashEscape(node: Scalar, text: string): boolean {
  const range = node.range;
  return range !== undefined && range !== null && SLASH_ESCAPE.test(text.slice(range[0], range[1]));
}
/** `\/` after an even number of backslashes: the escape itself, not an escaped backslash before `/`. */
const SLASH_ESCAPE = /(?<!\\)(?:\\\\)*\\\//;

function isMaskedDash(node: Scalar, state: State): boolean {
  const valueEnd = node.range?.[1];
  return state.flowDashes.size > 0 && valueEnd !== undefined && state.flowDashes.has(valueEnd - 1) && node.type === 'PLAIN';
}

function aliasTargets(state: State): AliasTargets {
  state.aliasTargets ??= findAliasTargets(
    state.doc,
    (node) => (state.placeholders ? placeholderRegion(node, state.placeholders) : undefined),
    (node) => {
      const run = runAt(node, state);
      return run && run.aliases.length > 0 ? { run, names: run.aliases } : undefined;
    },
  );
  return state.aliasTargets;
}

/**
 * go-yaml's parser resolves every alias before anything is decoded, so an unknown anchor is the
 * error whatever else the document holds. Thrown as the flow reader's when placeholders are read:
 * the walk finds the same first alias in the placeholder tree as in the whole one.
 */
function failOnUnknownAnchor(state: State): void {
  if (!(state.placeholders?.source ?? state.text).includes('*')) return;
  const unknown = aliasTargets(state).firstUnknown;
  if (unknown === undefined) return;
  const message = `unknown anchor '${unknown}' referenced`;
  throw state.placeholders ? new FlowDecodeError(message) : new ExactDecodeError(message);
}

function aliasValue(node: Alias, state: State, depth: number): unknown {
  const target = aliasTargets(state).aliases.get(node);
  if (!target) throw new ExactDecodeError(`unknown anchor '${node.source}' referenced`);
  return targetValue(target, node.source, state, depth);
}

function targetValue(target: AnchorTarget, name: string, state: State, depth: number): unknown {
  if (isRegionAnchor(target)) return finalReading(target.region, undefined, state, depth).anchors.get(name);
  if (state.onStack.has(target)) throw new ExactDecodeError(`anchor '${name}' value contains itself`);
  return toValue(target, state, depth + 1);
}

function isMergeKey(key: YamlNode | null): boolean {
  if (!key || !isScalar(key)) return false;
  if (key.tag === `${TAG_PREFIX}merge`) return true;
  return key.tag === undefined && key.type === 'PLAIN' && key.value === '<<';
}

/**
 * go-yaml's merge: a mapping, or a sequence of mappings applied last to first so earlier ones win;
 * each overrides what is there. `maps`: the mappings in the order applied; `nullKey` when a merged
 * mapping holds a null key, which the target then holds.
 */
function mergeInto(entries: Map<string, unknown>, node: YamlNode | null, state: State, depth: number): { maps: readonly object[]; nullKey: boolean } {
  let nullKey = false;
  const mapOf = (item: YamlNode | null): object => {
    const target = item && isAlias(item) ? aliasTargets(state).aliases.get(item) : item;
    // go-yaml's parser stops at an unknown anchor before the merge is looked at.
    if (item && isAlias(item) && !target) throw new ExactDecodeError(`unknown anchor '${item.source}' referenced`);
    // An anchored flow collection read by the flow reader is a placeholder scalar here: its value decides.
    // Refusing it would throw away the placeholder reading and parse the whole text again (issue 17).
    const placeholder = target && !isRegionAnchor(target) && isScalar(target) && state.placeholders ? placeholderRegion(target, state.placeholders) : undefined;
    const isMapping = target && (isRegionAnchor(target) ? isPlainObject(finalReading(target.region, undefined, state, depth).anchors.get(target.name)) : placeholder ? isPlainObject(toValue(item, state, depth)) : isMap(target));
    if (!isMapping) throw new ExactDecodeError(MERGE_REFUSAL);
    const value = toValue(item, state, depth) as object;
    countMerged(state, Object.keys(value).length);
    if (hasNullKey(value)) nullKey = true;
    return value;
  };
  // A collection the flow reader read is written out, not an alias: a mapping or a list of mappings (aliases to a list are not among its items' values).
  const region = node && isScalar(node) && state.placeholders ? placeholderRegion(node, state.placeholders) : undefined;
  if (region) {
    const value = toValue(node, state, depth);
    const maps = isPlainObject(value) ? [value] : Array.isArray(value) && value.every(isPlainObject) ? [...value].reverse() : undefined;
    if (!maps) throw new ExactDecodeError(MERGE_REFUSAL);
    for (const map of maps) countMerged(state, Object.keys(map as object).length); // throws past the cap, before any copy
    for (const map of maps) for (const [k, v] of Object.entries(map as Record<string, unknown>)) entries.set(k, v);
    return { maps: maps as object[], nullKey: maps.some(hasNullKey) };
  }
  if (node && isSeq(node)) {
    // A run in a merged list would be a scalar here: that run is read by the parser instead.
    for (const item of node.items) {
      const run = runAt(item as YamlNode, state);
      if (run) throw new RunConflict(run);
    }
    const maps = node.items.map((item) => mapOf(item as YamlNode)).reverse();
    for (const map of maps) for (const [k, v] of Object.entries(map)) entries.set(k, v);
    return { maps, nullKey };
  }
  const map = mapOf(node);
  for (const [k, v] of Object.entries(map)) entries.set(k, v);
  return { maps: [map], nullKey };
}

const MERGE_REFUSAL = 'map merge requires map or sequence of maps as the value';

export function isMergeBomb(error: unknown): boolean {
  return error instanceof ExactDecodeError && error.message === MERGE_BOMB;
}

/** Counts entries a merge is about to copy, refusing the document past MAX_MERGED_ENTRIES (counted before the copy is made). */
function countMerged(state: State, entries: number): void {
  state.merged += entries;
  if (state.merged > MAX_MERGED_ENTRIES) throw new ExactDecodeError(MERGE_BOMB);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toObject(entries: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) setKey(out, key, value);
  return out;
}

/** The walk that places duplicates stops after this many nodes; one it has not placed is graded high by its reader. */
const MAX_WALKED = 100_000;

/**
 * The path of each duplicate's mapping, found by walking the decoded value for the mapping object
 * (the decoder builds mappings bottom-up, before their place is known). A mapping reached through
 * an alias gets the first place it is found.
 */
export function locateDuplicates(root: unknown, pending: readonly PendingDuplicate[]): DuplicateKey[] {
  if (pending.length === 0) return [];
  const owners = new Set(pending.map((d) => d.owner));
  // Each visit links to its parent's instead of copying the path (a copy per node was half the cost
  // on a megabyte of duplicates); the path is built only for an owner.
  const paths = new Map<object, (string | number)[]>();
  const seen = new Set<object>();
  const stack: Visit[] = [{ value: root, parent: undefined, segment: 0 }];
  while (stack.length > 0 && paths.size < owners.size && seen.size < MAX_WALKED) {
    const visit = stack.pop() as Visit;
    const value = visit.value;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (owners.has(value) && !paths.has(value)) paths.set(value, pathOf(visit));
    // Scalars are not pushed: they hold no mapping, and skipping them leaves the order of the rest as it was.
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (isCollection(value[i])) stack.push({ value: value[i], parent: visit, segment: i });
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) if (isCollection(record[key])) stack.push({ value: record[key], parent: visit, segment: key });
    }
  }
  return pending.map((d) => {
    const at = d.owner ? paths.get(d.owner) : undefined;
    return { segments: at ? [...at, d.key] : undefined, first: d.first, last: d.last };
  });
}

interface Visit {
  readonly value: unknown;
  /** The visit of the collection holding this value; undefined at the root. */
  readonly parent: Visit | undefined;
  readonly segment: string | number;
}

function isCollection(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.segment);
  return path.reverse();
}
