import type { PathSegment } from '../core/path.js';
import { FALLBACK } from './block-locate.js';

/**
 * Indexes one YAML flow collection (`{a: 1, b: [x, "y"]}`) in a single pass, so the findings in a
 * `kind: List` of flow-style items are located without the `yaml` parser, which cost half a second
 * per megabyte. Only the plain forms are read: anything the full parser resolves in ways this
 * reader would have to imitate (anchors, aliases, tags, comments, explicit `?` keys, collections as
 * keys, single-pair maps in sequences, keys that resolve to numbers, booleans or null, multi-line
 * keys) answers FALLBACK, and the caller parses instead. The walk keeps its own stack: a collection
 * nested a million levels deep costs memory, not the call stack.
 */
export interface FlowMember {
  /** Where the parser-based locator points: the key of a pair, the start of an item. */
  readonly offset: number;
  /** The member's value when it is a flow collection; undefined for scalars and empty values. */
  value?: FlowCollection;
}

export interface FlowCollection {
  readonly keys?: Map<string, FlowMember>;
  readonly items?: FlowMember[];
}

/** Plain scalars the core schema reads as null, booleans or numbers: their key is not the text. */
const NON_STRING_PLAIN = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

interface Frame {
  readonly collection: FlowCollection;
  readonly close: number;
}

const isSpace = (ch: number): boolean => ch === 32 || ch === 9 || ch === 10 || ch === 13;
/** `,[]{}`: the characters that end a plain scalar in flow context. */
const isFlowIndicator = (ch: number): boolean => ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125;

/**
 * The collection opening at `open` (a `{` or `[`), which must close before `end`; FALLBACK when it
 * does not, or when it holds a form this reader leaves to the parser.
 */
export function indexFlowCollection(text: string, open: number, end: number): { collection: FlowCollection; end: number } | typeof FALLBACK {
  const stack: Frame[] = [];
  const root = openCollection(text, open, stack);
  if (root === FALLBACK) return FALLBACK;
  let i = open + 1;
  // Each turn reads one member of the innermost open collection, or closes it.
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const at = skipSpace(text, i, end);
    if (at === FALLBACK || at >= end) return FALLBACK;
    i = at;
    let ch = text.charCodeAt(i);
    if (ch === frame.close) {
      stack.pop();
      i++;
      if (stack.length > 0) {
        const next = afterMember(text, i, end, stack[stack.length - 1] as Frame);
        if (next === FALLBACK) return FALLBACK;
        i = next;
      }
      continue;
    }
    let member: FlowMember;
    let valueAt: number;
    if (frame.collection.keys) {
      const key = readKey(text, i, end);
      if (key === FALLBACK) return FALLBACK;
      member = { offset: i };
      if (!frame.collection.keys.has(key.key)) frame.collection.keys.set(key.key, member);
      if (!key.colon) {
        // `{a, b}`: keys with null values.
        const next = afterMember(text, key.end, end, frame);
        if (next === FALLBACK) return FALLBACK;
        i = next;
        continue;
      }
      const value = skipSpace(text, key.end, end);
      if (value === FALLBACK || value >= end) return FALLBACK;
      ch = text.charCodeAt(value);
      if (ch === 44 || ch === frame.close) {
        // `{a: , b: 1}` or `{a:}`: a null value.
        const next = afterMember(text, value, end, frame);
        if (next === FALLBACK) return FALLBACK;
        i = next;
        continue;
      }
      valueAt = value;
    } else {
      if (ch === 44) return FALLBACK;
      member = { offset: i };
      (frame.collection.items as FlowMember[]).push(member);
      valueAt = i;
    }
    ch = text.charCodeAt(valueAt);
    if (ch === 123 || ch === 91) {
      const nested = openCollection(text, valueAt, stack);
      if (nested === FALLBACK) return FALLBACK;
      member.value = nested;
      i = valueAt + 1;
      continue;
    }
    const scalarEnd = skipScalar(text, valueAt, end);
    if (scalarEnd === FALLBACK) return FALLBACK;
    const next = afterMember(text, scalarEnd, end, frame);
    if (next === FALLBACK) return FALLBACK;
    i = next;
  }
  return { collection: root, end: i };
}

/** Answers `segments` inside an indexed collection: the deepest existing member's offset. */
export function locateInFlow(collection: FlowCollection, segments: readonly PathSegment[], from: number, found: number): number {
  let node: FlowCollection | undefined = collection;
  let offset = found;
  for (let s = from; s < segments.length && node; s++) {
    const segment = segments[s] as PathSegment;
    const member: FlowMember | undefined = node.keys ? node.keys.get(String(segment)) : typeof segment === 'number' ? node.items?.[segment] : undefined;
    if (!member) break;
    offset = member.offset;
    node = member.value;
  }
  return offset;
}

function openCollection(text: string, at: number, stack: Frame[]): FlowCollection | typeof FALLBACK {
  const ch = text.charCodeAt(at);
  if (ch === 123) {
    const collection: FlowCollection = { keys: new Map() };
    stack.push({ collection, close: 125 });
    return collection;
  }
  if (ch === 91) {
    const collection: FlowCollection = { items: [] };
    stack.push({ collection, close: 93 });
    return collection;
  }
  return FALLBACK;
}

/** After a member: a `,` (consumed) or the collection's closer (left for the loop). */
function afterMember(text: string, at: number, end: number, frame: Frame): number | typeof FALLBACK {
  const i = skipSpace(text, at, end);
  if (i === FALLBACK || i >= end) return FALLBACK;
  const ch = text.charCodeAt(i);
  if (ch === 44) return i + 1;
  if (ch === frame.close) return i;
  // A `:` after a sequence item makes a single-pair map; anything else is not flow YAML this reader knows.
  return FALLBACK;
}

/** Whitespace between tokens; a comment is left to the parser. */
function skipSpace(text: string, at: number, end: number): number | typeof FALLBACK {
  let i = at;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  if (i < end && text.charCodeAt(i) === 35) return FALLBACK;
  return i;
}

function readKey(text: string, at: number, end: number): { key: string; end: number; colon: boolean } | typeof FALLBACK {
  const ch = text.charCodeAt(at);
  if (ch === 34 || ch === 39) {
    const close = quotedEnd(text, at, end);
    if (close === FALLBACK) return FALLBACK;
    const raw = text.slice(at, close);
    if (raw.includes('\n') || raw.includes('\r')) return FALLBACK;
    let key: string;
    if (ch === 34) {
      try {
        key = JSON.parse(raw) as string;
      } catch {
        return FALLBACK;
      }
    } else {
      key = raw.slice(1, -1).replace(/''/g, "'");
    }
    // A quoted key may be followed by `:` at once (`{"a":1}`).
    const after = skipSpace(text, close, end);
    if (after === FALLBACK || after >= end) return FALLBACK;
    if (text.charCodeAt(after) === 58) return { key, end: after + 1, colon: true };
    return { key, end: close, colon: false };
  }
  if (!plainMayStart(text, at, end)) return FALLBACK;
  let i = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return FALLBACK;
    if (isFlowIndicator(c)) break;
    if (c === 58 && (i + 1 >= end || isSpace(text.charCodeAt(i + 1)) || isFlowIndicator(text.charCodeAt(i + 1)))) break;
    if (c === 35 && isSpace(text.charCodeAt(i - 1))) return FALLBACK;
  }
  if (i >= end) return FALLBACK;
  const key = text.slice(at, i).trimEnd();
  if (key === '' || NON_STRING_PLAIN.test(key)) return FALLBACK;
  const c = text.charCodeAt(i);
  if (c === 58) return { key, end: i + 1, colon: true };
  if (c === 44 || c === 125) return { key, end: i, colon: false };
  return FALLBACK;
}

/** End of the scalar value at `at`: a quoted scalar (over lines too) or a plain one. */
function skipScalar(text: string, at: number, end: number): number | typeof FALLBACK {
  const ch = text.charCodeAt(at);
  if (ch === 34 || ch === 39) return quotedEnd(text, at, end);
  if (!plainMayStart(text, at, end)) return FALLBACK;
  let i = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isFlowIndicator(c)) return i;
    // `a: b: c` inside a value is a pair this reader does not take apart.
    if (c === 58 && (i + 1 >= end || isSpace(text.charCodeAt(i + 1)) || isFlowIndicator(text.charCodeAt(i + 1)))) return FALLBACK;
    if (c === 35 && isSpace(text.charCodeAt(i - 1))) return FALLBACK;
  }
  return FALLBACK;
}

/** Index after the closing quote; FALLBACK when the scalar does not close before `end`. */
function quotedEnd(text: string, at: number, end: number): number | typeof FALLBACK {
  const quote = text.charCodeAt(at);
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92) i++;
    else if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
      else return i + 1;
    }
  }
  return FALLBACK;
}

/** Plain scalars may not start with an indicator; `-` only when a safe character follows (`?` and `:` are left to the parser). */
function plainMayStart(text: string, at: number, end: number): boolean {
  const ch = text[at];
  if (ch === undefined || at >= end) return false;
  if ('&*!|>%@`#,[]{}'.includes(ch)) return false;
  if (ch === '?' || ch === ':') return false;
  if (ch === '-') {
    const next = text.charCodeAt(at + 1);
    return at + 1 < end && !isSpace(next) && !isFlowIndicator(next);
  }
  return true;
}
