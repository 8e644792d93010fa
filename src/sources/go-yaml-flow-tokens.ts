import { TAG_PREFIX } from './go-yaml-tags.js';

/**
 * Tokens of the flow reader (go-yaml-flow-read.ts): scalars on one line, anchors, aliases and
 * tags, each read only where go-yaml v2 (libyaml's scanner, as kubectl runs it) and YAML 1.2 (the
 * `yaml` package the reader stands in for) agree; undefined means "leave it to the `yaml` parser".
 */
export interface ScalarToken {
  readonly text: string;
  readonly quoted: boolean;
  readonly end: number;
  /** go-yaml refuses the scalar though YAML 1.2 reads it (the `\/` escape); the text is YAML 1.2's. */
  readonly refuses?: string;
}

export function readScalar(text: string, start: number): ScalarToken | undefined {
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
    // ` #` starts a comment in both readers.
    if (d === 35 /* # */ && text.charCodeAt(i - 1) === 32) break;
    if (d === 58 /* : */) {
      // `: ` ends a key. Glued to a character that can go on a plain scalar (`a:b`, `http://x`),
      // both readers keep the `:` as text (kubectl reads `[a:b]` as ["a:b"]); before an indicator they differ.
      const next = text.charCodeAt(i + 1);
      if (next === 32 || next === 10) break;
      if (next === 58 || !isPlainChar(next)) return undefined;
      last = i;
      continue;
    }
    if (!isPlainChar(d)) return undefined;
    last = i;
  }
  return { text: text.slice(start, last + 1), quoted: false, end: last + 1 };
}

/**
 * go-yaml v2's escapes (libyaml's scanner). `\/` is YAML 1.2's and JSON's but not go-yaml v2's:
 * kubectl refuses it ("found unknown escape character"); it is read as `/` with that refusal, as the
 * `yaml` parser path reads it.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
export const SLASH_ESCAPE_REFUSAL = 'a double-quoted scalar holds the escape `\\/`, which go-yaml v2 does not know (found unknown escape character)';

function readDoubleQuoted(text: string, start: number): ScalarToken | undefined {
  let out = '';
  let from = start + 1;
  let refuses: string | undefined;
  for (let i = start + 1; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 34) return { text: out + text.slice(from, i), quoted: true, end: i + 1, ...(refuses ? { refuses } : {}) };
    if (d === 92 /* \ */) {
      out += text.slice(from, i);
      const e = text[i + 1] ?? '';
      const digits = HEX_DIGITS[e];
      if (digits !== undefined) {
        const hex = text.slice(i + 2, i + 2 + digits);
        if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        // libyaml refuses surrogates and code points past Unicode; left to the parser's error.
        if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return undefined;
        out += String.fromCodePoint(code);
        i += 1 + digits;
      } else if (e === '/') {
        refuses ??= SLASH_ESCAPE_REFUSAL;
        out += '/';
        i += 1;
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

/** An anchor or alias name (`&name`, `*name` at `start`): go-yaml's alphabet, ended by a blank or a flow indicator. */
export function readName(text: string, start: number): { name: string; end: number } | undefined {
  let i = start + 1;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  if (i === start + 1) return undefined;
  const next = text.charCodeAt(i);
  if (!(i >= text.length || next === 32 || next === 10 || next === 44 || next === 93 || next === 125)) return undefined;
  return { name: text.slice(start + 1, i), end: i };
}

/**
 * A tag at `start`: `!!name` (yaml.org's, as the full tag the `yaml` package gives) or a local
 * `!name`, followed by a blank. Verbatim `!<…>`, a lone `!` and named handles are left to the parser.
 */
export function readTag(text: string, start: number): { tag: string; end: number } | undefined {
  const secondary = text.charCodeAt(start + 1) === 33;
  const from = start + (secondary ? 2 : 1);
  let i = from;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  if (i === from) return undefined;
  const next = text.charCodeAt(i);
  if (next !== 32 && next !== 10) return undefined;
  const name = text.slice(from, i);
  return { tag: secondary ? `${TAG_PREFIX}${name}` : `!${name}`, end: i };
}

/** Letters, digits, `-` and `_`: what go-yaml allows in anchor names, and all this reader takes in tags. */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

/** Letters, digits and `$(+./=^_~`: no indicator of either YAML version. */
function isPlainStart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 47 || c === 126 || c === 43 || c === 36 || c === 40 || c === 61 || c === 94;
}

/** Inside a plain scalar: printable, and none of `[]{},:?#` (flow and comment indicators). */
function isPlainChar(c: number): boolean {
  if (c === 91 || c === 93 || c === 123 || c === 125 || c === 44 || c === 58 || c === 63 || c === 35) return false;
  return isQuotedChar(c);
}

/** Printable ASCII but `\` (an escape in double quotes, kept out of single ones for simplicity), or Unicode past Latin-1 controls without line breaks, BOM or surrogates. */
function isQuotedChar(c: number): boolean {
  if (c >= 32 && c <= 126) return c !== 92;
  if (c < 0xa0) return false;
  return c !== 0x2028 && c !== 0x2029 && c !== 0xfeff && (c < 0xd800 || c > 0xdfff);
}
