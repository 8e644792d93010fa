import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parsePath } from '../core/path.js';
import { FALLBACK, locateInBlockYaml } from './block-locate.js';
import { fileOriginOf, type DocumentText, type Origin, type SourceLocation } from '../core/types.js';

interface ParsedSource {
  readonly root: Node | null;
  readonly lines: LineCounter;
}

/**
 * Parsing with positions is several times slower than parsing without, so documents are parsed a
 * second time only when a finding needs a line, and at most once each.
 */
const cache = new WeakMap<DocumentText, ParsedSource>();

function parsedSource(document: DocumentText): ParsedSource {
  let parsed = cache.get(document);
  if (!parsed) {
    const lines = new LineCounter();
    const doc = parseDocument(document.text.slice(document.start, document.end), {
      lineCounter: lines,
      keepSourceTokens: false,
      uniqueKeys: false,
    });
    parsed = { root: doc.contents as Node | null, lines };
    cache.set(document, parsed);
  }
  return parsed;
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
  const fast = strategy === 'auto' ? locateInBlockYaml(document.text, document.start, document.end, segments) : FALLBACK;
  if (fast !== FALLBACK) {
    const { line, column } = lineColumnWithin(document, fast);
    return { file: origin.file, line, column };
  }
  const { root, lines } = parsedSource(document);
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

function step(node: unknown, segment: string | number): { node: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const keyValue = isScalar(key) ? key.value : key;
      if (String(keyValue) === String(segment)) {
        const keyOffset = isScalar(key) ? key.range?.[0] : undefined;
        return { node: pair.value, offset: keyOffset ?? (pair.value as Node | null)?.range?.[0] };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    if (!item) return undefined;
    return { node: item, offset: item.range?.[0] };
  }
  return undefined;
}

function lineColumnWithin(document: DocumentText, offset: number): { line: number; column: number } {
  let line = document.startLine;
  let lineStart = document.start;
  for (let i = document.text.indexOf('\n', document.start); i !== -1 && i < offset; i = document.text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
