import type { PathSegment } from '../core/path.js';

/**
 * A fast locator for block-style YAML, the style kubectl, kustomize and Helm print. It walks lines
 * by indentation instead of building a syntax tree, which matters because a scan may need the
 * lines of findings spread over hundreds of large documents. It answers only when the path runs
 * through plain block mappings and sequences; anything else (flow collections, anchors, tags,
 * complex keys, tabs) returns FALLBACK and the full parser decides.
 */
export const FALLBACK = Symbol('fallback');

interface Line {
  /** Offset of the first character of the line's content (after indentation and any `- `). */
  readonly content: number;
  /** Column of `content`, counting from 0. */
  readonly indent: number;
}

/**
 * A document's content lines, two numbers each: line i's `content` at `2i`, its `indent` at
 * `2i + 1`. One typed array per document instead of one object per line: a finding is located in
 * nearly every pod of a pod-heavy scan, and those objects (about 100 a pod) were garbage the
 * collector paid for during the rules. Offsets fit: a string is shorter than 2^31 characters.
 */
type Lines = Int32Array;

/**
 * The lines of one block collection: `lines[from, to)` of the document's shared array, with
 * `head` standing in for `lines[from]` when the collection starts after a `- ` on its first line.
 * Scopes are never copied: a path runs through ranges of one array built once per document.
 */
interface Scope {
  readonly lines: Lines;
  readonly text: string;
  /** End of the document: no region reaches past it. */
  readonly end: number;
  readonly from: number;
  readonly to: number;
  readonly head?: Line;
  /** Built on the first key (or item) lookup; every later key (or item) is answered from it. */
  mapping?: ScopeIndex<Map<string, number>>;
  sequence?: ScopeIndex<number[]>;
  /** Steps already taken from this scope, so their child scopes (and indexes) are reused. */
  steps?: Map<PathSegment, Step | undefined | typeof FALLBACK>;
}

/**
 * Where each entry of a collection starts, found in one pass over its lines. Lookups past `stop`
 * (a line this walker does not understand) answer FALLBACK, as a line-by-line search would.
 */
interface ScopeIndex<T> {
  /** Key → line, or item number → line. */
  readonly entries: T;
  readonly stop: boolean;
}

const UNSUPPORTED_START = /^(?:[&*!?|>{[]|-\s*-(?:\s|$))/;

/**
 * Answers paths within one document from an index built once and extended lazily, so the
 * findings of a large document (a `kind: List` of a thousand objects) cost one pass over its
 * lines, not one pass each.
 */
export type BlockLocator = (segments: readonly PathSegment[]) => number | typeof FALLBACK;

/**
 * Continues a path inside a flow collection (`- {…}`, `key: [...]`) that opens at `open` and must
 * close before `regionEnd`: `segments[from…]` remain, `found` is the offset reached so far.
 */
export type FlowDescender = (open: number, regionEnd: number, segments: readonly PathSegment[], from: number, found: number) => number | typeof FALLBACK;

export function blockLocator(text: string, start: number, end: number, descend?: FlowDescender): BlockLocator {
  const lines = contentLines(text, start, end);
  if (lines === FALLBACK) return () => FALLBACK;
  if (lines.length === 0) return () => start;
  const firstContent = lines[0] as number;
  if (lines[1] !== 0 || /^[{[]/.test(text.slice(firstContent, firstContent + 1))) return () => FALLBACK;
  const root: Scope = { lines, text, end, from: 0, to: lines.length / 2 };
  return (segments) => {
    let scope = root;
    let found = firstContent;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as PathSegment;
      const step = stepInto(scope, segment);
      if (step === FALLBACK) return FALLBACK;
      if (step === undefined) return found;
      found = step.offset;
      if (step.opaque && i < segments.length - 1) {
        if (step.flow && descend) return descend(step.flow.open, step.flow.regionEnd, segments, i + 1, found);
        return FALLBACK;
      }
      if (!step.children) return found;
      scope = step.children;
    }
    return found;
  };
}

/** Offset of the deepest existing node on `segments` within `text[start, end)`, or FALLBACK. */
export function locateInBlockYaml(text: string, start: number, end: number, segments: readonly PathSegment[]): number | typeof FALLBACK {
  return blockLocator(text, start, end)(segments);
}

/** Grown as needed and reused: each document's lines are copied out of it at their final size. */
let scratch = new Int32Array(1024);

/** Non-blank, non-comment lines after the `---` marker. Tabs in indentation are left to the parser. */
function contentLines(text: string, start: number, end: number): Lines | typeof FALLBACK {
  let count = 0;
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const ch = text.charCodeAt(i);
    if (ch === 9) return FALLBACK;
    const isMarker = i === lineStart && (text.startsWith('---', i) || text.startsWith('%', i));
    if (i < lineEnd && ch !== 35 && ch !== 13 && !isMarker) {
      if (count + 2 > scratch.length) {
        const grown = new Int32Array(scratch.length * 2);
        grown.set(scratch);
        scratch = grown;
      }
      scratch[count++] = i;
      scratch[count++] = i - lineStart;
    }
    lineStart = lineEnd + 1;
  }
  return scratch.slice(0, count);
}

interface Step {
  readonly offset: number;
  /** The lines of the node's value when it is a block collection; undefined for scalars. */
  readonly children?: Scope;
  /** The value is written in a form this locator does not descend into (flow, anchor, tag). */
  readonly opaque?: boolean;
  /** For a flow collection value: where it opens, and the end of the lines it may span. */
  readonly flow?: { readonly open: number; readonly regionEnd: number };
}

function contentAt(scope: Scope, i: number): number {
  return i === scope.from && scope.head ? scope.head.content : (scope.lines[2 * i] as number);
}

function indentAt(scope: Scope, i: number): number {
  return i === scope.from && scope.head ? scope.head.indent : (scope.lines[2 * i + 1] as number);
}

/** The step for one segment, memoised on the scope so the child scope (and its index) is reused. */
function stepInto(scope: Scope, segment: PathSegment): Step | undefined | typeof FALLBACK {
  scope.steps ??= new Map();
  if (scope.steps.has(segment)) return scope.steps.get(segment);
  let step: Step | undefined | typeof FALLBACK;
  if (typeof segment === 'number') {
    scope.sequence ??= sequenceIndex(scope);
    const at = scope.sequence.entries[segment];
    step = at === undefined ? (scope.sequence.stop ? FALLBACK : undefined) : sequenceItemAt(scope, at);
  } else {
    scope.mapping ??= mappingIndex(scope);
    const at = scope.mapping.entries.get(segment);
    step = at === undefined ? (scope.mapping.stop ? FALLBACK : undefined) : mappingValueAt(scope, at);
  }
  scope.steps.set(segment, step);
  return step;
}

/** The first line of each key at the mapping's indentation, up to the first line it cannot read. */
function mappingIndex(scope: Scope): ScopeIndex<Map<string, number>> {
  const entries = new Map<string, number>();
  if (scope.from >= scope.to) return { entries, stop: false };
  const { text } = scope;
  const indent = indentAt(scope, scope.from);
  for (let i = scope.from; i < scope.to; i++) {
    if (indentAt(scope, i) !== indent) continue;
    const head = lineText(text, contentAt(scope, i));
    // `- item` lines at a mapping's own indentation belong to the previous key's compact sequence.
    if (head.startsWith('- ') || head === '-') continue;
    if (UNSUPPORTED_START.test(head)) return { entries, stop: true };
    const parsed = splitKey(head);
    if (parsed === FALLBACK) return { entries, stop: true };
    if (parsed !== undefined && !entries.has(parsed.key)) entries.set(parsed.key, i);
  }
  return { entries, stop: false };
}

function mappingValueAt(scope: Scope, i: number): Step {
  const content = contentAt(scope, i);
  const indent = indentAt(scope, i);
  const rest = (splitKey(lineText(scope.text, content)) as { rest: string }).rest;
  if (rest !== '' && !rest.startsWith('#')) {
    if (rest.startsWith('{') || rest.startsWith('[')) {
      const open = content + lineText(scope.text, content).lastIndexOf(rest);
      return { offset: content, opaque: true, flow: { open, regionEnd: regionEnd(scope, childrenOf(scope, i, indent).to, i) } };
    }
    return /^[&*!]/.test(rest) ? { offset: content, opaque: true } : { offset: content };
  }
  return { offset: content, children: childrenOf(scope, i, indent) };
}

/** The line of each `- ` item at the sequence's indentation, up to the first line that is no item. */
function sequenceIndex(scope: Scope): ScopeIndex<number[]> {
  const entries: number[] = [];
  if (scope.from >= scope.to) return { entries, stop: false };
  const { text } = scope;
  const indent = indentAt(scope, scope.from);
  for (let i = scope.from; i < scope.to; i++) {
    if (indentAt(scope, i) !== indent) continue;
    const content = contentAt(scope, i);
    if (!text.startsWith('-', content)) return { entries, stop: true };
    const after = text.charCodeAt(content + 1);
    if (!(after === 32 || after === 10 || after === 13 || Number.isNaN(after))) return { entries, stop: true };
    entries.push(i);
  }
  return { entries, stop: false };
}

function sequenceItemAt(scope: Scope, i: number): Step | typeof FALLBACK {
  const { text } = scope;
  const content = contentAt(scope, i);
  const indent = indentAt(scope, i);
  let itemStart = content + 1;
  while (text.charCodeAt(itemStart) === 32) itemStart++;
  const inline = lineText(text, itemStart);
  // `- {}` (an Istio allow-all rule) is common; its offset is known even if its inside is not.
  if (inline.startsWith('{') || inline.startsWith('[')) return { offset: itemStart, opaque: true, flow: { open: itemStart, regionEnd: regionEnd(scope, deeperThan(scope, i, indent), i) } };
  if (UNSUPPORTED_START.test(inline) || inline.startsWith('- ')) return FALLBACK;
  const nested = childrenOf(scope, i, indent);
  if (inline === '' || inline.startsWith('#')) return { offset: nested.from < nested.to ? contentAt(nested, nested.from) : content, children: nested };
  const virtualFirst: Line = { content: itemStart, indent: indent + (itemStart - content) };
  const isMapping = splitKey(inline) !== undefined;
  // The item's mapping is its first line (after `- `) followed by the nested lines.
  return isMapping ? { offset: itemStart, children: { text, end: scope.end, lines: scope.lines, from: i, to: nested.to, head: virtualFirst } } : { offset: itemStart };
}

/** The first line after `at` that is not indented deeper than `indent` (a flow item's continuation lines end there). */
function deeperThan(scope: Scope, at: number, indent: number): number {
  let to = at + 1;
  while (to < scope.to && indentAt(scope, to) > indent) to++;
  return to;
}

/** End of the text of lines `[at, to)`: the line break after the last of them, or the document end. */
function regionEnd(scope: Scope, to: number, at: number): number {
  const lineEnd = scope.text.indexOf('\n', contentAt(scope, Math.max(at, to - 1)));
  return lineEnd === -1 || lineEnd > scope.end ? scope.end : lineEnd;
}

/**
 * Lines that belong to the value of the entry on line `at`: deeper-indented lines, plus, for a
 * sequence written at the key's own indentation (`containers:\n- name: x`), its `- ` items.
 */
function childrenOf(scope: Scope, at: number, indent: number): Scope {
  const { text } = scope;
  const compactSequence = at + 1 < scope.to && indentAt(scope, at + 1) === indent && text.startsWith('-', contentAt(scope, at + 1)) && !isKeyLine(scope, at + 1);
  let to = at + 1;
  while (to < scope.to) {
    const lineIndent = indentAt(scope, to);
    if (lineIndent > indent || (compactSequence && lineIndent === indent && text.startsWith('-', contentAt(scope, to)))) to++;
    else break;
  }
  return { text, end: scope.end, lines: scope.lines, from: at + 1, to };
}

function isKeyLine(scope: Scope, at: number): boolean {
  if (at >= scope.to) return false;
  const content = contentAt(scope, at);
  return !scope.text.startsWith('- ', content) && scope.text.charCodeAt(content) !== 45;
}

/** Splits `key: rest` with plain, single- or double-quoted keys; undefined when the line is no entry. */
function splitKey(head: string): { key: string; rest: string } | undefined | typeof FALLBACK {
  const quote = head[0];
  if (quote === '"' || quote === "'") {
    const close = findClosingQuote(head, quote);
    if (close === -1 || head[close + 1] !== ':') return FALLBACK;
    const raw = head.slice(0, close + 1);
    let key: string;
    try {
      key = quote === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1).replace(/''/g, "'");
    } catch {
      return FALLBACK;
    }
    return { key, rest: head.slice(close + 2).trim() };
  }
  const colon = findEntryColon(head);
  if (colon === -1) return undefined;
  return { key: head.slice(0, colon).trimEnd(), rest: head.slice(colon + 1).trim() };
}

function findClosingQuote(head: string, quote: string): number {
  for (let i = 1; i < head.length; i++) {
    if (quote === '"' && head[i] === '\\') i++;
    else if (head[i] === quote) {
      if (quote === "'" && head[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** The `:` that ends a plain key: followed by a space or the end of the line. */
function findEntryColon(head: string): number {
  for (let i = 0; i < head.length; i++) {
    if (head[i] === ' ' && head[i + 1] === '#') return -1;
    if (head[i] === ':' && (i + 1 === head.length || head[i + 1] === ' ' || head[i + 1] === '\r')) return i;
  }
  return -1;
}

function lineText(text: string, from: number): string {
  const end = text.indexOf('\n', from);
  const line = text.slice(from, end === -1 ? undefined : end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
