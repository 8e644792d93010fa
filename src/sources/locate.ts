import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { RecentCache } from '../core/recent-cache.js';
import { parsePath, type PathSegment } from '../core/path.js';
import { blockLocator, FALLBACK, type BlockLocator, type FlowDescender } from './block-locate.js';
import { indexFlowCollection, locateInFlow, type FlowCollection } from './flow-locate.js';
import { jsonLocator } from './json-locate.js';
import { fileOriginOf, type DocumentText, type Origin, type SourceLocation } from '../core/types.js';

interface ParsedSource {
  readonly root: Node | null;
  readonly lines: LineCounter;
}

/**
 * Everything a document's findings are located with, built on its first finding: a scan may
 * locate thousands of findings in one `kind: List`, and each used to rescan the whole document.
 * Parsing with positions is several times slower than parsing without, so the `yaml` parse is made
 * only when a finding needs it.
 */
interface DocumentIndex {
  readonly fast: BlockLocator;
  /** For a document written as one flow collection that is not JSON (`{a: b}`): the path inside it. */
  readonly flowRoot?: (segments: readonly PathSegment[]) => number | typeof FALLBACK;
  parsed?: ParsedSource;
  /** Offsets of the document's line breaks, for line and column by binary search; from the second location on. */
  breaks?: number[];
  /** Whether a location was already asked for: the first one counts line breaks up to its offset instead. */
  located?: boolean;
}

/**
 * Small documents (one object each, the common case) keep their index only while they are among
 * the last few located: the engine finishes one object before the next, so a document's findings
 * arrive together. Keeping an index for every document of a scan held about 10 KB per document
 * for the life of the scan (200 MB on 20,000 pods), all of it copied by the young-generation
 * collector on its way to the old generation. Rebuilding a small document's index for a late
 * finding (a whole-inventory rule's) costs one pass over at most SMALL_DOCUMENT characters.
 * Large documents (a `kind: List` of many objects) are few and carry many findings: theirs are
 * kept for as long as the document is.
 */
const SMALL_DOCUMENT = 64 * 1024;
const recentIndexes = new RecentCache<DocumentText, DocumentIndex>(4);
const largeIndexes = new WeakMap<DocumentText, DocumentIndex>();

function indexOf(document: DocumentText): DocumentIndex {
  const indexes = document.end - document.start > SMALL_DOCUMENT ? largeIndexes : recentIndexes;
  let index = indexes.get(document);
  if (!index) {
    const { text, start, end } = document;
    let first = start;
    while (first < end && /\s/.test(text[first] as string)) first++;
    const json = text[first] === '{' || text[first] === '[';
    const flows = flowIndexes(text);
    index = json
      ? { fast: jsonLocator(text, start, end), flowRoot: (segments) => flows(first, end, segments, 0, first) }
      : { fast: blockLocator(text, start, end, flows) };
    indexes.set(document, index);
  }
  return index;
}

/**
 * Flow collections of one document, each indexed once (a `kind: List` of `- {…}` items has one per
 * item, and each item usually carries several findings).
 */
function flowIndexes(text: string): FlowDescender {
  const indexes = new Map<number, FlowCollection | typeof FALLBACK>();
  return (open, regionEnd, segments, from, found) => {
    let collection = indexes.get(open);
    if (collection === undefined) {
      const indexed = indexFlowCollection(text, open, regionEnd);
      collection = indexed === FALLBACK ? FALLBACK : indexed.collection;
      indexes.set(open, collection);
    }
    return collection === FALLBACK ? FALLBACK : locateInFlow(collection, segments, from, found);
  };
}

function parsedSource(index: DocumentIndex, document: DocumentText): ParsedSource {
  if (!index.parsed) {
    const lines = new LineCounter();
    const doc = parseDocument(document.text.slice(document.start, document.end), {
      lineCounter: lines,
      keepSourceTokens: false,
      uniqueKeys: false,
    });
    index.parsed = { root: doc.contents as Node | null, lines };
  }
  return index.parsed;
}

/**
 * Finds the line and column of `path` inside the object's document. When the path names a field
 * that does not exist (a missing setting), the nearest existing ancestor is reported.
 */
export function locate(anyOrigin: Origin, path: string | undefined, strategy: 'auto' | 'parser' = 'auto'): SourceLocation | undefined {
  const origin = fileOriginOf(anyOrigin);
  if (!origin) return undefined;
  const document = origin.document;
  if (!document) return origin.line === undefined ? undefined : { file: origin.file, line: origin.line, column: 1 };
  const segments = [...parsePath(origin.pathPrefix ?? ''), ...parsePath(path ?? '')];
  const index = indexOf(document);
  let fast = strategy === 'auto' ? index.fast(segments) : FALLBACK;
  // Not JSON, but flow YAML: read the same way as flow items of a block document.
  if (fast === FALLBACK && strategy === 'auto' && index.flowRoot) fast = index.flowRoot(segments);
  if (fast !== FALLBACK) {
    const { line, column } = lineColumnWithin(index, document, fast);
    return { file: origin.file, line, column };
  }
  // A refused document's text is known not to parse: the parser's error recovery would cost
  // seconds per MB to place a finding whose path (`salvaged[0]…`) is not in the text anyway.
  if (origin.unread) return { file: origin.file, line: document.startLine, column: 1 };
  const { root, lines } = parsedSource(index, document);
  let offset = root?.range?.[0];
  let node: unknown = root;
  for (const segment of segments) {
    const next = step(node, segment);
    if (!next) break;
    offset = next.offset ?? offset;
    node = next.node;
  }
  if (offset === undefined) return { file: origin.file, line: document.startLine, column: 1 };
  const position = lines.linePos(offset);
  return { file: origin.file, line: document.startLine + position.line - 1, column: position.col };
}

/** Each parsed mapping's first pair per key, built on first use: a step is a lookup, not a scan of the mapping. */
const pairIndexes = new WeakMap<object, Map<string, { node: unknown; offset: number | undefined }>>();

function pairIndex(node: YAMLMap): Map<string, { node: unknown; offset: number | undefined }> {
  let index = pairIndexes.get(node);
  if (!index) {
    index = new Map();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const name = String(isScalar(key) ? key.value : key);
      if (index.has(name)) continue;
      const keyOffset = isScalar(key) ? key.range?.[0] : undefined;
      index.set(name, { node: pair.value, offset: keyOffset ?? (pair.value as Node | null)?.range?.[0] });
    }
    pairIndexes.set(node, index);
  }
  return index;
}

function step(node: unknown, segment: string | number): { node: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) return pairIndex(node).get(String(segment));
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    if (!item) return undefined;
    return { node: item, offset: item.range?.[0] };
  }
  return undefined;
}

function lineColumnWithin(index: DocumentIndex, document: DocumentText, offset: number): { line: number; column: number } {
  // Most documents get one finding (a pod-heavy scan: one per pod): counting the breaks before it
  // reads part of the document once and keeps nothing. A second finding builds the table.
  if (!index.located && !index.breaks) {
    index.located = true;
    return countedLineColumn(document, offset);
  }
  const breaks = (index.breaks ??= lineBreaks(document));
  // The number of line breaks before `offset`.
  let low = 0;
  let high = breaks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((breaks[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  const lineStart = low === 0 ? document.start : (breaks[low - 1] as number) + 1;
  return { line: document.startLine + low, column: offset - lineStart + 1 };
}

/** What the binary search over `lineBreaks` gives, by counting the breaks before `offset`. */
function countedLineColumn(document: DocumentText, offset: number): { line: number; column: number } {
  const { text, start, end } = document;
  let line = document.startLine;
  let lineStart = start;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function lineBreaks(document: DocumentText): number[] {
  const breaks: number[] = [];
  for (let i = document.text.indexOf('\n', document.start); i !== -1 && i < document.end; i = document.text.indexOf('\n', i + 1)) breaks.push(i);
  return breaks;
}
