import yaml from 'js-yaml';
import { redactParserMessage } from '../core/redact.js';
import type { DocumentText, ReadingStakes } from '../core/types.js';
import { unreadDocument } from '../core/unread-document.js';
import { unreadDocumentSchemasOnce } from './crd-schema-once.js';
import { clearMarkers, cutCrdSchemas, isFaithfulCut } from './crd-schema-skip.js';
import { mayReadDifferently } from './exact-route.js';
import { decodeLikeKubectl, type DuplicateKey, ExactDecodeError, hasUnicodeBreak, isMergeBomb, TOO_DEEP_TO_READ } from './go-yaml-decode.js';
import { splitLikeKubectl, type StreamChunk } from './kubectl-stream.js';
import { describeDifferences, describeDuplicate, type GradedNote, highestStakes } from './reading-diff.js';
import { splitBlockList } from './list-items.js';
import { type Salvage, salvageReading } from './salvage-reading.js';
import { isSharedRefusal } from './shared-refusals.js';
import { hasIndicator } from './yaml-indicators.js';
import { readLean, readLeanRun } from './go-yaml-lean.js';

export interface ParsedDocument {
  readonly value: unknown;
  readonly document: DocumentText;
  readonly index: number;
  /** Where YAML 1.2 readers and Kubernetes read this document differently, or kfguard cannot be sure (manifest-parse-ambiguity). */
  readonly readingNotes?: readonly string[];
  /** What the worst of `readingNotes` can change; absent means high. */
  readonly readingStakes?: ReadingStakes;
  /** A stand-in for a document kfguard refused (its error is in `errors`): raw text for the threat search. */
  readonly refused?: boolean;
  /** Where the value sits inside `document` (`[0]` for an item of a List read item by item). */
  readonly pathPrefix?: string;
}

export interface DocumentError {
  readonly index: number;
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

export interface ParseLimits {
  /** Documents larger than this are rejected rather than parsed. */
  readonly maxDocumentBytes: number;
  /** Caps how many nodes aliases may expand to, so an alias bomb is refused before rules walk it. */
  readonly maxExpandedNodes: number;
  /**
   * Caps how much text aliases may add beyond the document's own length: a node count alone lets
   * a long anchored string, aliased thousands of times, reach the rules as hundreds of megabytes.
   */
  readonly maxAliasBytes: number;
  /** Parse CRD schema blocks too, to report YAML errors in them (see crd-schema-skip.ts). */
  readonly parseCrdSchemas: boolean;
  /** Documents read from one stream; past this the rest is refused with an error (memory stays bounded). */
  readonly maxDocuments: number;
}

/**
 * Past this size, a document js-yaml refuses for a syntax error kubectl shares (shared-refusals.ts)
 * is refused without the exact reader's second opinion: the `yaml` parser costs 1-5 s of CPU per
 * MB, and up to this size that is at most a few tenths of a second. Below it the exact reader
 * still decides, as it always did, so small documents read exactly as before.
 */
export const MAX_UNCONFIRMED_BYTES = 64 * 1024;

/** Past this size a document is not given to the exact reader (see parseChunk): the API server's request limit. */
export const MAX_EXACT_READ_BYTES = 3 * 1024 * 1024;

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxDocumentBytes: 16 * 1024 * 1024,
  maxExpandedNodes: 2_000_000,
  // The same as the threat scanner's budget for text derived from one object (core/budget.ts).
  maxAliasBytes: 4 * 1024 * 1024,
  parseCrdSchemas: false,
  maxDocuments: 200_000,
};

export interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly note?: string;
  readonly json?: boolean;
  readonly refusal?: { readonly line: number; readonly message: string };
}

/**
 * Cuts a YAML stream at `---` lines. A marker at column 0 ends any open block or flow scalar per
 * the YAML spec, so a document parses the same alone as in the stream, and one broken document
 * cannot hide the others.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart = 0;
  let chunkLine = 1;
  let lineStart = 0;
  for (let line = 1; lineStart < text.length; line++) {
    if (lineStart > chunkStart && isDocumentMarker(text, lineStart)) {
      chunks.push({ start: chunkStart, end: lineStart, startLine: chunkLine });
      chunkStart = lineStart;
      chunkLine = line;
    }
    const newline = text.indexOf('\n', lineStart);
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  chunks.push({ start: chunkStart, end: text.length, startLine: chunkLine });
  return chunks;
}

function isDocumentMarker(text: string, offset: number): boolean {
  if (text.charCodeAt(offset) !== 45 || !text.startsWith('---', offset)) return false;
  const after = text.charCodeAt(offset + 3);
  return Number.isNaN(after) || after === 10 || after === 13 || after === 32 || after === 9;
}

/** What parsing one `---` chunk gave: its documents, or one error. Plain data, so a worker can send it. */
export interface ChunkResult {
  readonly values: unknown[];
  readonly error?: { readonly line: number; readonly column?: number; readonly message: string };
  readonly notes?: string[];
  /** What the worst of `notes` can change (reading-diff.ts). */
  readonly stakes?: ReadingStakes;
  /** A refused document's best-effort reading, for the threat search (salvage-reading.ts). */
  readonly salvaged?: Salvage;
  /** A List over the document limit, read item by item (list-items.ts): each item's range and result. */
  readonly listItems?: { readonly chunk: Chunk; readonly result: ChunkResult }[];
}

export function parseChunk(text: string, chunk: Chunk, limits: ParseLimits): ChunkResult {
  if (chunk.refusal) return { values: [], error: chunk.refusal };
  const size = chunk.end - chunk.start;
  if (size > limits.maxDocumentBytes) {
    return oversized(text, chunk, limits, `document is ${formatBytes(size)}, over the ${formatBytes(limits.maxDocumentBytes)} limit per document (--max-doc-size)`);
  }
  const full = text.slice(chunk.start, chunk.end);
  if (chunk.json) return parseJsonChunk(full, chunk);
  const lean = parseWithoutCrdSchemas(full);
  const source = lean?.source ?? full;
  // The look for go-yaml-only constructs runs on the cut text, also with --parse-crd-schemas: a
  // schema block never reaches the rules (slim.ts keeps a CRD's names and versions only), so how
  // go-yaml reads a word such as `on` in a description cannot matter, and sending every CRD whose
  // descriptions hold one to the exact reader cost that mode most of its time. Line breaks can
  // matter (they move text out of the block).
  const route = exactRoute(chunk, full, source);
  const exact = route.breaksDiffer || route.yaml11;
  const read: Reading | ChunkResult = lean && !exact && !limits.parseCrdSchemas ? { values: lean.values } : readFastOrExactly(text, chunk, limits, full, route);
  if ('error' in read || 'listItems' in read) return read;
  // With --parse-crd-schemas the values hold the schemas too, and so may their aliases.
  const problem = expansionProblem(read.values, limits.parseCrdSchemas ? full : source, limits, source.length);
  if (problem) return { values: [], error: { line: chunk.startLine, message: problem } };
  const values = withoutLaterScalars(read.values);
  return read.notes && read.notes.length > 0 ? { values, notes: read.notes, stakes: read.stakes ?? 'high' } : { values };
}

/** A chunk's values, with the exact reader's notes when it was read exactly. */
interface Reading {
  readonly values: unknown[];
  readonly notes?: string[];
  readonly stakes?: ReadingStakes;
}

/** A document over a size limit: a List is read item by item, anything else refused with `message`. */
function oversized(text: string, chunk: Chunk, limits: ParseLimits, message: string): ChunkResult {
  const listItems = chunk.json ? undefined : readListItems(text, chunk, limits);
  if (listItems) return { values: [], listItems };
  return { values: [], error: { line: chunk.startLine, message } };
}

/**
 * A document the lean js-yaml reading cannot settle: read by js-yaml, by the exact reader, or
 * both; a refusal comes back as the chunk's result.
 */
function readFastOrExactly(text: string, chunk: Chunk, limits: ParseLimits, full: string, route: { breaksDiffer: boolean; yaml11: boolean }): Reading | ChunkResult {
  const exact = route.breaksDiffer || route.yaml11;
  // A large document js-yaml reads first even when it must also be read exactly: it is read
  // for the comparison anyway, and its refusal may spare the exact reader (below).
  const fastFirst = !exact || (route.yaml11 && full.length > MAX_UNCONFIRMED_BYTES && full.length <= MAX_EXACT_READ_BYTES);
  const fast = fastFirst ? yaml12Reading(full, undefined) : {};
  const fastError = fast.error;
  // An alias bomb in js-yaml's reading is one in Kubernetes' too (aliases are the same nodes in
  // both): refused before the exact reader, whose parser costs 3 s per MB of `- *a` lines.
  const bomb = fast.values ? expansionProblem(fast.values, full, limits) : undefined;
  if (bomb) return { values: [], error: { line: chunk.startLine, message: bomb } };
  if (!exact && fastError === undefined) return { values: fast.values ?? [] };
  if (full.length > MAX_EXACT_READ_BYTES) {
    // The exact reader costs seconds and gigabytes per MB on hostile flow text (10 MB of nested
    // flow lists exhausted V8's heap). No single object this size can exist in a cluster (the API
    // server refuses request bodies over 3 MiB); a List this size is read item by item.
    return oversized(
      text,
      chunk,
      limits,
      `document is ${formatBytes(full.length)} and reads differently in YAML 1.1 and 1.2, over the ${formatBytes(MAX_EXACT_READ_BYTES)} kfguard reads exactly (the API server refuses objects over 3 MiB); refused`,
    );
  }
  if (!route.breaksDiffer && isLargeSharedRefusal(fastError, full)) {
    // Refused by a syntax error kubectl shares: asking the exact reader would only confirm it at
    // 1-5 s of CPU per MB (issue 17). The error is js-yaml's, as for any document it refuses.
    return { values: [], error: toDocumentError(fastError, chunk.startLine), salvaged: salvageReading(full) };
  }
  // On the exact path the exact reader's error is the one reported; js-yaml's reading, when made, is for the comparison.
  const known = exact && fastFirst ? fast : undefined;
  const read = readExactly(full, chunk, limits, exact ? undefined : fastError, known);
  if ('error' in read) return { values: [], error: read.error, ...(read.salvageable ? { salvaged: salvageReading(full) } : {}) };
  return read;
}

/** Past the first, a document in a `---` chunk follows a `...`: kubectl never reads it, and a scalar there is nothing to judge. */
function withoutLaterScalars(values: unknown[]): unknown[] {
  return values.length > 1 ? [values[0], ...values.slice(1).filter((value) => typeof value === 'object' && value !== null)] : values;
}

/**
 * Why a document goes to the exact reader: its line breaks or `---` lines read differently
 * (`breaksDiffer`: Unicode line breaks, odd separators), or its text holds YAML 1.1 constructs.
 */
function exactRoute(chunk: Chunk, full: string, source: string): { breaksDiffer: boolean; yaml11: boolean } {
  const breaksDiffer = chunk.note !== undefined || hasUnicodeBreak(full);
  return { breaksDiffer, yaml11: !breaksDiffer && mayReadDifferently(source) };
}

/** js-yaml refused a document over MAX_UNCONFIRMED_BYTES with a syntax error kubectl shares (shared-refusals.ts). */
function isLargeSharedRefusal(fastError: unknown, full: string): boolean {
  return fastError !== undefined && full.length > MAX_UNCONFIRMED_BYTES && isSharedRefusal(fastError, full);
}

/**
 * A List too large to read whole, read item by item with the same limits per item; undefined when
 * it is not in kubectl's block layout or its header is not a List (then it is refused whole).
 */
function readListItems(text: string, chunk: Chunk, limits: ParseLimits): ChunkResult['listItems'] {
  const split = splitBlockList(text, chunk.start, chunk.end, chunk.startLine);
  if (!split || split.header.length > limits.maxDocumentBytes) return undefined;
  const header = parseChunk(split.header, { start: 0, end: split.header.length, startLine: chunk.startLine }, limits);
  const list = header.values[0] as { kind?: unknown; items?: unknown } | undefined;
  if (header.error || header.values.length !== 1 || typeof list?.kind !== 'string' || !list.kind.endsWith('List') || list.items !== null) return undefined;
  return split.items.map((item) => {
    const itemChunk: Chunk = { start: item.start, end: item.end, startLine: item.startLine };
    const result = parseChunk(text, itemChunk, limits);
    const read = result.values[0];
    if (result.error || (Array.isArray(read) && read.length === 1 && result.values.length === 1)) return { chunk: itemChunk, result };
    return { chunk: itemChunk, result: { values: [], error: { line: item.startLine, message: 'a List item did not read as one item; refused' } } };
  });
}

/**
 * The exact reader's values (what Kubernetes applies), and a note for every way a YAML 1.2 reader
 * sees the document differently: kfguard judges Kubernetes' reading and says that the other exists.
 */
function readExactly(
  full: string,
  chunk: Chunk,
  limits: ParseLimits,
  fastError: unknown,
  /** js-yaml's reading of a document on the exact path, when it was made before. */
  known?: { readonly values?: unknown[]; readonly error?: unknown },
): { values: unknown[]; notes: string[]; stakes: ReadingStakes | undefined } | { error: NonNullable<ChunkResult['error']>; salvageable: boolean } {
  let reading;
  try {
    // The lean path reads block documents with only 1.1 scalars, `!!str`, merges and Unicode
    // breaks in js-yaml's time; anything else it leaves to the full reader (go-yaml-lean.ts).
    // The full reader leaves runs of plain block entries to the lean reader too (go-yaml-block-runs.ts).
    reading = readLean(full) ?? decodeLikeKubectl(full, { readRun: readLeanRun });
  } catch (error) {
    // Too deep for Kubernetes, or for kfguard's readers (their recursion; see MAX_READABLE_DEPTH):
    // refused with that reason, and not salvaged, since the salvage reader would recurse the same way.
    const tooDeep = error instanceof ExactDecodeError && (error.message.startsWith('exceeded max depth') || error.message.startsWith(TOO_DEEP_TO_READ));
    if (error instanceof RangeError || (error instanceof ExactDecodeError && error.message.includes('Maximum call stack size exceeded'))) {
      return { error: { line: chunk.startLine, message: `${TOO_DEEP_TO_READ} (its nesting overflowed the reader's stack); refused` }, salvageable: false };
    }
    // Merges past the cap are refused as an alias bomb whatever js-yaml said; the raw text is still searched.
    if (isMergeBomb(error)) return { error: { line: chunk.startLine, message: (error as Error).message }, salvageable: false };
    // A syntax error leaves a tree worth salvaging for the threat search; a document too deep does not.
    if (fastError !== undefined && !tooDeep) return { error: toDocumentError(fastError, chunk.startLine), salvageable: true };
    if (error instanceof ExactDecodeError) {
      const line = error.line === undefined ? chunk.startLine : chunk.startLine + error.line - 1;
      return { error: { line, ...(error.column !== undefined ? { column: error.column } : {}), message: redactParserMessage(error.message.startsWith(TOO_DEEP_TO_READ) ? error.message : `${error.message} (as Kubernetes reads YAML)`) }, salvageable: !tooDeep };
    }
    throw error;
  }
  // Notes of the exact reader (separators, line breaks, merge keys, types) are tricks, not slips: high.
  const graded: GradedNote[] = [...(chunk.note ? [chunk.note] : []), ...reading.notes].map((text) => ({ text, stakes: 'high' }));
  if (reading.kubectlRefuses) graded.push({ text: `kubectl refuses this document: ${reading.kubectlRefuses}`, stakes: 'high' });
  const values = [reading.value, ...reading.ignoredByKubectl].filter((value) => value !== null && value !== undefined);
  // The alias cap comes before any walk of the expanded tree: the comparison below walks it too,
  // and took 18-29 s on a 54-200 KB alias bomb before parseChunk's check refused it (issue 17).
  const bomb = expansionProblem(values, full, limits);
  if (bomb) return { error: { line: chunk.startLine, message: bomb }, salvageable: false };
  const reading12 = known ?? yaml12Reading(full, fastError);
  let yaml12 = reading12.values;
  const yaml12Error = reading12.error;
  const duplicates = yaml12Error !== undefined && isDuplicateKeyError(yaml12Error) ? gradeDuplicates(full, reading.duplicates, isSecretValue(reading.value), reading.value) : undefined;
  if (duplicates) {
    graded.push(...duplicates.notes);
    yaml12 = duplicates.lastWins;
  } else if (yaml12Error !== undefined) {
    graded.push({ text: `YAML 1.2 readers (js-yaml, most linters) refuse this document (${toDocumentError(yaml12Error, chunk.startLine).message}) but Kubernetes reads it`, stakes: 'high' });
  }
  if (yaml12) {
    if (yaml12.length === values.length) values.forEach((value, i) => graded.push(...describeDifferences(value, yaml12[i])));
    else graded.push({ text: `Kubernetes reads ${values.length} document(s) here, YAML 1.2 readers ${yaml12.length}`, stakes: 'high' });
  }
  return { values, notes: graded.map((n) => n.text), stakes: highestStakes(graded.map((n) => n.stakes)) };
}

/** js-yaml's reading for the comparison: its error when it refused already, else a reading made now. */
function yaml12Reading(full: string, fastError: unknown): { values?: unknown[]; error?: unknown } {
  if (fastError !== undefined) return { error: fastError };
  try {
    return { values: loadDocuments(full) };
  } catch (error) {
    return { error };
  }
}

function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof yaml.YAMLException && error.reason === 'duplicated mapping key';
}

function isSecretValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Secret';
}

/**
 * A document YAML 1.2 readers refuse only for keys written twice: each duplicate graded by what
 * its two values differ in, and the document read last-wins (as JSON.parse and Kubernetes do) so
 * its other differences are compared too. Undefined, so the refusal stays high, when the exact
 * reader did not place every duplicate or the document has another fault.
 */
function gradeDuplicates(full: string, duplicates: readonly DuplicateKey[], hideValues: boolean, root: unknown): { notes: GradedNote[]; lastWins: unknown[] } | undefined {
  if (duplicates.length === 0 || duplicates.some((d) => d.segments === undefined)) return undefined;
  let lastWins: unknown[];
  try {
    lastWins = loadDocuments(full, true);
  } catch {
    return undefined;
  }
  return { notes: duplicates.map((d) => describeDuplicate(d.segments ?? [], d.first, d.last, hideValues, root)), lastWins };
}

/** One value of kubectl's JSON stream: Go's encoding/json, where the last duplicate key wins as with JSON.parse. */
function parseJsonChunk(full: string, chunk: Chunk): ChunkResult {
  const value: unknown = JSON.parse(full);
  const values = value === null ? [] : [value];
  return chunk.note ? { values, notes: [chunk.note] } : { values };
}

/**
 * YAML 1.2 core types, plus `<<` merge keys: Kubernetes' YAML reader applies them, so a container
 * written as `<<: *base` must reach the rules merged, not hidden under a `<<` key.
 */
const MERGE_KEY = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' });
const MANIFEST_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE_KEY] });

/** `lastWins`: a key written twice keeps its last value (js-yaml's JSON.parse mode) instead of refusing the document. */
function loadDocuments(source: string, lastWins = false): unknown[] {
  const values: unknown[] = [];
  yaml.loadAll(source, (doc) => {
    if (doc !== null && doc !== undefined) values.push(doc);
  }, { schema: MANIFEST_SCHEMA, json: lastWins });
  return values;
}

/** A CRD parsed with its schemas cut out, when the cut provably changed nothing else. */
function parseWithoutCrdSchemas(full: string): { source: string; values: unknown[] } | undefined {
  const cut = cutCrdSchemas(full);
  if (!cut) return undefined;
  let values: unknown[];
  try {
    values = loadDocuments(cut.text);
  } catch {
    return undefined;
  }
  if (!isFaithfulCut(values, cut.cuts)) return undefined;
  for (const value of values) clearMarkers(value);
  return { source: cut.text, values };
}

/** Numbers documents in order (from `firstIndex`) and pairs each with the text it came from. */
export function assembleChunks(
  text: string,
  chunks: readonly Chunk[],
  results: readonly ChunkResult[],
  firstIndex = 0,
): { documents: ParsedDocument[]; errors: DocumentError[] } {
  const documents: ParsedDocument[] = [];
  const errors: DocumentError[] = [];
  let index = firstIndex;
  chunks.forEach((chunk, i) => {
    const result = results[i] ?? { values: [] };
    if (result.listItems) {
      for (const item of result.listItems) {
        const read = assembleChunks(text, [item.chunk], [item.result], index);
        for (const document of read.documents) {
          // Each item parsed alone is a one-entry sequence: the object is its entry `[0]`.
          documents.push(document.refused ? document : { ...document, value: (document.value as unknown[])[0], pathPrefix: '[0]' });
        }
        errors.push(...read.errors);
        index += read.documents.length;
      }
      return;
    }
    if (result.error) {
      // The refused document stays visible: a stand-in with its raw text goes to the rules.
      const value = unreadDocumentSchemasOnce(`line ${result.error.line}`, result.error.message, text.slice(chunk.start, chunk.end), result.salvaged);
      documents.push({ value, document: { text, start: chunk.start, end: chunk.end, startLine: chunk.startLine }, index, refused: true });
      errors.push({ index: index++, ...result.error });
      return;
    }
    const document: DocumentText = { text, start: chunk.start, end: chunk.end, startLine: chunk.startLine };
    const notes = result.notes && result.notes.length > 0 ? { readingNotes: result.notes, readingStakes: result.stakes ?? 'high' } : {};
    for (const value of result.values) documents.push({ value, document, index: index++, ...notes });
  });
  return { documents, errors };
}

/**
 * `keep` maps each document's value (an item's, for a List read item by item) as soon as its chunk
 * is parsed, before the next chunk is: what it leaves out dies young instead of surviving the rest
 * of the stream's parse.
 */
export function parseYamlStream(
  text: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  keep?: (value: unknown) => unknown,
): { documents: ParsedDocument[]; errors: DocumentError[] } {
  const all: StreamChunk[] = splitLikeKubectl(text);
  const chunks = all.length > limits.maxDocuments ? all.slice(0, limits.maxDocuments) : all;
  const parse = (chunk: Chunk): ChunkResult => parseChunk(text, chunk, limits);
  const assembled = assembleChunks(text, chunks, chunks.map(keep ? (chunk) => keptValues(parse(chunk), keep) : parse));
  const firstRefused = all[limits.maxDocuments];
  if (firstRefused) {
    const message = `more than ${limits.maxDocuments.toLocaleString('en-US')} documents in one file; the ${(all.length - chunks.length).toLocaleString('en-US')} from this line on are not read`;
    const rest = { text, start: firstRefused.start, end: text.length, startLine: firstRefused.startLine };
    assembled.documents.push({ value: unreadDocument(`line ${firstRefused.startLine}`, message, text.slice(firstRefused.start)), document: rest, index: chunks.length, refused: true });
    assembled.errors.push({
      index: chunks.length,
      line: firstRefused.startLine,
      message,
    });
  }
  return assembled;
}

/** A chunk's result with `keep` applied to each document value; errors and notes as they were. */
function keptValues(result: ChunkResult, keep: (value: unknown) => unknown): ChunkResult {
  if (result.listItems) {
    // An item read alone is a one-entry sequence (readListItems): keep applies to its entry.
    const keepItem = (value: unknown): unknown => (Array.isArray(value) ? value.map(keep) : keep(value));
    return { ...result, listItems: result.listItems.map((item) => ({ chunk: item.chunk, result: { ...item.result, values: item.result.values.map(keepItem) } })) };
  }
  if (result.values.length === 0) return result;
  return { ...result, values: result.values.map(keep) };
}

/** Why `values` expand too far (checkExpansion), when `text` has aliases at all; `ownLength` is the text's own share of the byte cap. */
function expansionProblem(values: readonly unknown[], text: string, limits: ParseLimits, ownLength = text.length): string | undefined {
  if (!hasAliases(text)) return undefined;
  for (const value of values) {
    const problem = checkExpansion(value, limits.maxExpandedNodes, ownLength + limits.maxAliasBytes);
    if (problem) return problem;
  }
  return undefined;
}

/** An alias needs an anchor. */
function hasAliases(source: string): boolean {
  return hasIndicator(source, '&') && hasIndicator(source, '*');
}

/**
 * js-yaml shares aliased nodes instead of copying them, so a billion-laughs document parses
 * cheaply but explodes when walked. Count the expanded size, in nodes and in characters of keys
 * and strings, with memoisation, and refuse it.
 */
function checkExpansion(root: unknown, maxNodes: number, maxBytes: number): string | undefined {
  const memo = new Map<object, Size>();
  const onStack = new Set<object>();
  const sizeOf = (node: unknown): Size => {
    if (typeof node === 'string') return { nodes: 1, bytes: node.length };
    if (node === null || typeof node !== 'object') return { nodes: 1, bytes: 0 };
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (onStack.has(node)) return { nodes: Infinity, bytes: Infinity };
    onStack.add(node);
    const total = { nodes: 1, bytes: 0 };
    const entries: [string, unknown][] = Array.isArray(node) ? node.map((child) => ['', child]) : Object.entries(node);
    for (const [key, child] of entries) {
      const size = sizeOf(child);
      total.nodes += size.nodes;
      total.bytes += size.bytes + key.length;
      if (total.nodes > maxNodes || total.bytes > maxBytes) break;
    }
    onStack.delete(node);
    memo.set(node, total);
    return total;
  };
  const size = sizeOf(root);
  if (size.nodes === Infinity) return 'YAML aliases form a cycle; refusing recursive document';
  if (size.nodes > maxNodes) {
    return `YAML aliases expand to more than ${maxNodes.toLocaleString('en-US')} nodes; refusing a likely alias bomb`;
  }
  if (size.bytes > maxBytes) return `YAML aliases expand to more than ${formatBytes(maxBytes)} of text; refusing a likely alias bomb`;
  return undefined;
}

interface Size {
  readonly nodes: number;
  readonly bytes: number;
}

function toDocumentError(error: unknown, startLine: number): NonNullable<ChunkResult['error']> {
  if (error instanceof yaml.YAMLException) {
    const mark = error.mark as { line?: number; column?: number } | undefined;
    const reason = redactParserMessage(error.reason || error.message.split('\n')[0] || 'invalid YAML');
    if (mark && typeof mark.line === 'number') {
      return { line: startLine + mark.line, column: (mark.column ?? 0) + 1, message: reason };
    }
    return { line: startLine, message: reason };
  }
  return { line: startLine, message: error instanceof Error ? error.message : String(error) };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
