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

interface Scope {
  readonly lines: readonly Line[];
  readonly text: string;
}

const UNSUPPORTED_START = /^(?:[&*!?|>{[]|-\s*-(?:\s|$))/;

/** Offset of the deepest existing node on `segments` within `text[start, end)`, or FALLBACK. */
export function locateInBlockYaml(text: string, start: number, end: number, segments: readonly PathSegment[]): number | typeof FALLBACK {
  const lines = contentLines(text, start, end);
  if (lines === FALLBACK) return FALLBACK;
  const first = lines[0];
  if (!first) return start;
  if (first.indent !== 0 || /^[{[]/.test(text.slice(first.content, first.content + 1))) return FALLBACK;
  let scope: Scope = { lines, text };
  let found = first.content;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    const step = typeof segment === 'number' ? sequenceItem(scope, segment) : mappingValue(scope, segment);
    if (step === FALLBACK) return FALLBACK;
    if (step === undefined) return found;
    found = step.offset;
    if (step.opaque && i < segments.length - 1) return FALLBACK;
    if (!step.children) return found;
    scope = step.children;
  }
  return found;
}

/** Non-blank, non-comment lines after the `---` marker. Tabs in indentation are left to the parser. */
function contentLines(text: string, start: number, end: number): Line[] | typeof FALLBACK {
  const lines: Line[] = [];
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const ch = text.charCodeAt(i);
    if (ch === 9) return FALLBACK;
    const isMarker = i === lineStart && (text.startsWith('---', i) || text.startsWith('%', i));
    if (i < lineEnd && ch !== 35 && ch !== 13 && !isMarker) lines.push({ content: i, indent: i - lineStart });
    lineStart = lineEnd + 1;
  }
  return lines;
}

interface Step {
  readonly offset: number;
  /** The lines of the node's value when it is a block collection; undefined for scalars. */
  readonly children?: Scope;
  /** The value is written in a form this locator does not descend into (flow, anchor, tag). */
  readonly opaque?: boolean;
}

function mappingValue(scope: Scope, key: string): Step | undefined | typeof FALLBACK {
  const { lines, text } = scope;
  const first = lines[0];
  if (!first) return undefined;
  const indent = first.indent;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.indent !== indent) continue;
    const head = lineText(text, line.content);
    // `- item` lines at a mapping's own indentation belong to the previous key's compact sequence.
    if (head.startsWith('- ') || head === '-') continue;
    if (UNSUPPORTED_START.test(head)) return FALLBACK;
    const parsed = splitKey(head);
    if (parsed === FALLBACK) return FALLBACK;
    if (parsed === undefined || parsed.key !== key) continue;
    const rest = parsed.rest;
    if (rest !== '' && !rest.startsWith('#')) {
      return /^[&*!{[]/.test(rest) ? { offset: line.content, opaque: true } : { offset: line.content };
    }
    return { offset: line.content, children: childrenOf(scope, i, indent) };
  }
  return undefined;
}

function sequenceItem(scope: Scope, index: number): Step | undefined | typeof FALLBACK {
  const { lines, text } = scope;
  const first = lines[0];
  if (!first) return undefined;
  const indent = first.indent;
  let seen = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.indent !== indent) continue;
    if (!text.startsWith('-', line.content)) return FALLBACK;
    const after = text.charCodeAt(line.content + 1);
    if (!(after === 32 || after === 10 || after === 13 || Number.isNaN(after))) return FALLBACK;
    seen++;
    if (seen !== index) continue;
    let itemStart = line.content + 1;
    while (text.charCodeAt(itemStart) === 32) itemStart++;
    const inline = lineText(text, itemStart);
    // `- {}` (an Istio allow-all rule) is common; its offset is known even if its inside is not.
    if (inline.startsWith('{') || inline.startsWith('[')) return { offset: itemStart, opaque: true };
    if (UNSUPPORTED_START.test(inline) || inline.startsWith('- ')) return FALLBACK;
    const nested = childrenOf(scope, i, indent);
    if (inline === '' || inline.startsWith('#')) return { offset: nested.lines[0]?.content ?? line.content, children: nested };
    const virtualFirst: Line = { content: itemStart, indent: line.indent + (itemStart - line.content) };
    const isMapping = splitKey(inline) !== undefined;
    return isMapping ? { offset: itemStart, children: { text, lines: [virtualFirst, ...nested.lines] } } : { offset: itemStart };
  }
  return undefined;
}

/**
 * Lines that belong to the value of the entry on line `at`: deeper-indented lines, plus, for a
 * sequence written at the key's own indentation (`containers:\n- name: x`), its `- ` items.
 */
function childrenOf(scope: Scope, at: number, indent: number): Scope {
  const { lines, text } = scope;
  const next = lines[at + 1];
  const compactSequence = next !== undefined && next.indent === indent && text.startsWith('-', next.content) && !isKeyLine(scope, at + 1);
  const children: Line[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.indent > indent || (compactSequence && line.indent === indent && text.startsWith('-', line.content))) children.push(line);
    else break;
  }
  return { text, lines: children };
}

function isKeyLine(scope: Scope, at: number): boolean {
  const line = scope.lines[at];
  if (!line) return false;
  return !scope.text.startsWith('- ', line.content) && scope.text.charCodeAt(line.content) !== 45;
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
