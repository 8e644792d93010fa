/**
 * The structural lines of a block-style YAML document: the lines where a mapping entry or a
 * sequence item starts, with their indentation. Scalar continuation lines, block scalar text and
 * quoted scalars or flow collections that run over several lines belong to the line that opened
 * them and are never reported.
 *
 * It mirrors how js-yaml tokenises, erring one way only: when unsure whether something is still
 * open, it treats it as open (or gives up), never as closed. Tabs in indentation, tags, anchors,
 * aliases, complex keys and multi-line keys make it give up; the caller then parses the text whole.
 * Having walked a document, it has seen every place an anchor could start, so a successful walk
 * means the document has none.
 */

export interface StructuralLine {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset of its first non-space character. */
  readonly content: number;
  readonly indent: number;
  /** True when the entry's value is empty on this line (`key:` or `-`), so deeper lines are its children. */
  readonly opensBlock: boolean;
}

type Shape =
  /** `key:` or `-` with nothing after it: deeper lines belong to the entry whose column is `owner`. */
  | { readonly kind: 'children'; readonly owner: number }
  /**
   * A plain or block scalar: deeper lines than `owner` are its text. `bare` when the line is only
   * a value (no key, no `-`): it continues the entry above, whose column then decides.
   */
  | { readonly kind: 'text'; readonly owner: number; readonly bare?: boolean }
  /** Complete, possibly after a construct that ended at `end` on a later line. */
  | { readonly kind: 'closed'; readonly end: number };

/**
 * Calls `visit` for every structural line. Returns false when the document uses something this
 * reader does not model; lines already visited may then be ignored.
 */
export function walkStructure(source: string, visit: (line: StructuralLine) => void): boolean {
  let lineStart = 0;
  let textDeeperThan = -1;
  // Column of the last entry that opened a block, for values that start on the next line.
  let openerColumn = -1;
  while (lineStart < source.length) {
    const lineEnd = endOfLine(source, lineStart);
    let content = lineStart;
    while (source.charCodeAt(content) === 32) content++;
    const ch = source.charCodeAt(content);
    const indent = content - lineStart;
    if (content >= lineEnd || ch === 35 || ch === 13) {
      lineStart = lineEnd + 1;
      continue;
    }
    if (ch === 9) return false;
    if (textDeeperThan !== -1 && indent > textDeeperThan) {
      lineStart = lineEnd + 1;
      continue;
    }
    textDeeperThan = -1;
    const shape = readEntry(source, content, lineEnd, lineStart);
    if (shape === undefined) return false;
    visit({ start: lineStart, content, indent, opensBlock: shape.kind === 'children' });
    if (shape.kind === 'children') openerColumn = shape.owner;
    // `key:` then `  foo` then `    "bar`: js-yaml continues the scalar on any line deeper than the key.
    if (shape.kind === 'text') textDeeperThan = shape.bare && openerColumn !== -1 && openerColumn < shape.owner ? openerColumn : shape.owner;
    lineStart = (shape.kind === 'closed' ? endOfLine(source, shape.end) : lineEnd) + 1;
  }
  return true;
}

function endOfLine(source: string, from: number): number {
  const newline = source.indexOf('\n', from);
  return newline === -1 ? source.length : newline;
}

/** Reads `- `* then an optional key, then the value's start. */
function readEntry(source: string, content: number, lineEnd: number, lineStart: number): Shape | undefined {
  let i = content;
  let owner = content - lineStart;
  while (source.charCodeAt(i) === 45 && (i + 1 >= lineEnd || isBlank(source.charCodeAt(i + 1)))) {
    owner = i - lineStart;
    i = skipBlanks(source, i + 1, lineEnd);
  }
  const bare = i === content;
  if (i >= lineEnd || source.charCodeAt(i) === 35) return { kind: 'children', owner };
  const ch = source[i] as string;
  if (ch === '"' || ch === "'") {
    const close = closingQuote(source, i);
    if (close === -1) return undefined;
    const after = skipBlanks(source, close + 1, source.length);
    if (atLineEnd(source, after)) return { kind: 'closed', end: close };
    // A quoted key: only on one line.
    if (source[after] !== ':' || close > lineEnd) return undefined;
    return readValue(source, skipBlanks(source, after + 1, lineEnd), lineEnd, i - lineStart);
  }
  // A flow collection as a whole entry (`- [a, b]`) is fine; as a key it is not modelled.
  if (ch === '[' || ch === '{') return flowEntry(source, i);
  if (UNMODELLED.has(ch)) return undefined;
  if (ch === '|' || ch === '>') return { kind: 'text', owner, bare };
  const separator = keySeparator(source, i, lineEnd);
  if (separator === -1) return { kind: 'text', owner, bare };
  return readValue(source, skipBlanks(source, separator + 1, lineEnd), lineEnd, i - lineStart);
}

function readValue(source: string, v: number, lineEnd: number, keyColumn: number): Shape | undefined {
  if (v >= lineEnd || source.charCodeAt(v) === 35 || source.charCodeAt(v) === 13) return { kind: 'children', owner: keyColumn };
  const ch = source[v] as string;
  if (ch === '"' || ch === "'") {
    const close = closingQuote(source, v);
    if (close === -1 || !atLineEnd(source, skipBlanks(source, close + 1, source.length))) return undefined;
    return { kind: 'closed', end: close };
  }
  if (ch === '[' || ch === '{') return flowEntry(source, v);
  if (ch === '|' || ch === '>') return { kind: 'text', owner: keyColumn };
  if (UNMODELLED.has(ch)) return undefined;
  return { kind: 'text', owner: keyColumn };
}

function flowEntry(source: string, open: number): Shape | undefined {
  const close = closingBracket(source, open);
  if (close === -1 || !atLineEnd(source, skipBlanks(source, close + 1, source.length))) return undefined;
  return { kind: 'closed', end: close };
}

/** Tags, anchors, aliases, complex keys, directives and reserved indicators. */
const UNMODELLED = new Set(['!', '&', '*', '?', '%', '@', '`']);

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10 || Number.isNaN(code);
}

function skipBlanks(source: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && (source.charCodeAt(i) === 32 || source.charCodeAt(i) === 9)) i++;
  return i;
}

/** Nothing but blanks or a comment before the line ends. */
function atLineEnd(source: string, at: number): boolean {
  const code = source.charCodeAt(at);
  return at >= source.length || code === 10 || code === 13 || code === 35;
}

/** The `:` ending a plain key: followed by a blank or the line's end; a ` #` starts a comment. */
function keySeparator(source: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === 35 && (source.charCodeAt(i - 1) === 32 || source.charCodeAt(i - 1) === 9)) return -1;
    if (code === 58 && (i + 1 >= end || isBlank(source.charCodeAt(i + 1)))) return i;
  }
  return -1;
}

/** Whether position `at` inside a flow collection is where a node starts (after `[{,:` and blanks). */
function startsFlowNode(source: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && isBlank(source.charCodeAt(i))) i--;
  const code = source.charCodeAt(i);
  return code === 91 || code === 123 || code === 44 || code === 58;
}

/** Where a quoted scalar opened at `open` closes, across lines; -1 when it never does. */
function closingQuote(source: string, open: number): number {
  const quote = source.charCodeAt(open);
  for (let i = open + 1; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (quote === 34 && code === 92) i++;
    else if (code === quote) {
      if (quote === 39 && source.charCodeAt(i + 1) === 39) i++;
      else return i;
    }
  }
  return -1;
}

/**
 * Where a flow collection opened at `open` closes, across lines. A quote starts a quoted scalar
 * only at a node's start; one anywhere else (`[a'b]`) is plain text to js-yaml, and guessing
 * either way could hide lines, so the reader gives up. It also gives up on comments, anchors,
 * aliases and tags inside the collection.
 */
function closingBracket(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 34 || code === 39) {
      if (!startsFlowNode(source, i)) return -1;
      const close = closingQuote(source, i);
      if (close === -1) return -1;
      i = close;
    } else if (code === 35 || ((code === 38 || code === 42 || code === 33) && startsFlowNode(source, i))) {
      return -1;
    } else if (code === 91 || code === 123) depth++;
    else if (code === 93 || code === 125) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}
