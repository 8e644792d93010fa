import type { PathSegment } from '../core/path.js';
import { FALLBACK } from './block-locate.js';

/**
 * A locator for documents written as JSON. The `yaml` parser that answers everything else needs
 * seconds and a gigabyte for a 2 MB JSON document nested thousands of levels deep; this walks
 * only the containers on the finding's path, skipping every other value with a flat scan. Each
 * container's members are indexed on first use, so many findings in one document share the work.
 * Anything that is not strict JSON (comments, unquoted keys: YAML flow style) answers FALLBACK.
 */
export type JsonLocator = (segments: readonly PathSegment[]) => number | typeof FALLBACK;

interface Member {
  /** Where the parser-based locator points: the key of a member, the start of an item. */
  readonly offset: number;
  readonly value: number;
}

export function jsonLocator(text: string, start: number, end: number): JsonLocator {
  const root = skipSpace(text, start, end);
  const indexes = new Map<number, Map<string, Member> | Member[] | typeof FALLBACK>();
  const indexOf = (at: number): Map<string, Member> | Member[] | typeof FALLBACK => {
    let index = indexes.get(at);
    if (index === undefined) {
      index = containerIndex(text, at, end);
      indexes.set(at, index);
    }
    return index;
  };
  return (segments) => {
    let found = root;
    let node = root;
    for (const segment of segments) {
      const ch = text[node];
      if (ch !== '{' && ch !== '[') return found;
      const index = indexOf(node);
      if (index === FALLBACK) return FALLBACK;
      const member = Array.isArray(index) ? (typeof segment === 'number' ? index[segment] : undefined) : index.get(String(segment));
      if (!member) return found;
      found = member.offset;
      node = member.value;
    }
    return found;
  };
}

/** The members of the object or array at `open`, found in one pass; FALLBACK on anything but JSON. */
function containerIndex(text: string, open: number, end: number): Map<string, Member> | Member[] | typeof FALLBACK {
  const isObject = text[open] === '{';
  const close = isObject ? '}' : ']';
  const keys = new Map<string, Member>();
  const items: Member[] = [];
  let i = skipSpace(text, open + 1, end);
  if (text[i] === close) return isObject ? keys : items;
  for (;;) {
    let offset = i;
    let key = '';
    if (isObject) {
      const keyEnd = stringEnd(text, i, end);
      if (keyEnd === -1) return FALLBACK;
      const raw = text.slice(i, keyEnd);
      try {
        key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      } catch {
        return FALLBACK;
      }
      i = skipSpace(text, keyEnd, end);
      if (text[i] !== ':') return FALLBACK;
      i = skipSpace(text, i + 1, end);
    }
    const value = i;
    const valueEnd = skipValue(text, i, end);
    if (valueEnd === -1) return FALLBACK;
    if (isObject) {
      // The first of duplicate keys, as the parser-based locator answers.
      if (!keys.has(key)) keys.set(key, { offset, value });
    } else {
      offset = value;
      items.push({ offset, value });
    }
    i = skipSpace(text, valueEnd, end);
    if (text[i] === ',') i = skipSpace(text, i + 1, end);
    else if (text[i] === close) return isObject ? keys : items;
    else return FALLBACK;
  }
}

/** End of the JSON value at `at`, nested containers included, without recursion; -1 when not JSON. */
function skipValue(text: string, at: number, end: number): number {
  let depth = 0;
  let i = at;
  while (i < end) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i, end);
      if (i === -1) return -1;
    } else if (ch === '{' || ch === '[') {
      depth++;
      i++;
    } else if (ch === '}' || ch === ']') {
      if (depth === 0) return -1;
      depth--;
      i++;
    } else if (depth > 0) {
      if (ch === '/' || ch === '#' || ch === "'") return -1;
      i++;
    } else {
      // A scalar at the top: numbers, true, false, null.
      while (i < end && /[\w.+-]/.test(text[i] as string)) i++;
      return i === at ? -1 : i;
    }
    if (depth === 0) return i;
  }
  return -1;
}

/** Index after the closing quote of the string opening at `at`; -1 when there is none. */
function stringEnd(text: string, at: number, end: number): number {
  if (text[at] !== '"') return -1;
  for (let i = at + 1; i < end; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i + 1;
    else if (ch === '\n') return -1;
  }
  return -1;
}

function skipSpace(text: string, at: number, end: number): number {
  let i = at;
  while (i < end && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}
