import { keyToString, keyTypesNote, type PendingDuplicate, plainValue, setKey } from './go-yaml-values.js';

/**
 * The exact reader's fast path for one flow collection (`[…]` or `{…}`), read straight from the
 * text. The `yaml` parser costs 3–9 s of CPU per MB of flow text; this reads a plain subset of
 * flow syntax in which YAML 1.1 (go-yaml) and YAML 1.2 (the `yaml` package) cannot differ on
 * structure, and resolves its scalars with the same rules as the rest of the exact reader.
 * Anything outside the subset returns undefined and the collection is left to the `yaml` parser:
 * - no anchors, aliases, tags, comments, `?`, `:` or `#` outside quotes (their meaning differs
 *   between go-yaml versions and YAML 1.2, go-yaml-flow-plain.ts);
 * - plain scalars on one line, starting with a letter, digit or `._/~+$(=^`, or `-` before one of
 *   those; quoted scalars on one line, double-quoted ones with JSON's escapes only;
 * - `key: value` only in mappings (`"key":value` as in JSON), a value after every key, no `<<`
 *   or null key;
 * - no tab, CR, control, surrogate or Unicode line-break character; every continuation line
 *   indented past the line the collection starts on.
 */
export interface FlowReading {
  /** Offset just past the closing bracket. */
  readonly end: number;
  readonly value: unknown;
  /** Notes and refusal in document order, as the `yaml` node walk would have made them. */
  readonly notes: string[];
  readonly refuses: string | undefined;
  /** Duplicate keys in the order the node walk finds them (inner mappings first). */
  readonly duplicates: PendingDuplicate[];
}

interface MapFrame {
  readonly map: Record<string, unknown>;
  /** YAML types of keys that were not strings, by JSON key; absent means string. */
  types?: Map<string, string>;
  pending?: PendingDuplicate[];
  key: string;
}

/** An open sequence is its array itself: nested lists allocate nothing more. */
type Frame = unknown[] | MapFrame;

const enum Want {
  /** After `[` or `,` in a sequence: a value, or `]` (a trailing comma is allowed). */
  Item,
  /** After `{` or `,` in a mapping: a key, or `}`. */
  Key,
  /** After `key:`: a value. */
  Value,
  /** After a complete entry: `,` or the closing bracket. */
  Next,
}

/** Where the reader gave up: text before it was read as the subset allows, so a collection opening there and still open fails here too. */
export interface FlowFailure {
  readonly failedAt: number;
}

/** Reads the collection opening at `start`; `lineIndent` is the indentation of its first line. */
export function readFlowCollection(text: string, start: number, lineIndent: number): FlowReading | FlowFailure {
  const sink = { notes: [] as string[], refuses: undefined as string | undefined };
  const duplicates: PendingDuplicate[] = [];
  const stack: Frame[] = [];
  let want = Want.Value;
  let i = start;
  let result: unknown;
  const n = text.length;

  /** Attaches a finished value to the open collection; then a `,` or a closing bracket is due. */
  const complete = (value: unknown): Want => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      return Want.Next;
    }
    if (Array.isArray(top)) top.push(value);
    else {
      const key = top.key;
      if (Object.hasOwn(top.map, key)) (top.pending ??= []).push({ key, first: top.map[key], last: value });
      setKey(top.map, key, value);
    }
    return Want.Next;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      i++;
      continue;
    }
    if (c === 10) {
      const next = nextLine(text, i + 1, lineIndent);
      if (next < 0) return { failedAt: i };
      i = next;
      continue;
    }
    if (c === 91 /* [ */ || c === 123 /* { */) {
      if (want === Want.Key || want === Want.Next) return { failedAt: i };
      if (c === 91) {
        stack.push([]);
        want = Want.Item;
      } else {
        stack.push({ map: {}, key: '' });
        want = Want.Key;
      }
      i++;
      continue;
    }
    if (c === 93 /* ] */ || c === 125 /* } */) {
      const top = stack[stack.length - 1];
      if (top === undefined || want === Want.Value) return { failedAt: i };
      const isSeq = Array.isArray(top);
      if (isSeq !== (c === 93) || (!isSeq && want === Want.Item) || (isSeq && want === Want.Key)) return { failedAt: i };
      stack.pop();
      let value: unknown;
      if (isSeq) value = top;
      else {
        value = top.map;
        for (const duplicate of top.pending ?? []) duplicates.push({ ...duplicate, owner: top.map });
      }
      want = complete(value);
      i++;
      if (stack.length === 0) return { end: i, value: result, notes: sink.notes, refuses: sink.refuses, duplicates };
      continue;
    }
    if (c === 44 /* , */) {
      if (want !== Want.Next) return { failedAt: i };
      const top = stack[stack.length - 1];
      if (top === undefined) return { failedAt: i };
      want = Array.isArray(top) ? Want.Item : Want.Key;
      i++;
      continue;
    }
    // A scalar.
    if (want === Want.Next || stack.length === 0) return { failedAt: i };
    const scalar = readScalar(text, i);
    if (scalar === undefined) return { failedAt: i };
    i = scalar.end;
    if (want === Want.Key) {
      const top = stack[stack.length - 1] as MapFrame;
      let keyValue: unknown;
      if (scalar.quoted) keyValue = scalar.text;
      else {
        if (scalar.text === '<<') return { failedAt: i };
        keyValue = plainValue(scalar.text, sink);
        if (keyValue === null) return { failedAt: i };
      }
      const key = keyToString(keyValue, sink);
      const keyType = typeof keyValue;
      if (Object.hasOwn(top.map, key)) {
        const earlier = top.types?.get(key) ?? 'string';
        if (earlier !== keyType) sink.notes.push(keyTypesNote(key, earlier, keyType));
      }
      if (keyType !== 'string') (top.types ??= new Map()).set(key, keyType);
      else top.types?.delete(key);
      top.key = key;
      // `key: ` on the key's line: the `:` must follow, then a blank, except after a quoted key (`"a":1`, as in JSON).
      while (i < n && text.charCodeAt(i) === 32) i++;
      const after = text.charCodeAt(i + 1);
      if (text.charCodeAt(i) !== 58 || (after !== 32 && after !== 10 && !scalar.quoted)) return { failedAt: i };
      i++;
      want = Want.Value;
      continue;
    }
    want = complete(scalar.quoted ? scalar.text : plainValue(scalar.text, sink));
  }
  return { failedAt: i };
}

/** Skips blank lines; returns the offset of the next content, or -1 when its line is not indented past `lineIndent`. */
function nextLine(text: string, from: number, lineIndent: number): number {
  let i = from;
  for (;;) {
    let spaces = 0;
    while (text.charCodeAt(i) === 32) {
      i++;
      spaces++;
    }
    if (text.charCodeAt(i) === 10) {
      i++;
      continue;
    }
    return spaces > lineIndent && i < text.length ? i : -1;
  }
}

interface ScalarToken {
  readonly text: string;
  readonly quoted: boolean;
  readonly end: number;
}

function readScalar(text: string, start: number): ScalarToken | undefined {
  const c = text.charCodeAt(start);
  // Quoted scalars end on their line (a line break is not a quoted character here).
  if (c === 34 /* " */) return readDoubleQuoted(text, start);
  if (c === 39 /* ' */) {
    let doubled = false;
    for (let i = start + 1; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 39) {
        if (text.charCodeAt(i + 1) === 39) {
          doubled = true;
          i++;
          continue;
        }
        const body = text.slice(start + 1, i);
        return { text: doubled ? body.replaceAll("''", "'") : body, quoted: true, end: i + 1 };
      }
      if (!isQuotedChar(d)) return undefined;
    }
    return undefined;
  }
  if (!isPlainStart(c) && !(c === 45 /* - */ && isPlainStart(text.charCodeAt(start + 1)))) return undefined;
  let i = start + 1;
  let last = start; // the last character that is not a space
  for (; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 44 || d === 93 || d === 125 || d === 10) break;
    if (d === 32) continue;
    if (d === 58 /* : */) {
      // `: ` ends a key; a `:` inside a plain scalar is read differently by go-yaml versions.
      const next = text.charCodeAt(i + 1);
      if (next === 32 || next === 10) break;
      return undefined;
    }
    if (!isPlainChar(d)) return undefined;
    last = i;
  }
  return { text: text.slice(start, last + 1), quoted: false, end: last + 1 };
}

/**
 * JSON's escapes that YAML 1.1 and 1.2 share; `\u` only outside the surrogates. Not `\/`: go-yaml
 * v2 refuses it ("found unknown escape character", kubectl 1.3x), though YAML 1.2 and JSON take it.
 */
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function readDoubleQuoted(text: string, start: number): ScalarToken | undefined {
  let out = '';
  let from = start + 1;
  for (let i = start + 1; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 34) return { text: out + text.slice(from, i), quoted: true, end: i + 1 };
    if (d === 92 /* \ */) {
      out += text.slice(from, i);
      const e = text[i + 1] ?? '';
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code >= 0xd800 && code <= 0xdfff) return undefined;
        out += String.fromCharCode(code);
        i += 5;
      } else {
        const escaped = ESCAPES[e];
        if (escaped === undefined) return undefined;
        out += escaped;
        i += 1;
      }
      from = i + 1;
      continue;
    }
    if (!isQuotedChar(d)) return undefined;
  }
  return undefined;
}

/** Letters, digits and `$(+./=^_~`: no indicator of either YAML version. */
function isPlainStart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 47 || c === 126 || c === 43 || c === 36 || c === 40 || c === 61 || c === 94;
}

/** Inside a plain scalar: printable, and none of `[]{},:?#` (flow and comment indicators). */
function isPlainChar(c: number): boolean {
  if (c === 91 || c === 123 || c === 58 || c === 63 || c === 35) return false;
  return isQuotedChar(c);
}

/** Printable ASCII but `\` (an escape in double quotes, kept out of single ones for simplicity), or Unicode past Latin-1 controls without line breaks, BOM or surrogates. */
function isQuotedChar(c: number): boolean {
  if (c >= 32 && c <= 126) return c !== 92;
  if (c < 0xa0) return false;
  return c !== 0x2028 && c !== 0x2029 && c !== 0xfeff && (c < 0xd800 || c > 0xdfff);
}
