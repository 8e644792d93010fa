import { blankRun, foldBreaks, isBlank, isBlankOrBreak } from './go-yaml-flow-lines.js';
import { TAG_PREFIX } from './go-yaml-tags.js';

/**
 * Tokens of the flow reader (go-yaml-flow-read.ts): scalars, anchors, aliases and tags, each read
 * only where go-yaml v2 (libyaml's scanner, as kubectl runs it) and YAML 1.2 (the `yaml` package
 * the reader stands in for) agree; undefined means "leave it to the `yaml` parser". Scalars may
 * run over several lines (folded as libyaml folds them, go-yaml-flow-lines.ts) and hold tabs.
 */
export interface ScalarToken {
  readonly text: string;
  readonly quoted: boolean;
  readonly end: number;
  /** go-yaml refuses the scalar though YAML 1.2 reads it (the `\/` escape); the text is YAML 1.2's. */
  readonly refuses?: string;
  /** The scalar runs over more than one line: it cannot be an implicit key. */
  readonly lines?: boolean;
}

/** `lineIndent`: the indentation of the line the collection opens on; continuation lines must be indented past it. */
export function readScalar(text: string, start: number, lineIndent: number): ScalarToken | undefined {
  const c = text.charCodeAt(start);
  if (c === 34 /* " */ || c === 39 /* ' */) return readQuoted(text, start, lineIndent);
  // A `-` alone before `,`, `]` or `}`: go-yaml's plain scalar "-" (a `-` before a non-blank starts one), which
  // YAML 1.2 refuses. The full reader masks such dashes before it looks for regions (go-yaml-flow-plain.ts); the lean path reads them here.
  if (c === 45 && isEntryEnd(text.charCodeAt(start + 1))) return { text: '-', quoted: false, end: start + 1 };
  return readPlain(text, start, lineIndent);
}

function readPlain(text: string, start: number, lineIndent: number): ScalarToken | undefined {
  const c = text.charCodeAt(start);
  if (!isPlainStart(c) && !(c === 45 /* - */ && isPlainStart(text.charCodeAt(start + 1)))) return undefined;
  let out = '';
  let from = start; // the start of the part of the text not yet in `out`
  let lines = false;
  let i = start + 1;
  let last = start; // the last character that is not a blank
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 44 || d === 93 || d === 125) break;
    if (isBlank(d) || d === 10) {
      const run = blankRun(text, i, lineIndent);
      if (run === undefined) return undefined;
      const next = text.charCodeAt(run.end);
      // ` #` starts a comment in both readers, on the scalar's line or the next.
      if (next === 35 /* # */ || run.end >= text.length) break;
      if (run.breaks > 0) {
        const continues = continuesPlain(text, run.end);
        if (continues === undefined) return undefined;
        if (!continues) break;
        out += text.slice(from, last + 1) + foldBreaks(run.breaks);
        from = run.end;
        last = run.end;
        lines = true;
        i = run.end + 1;
        continue;
      }
      i = run.end;
      continue;
    }
    if (d === 58 /* : */) {
      // `: ` ends a key. Glued to a character that can go on a plain scalar (`a:b`, `http://x`),
      // both readers keep the `:` as text (kubectl reads `[a:b]` as ["a:b"]); before an indicator they differ.
      const next = text.charCodeAt(i + 1);
      if (isBlankOrBreak(next)) break;
      if (next === 58 || !isPlainChar(next)) return undefined;
      last = i++;
      continue;
    }
    if (isSurrogatePair(text, i)) {
      last = i + 1;
      i += 2;
      continue;
    }
    if (!isPlainChar(d)) return undefined;
    last = i++;
  }
  return { text: out + text.slice(from, last + 1), quoted: false, end: last + 1, ...(lines ? { lines } : {}) };
}

function isEntryEnd(c: number): boolean {
  return c === 44 || c === 93 || c === 125;
}

/**
 * Whether the plain scalar goes on at `at`, the first character of a later line: false where it
 * ends (a flow indicator, `: `), undefined where the readers may differ (conservatively, only a
 * line that starts as a plain scalar would is taken as its continuation).
 */
function continuesPlain(text: string, at: number): boolean | undefined {
  const c = text.charCodeAt(at);
  if (c === 44 || c === 93 || c === 125 || (c === 58 && isBlankOrBreak(text.charCodeAt(at + 1)))) return false;
  return isPlainStart(c) || (c === 45 && isPlainStart(text.charCodeAt(at + 1))) ? true : undefined;
}

/**
 * go-yaml v2's escapes (libyaml's scanner, and `\'`). `\/` is YAML 1.2's and JSON's but not go-yaml v2's:
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
  // Not libyaml's nor YAML 1.2's, but go-yaml v2 reads `\'` as `'` (kubectl 1.32).
  "'": "'",
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
export const SLASH_ESCAPE_REFUSAL = 'a double-quoted scalar holds the escape `\\/`, which go-yaml v2 does not know (found unknown escape character)';

/**
 * A quoted scalar, folded over lines as libyaml folds it: blanks before a line break and the
 * indentation after it dropped, one break a space, n breaks n - 1 newlines; in double quotes an
 * escaped line break (`\` at the end of a line) joins the lines with nothing but the breaks after it.
 */
function readQuoted(text: string, start: number, lineIndent: number): ScalarToken | undefined {
  const quote = text.charCodeAt(start);
  const double = quote === 34;
  let out = '';
  let from = start + 1;
  let refuses: string | undefined;
  let lines = false;
  for (let i = start + 1; i < text.length; ) {
    const d = text.charCodeAt(i);
    if (d === quote) {
      if (!double && text.charCodeAt(i + 1) === 39) {
        out += text.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      return { text: out + text.slice(from, i), quoted: true, end: i + 1, ...(refuses ? { refuses } : {}), ...(lines ? { lines } : {}) };
    }
    if (isBlank(d) || d === 10) {
      const run = blankRun(text, i, lineIndent);
      if (run === undefined) return undefined;
      if (run.breaks > 0) {
        out += text.slice(from, i) + foldBreaks(run.breaks);
        from = run.end;
        lines = true;
      }
      i = run.end;
      continue;
    }
    if (double && d === 92 /* \ */) {
      out += text.slice(from, i);
      const e = text[i + 1] ?? '';
      if (e === '\n') {
        // An escaped line break: only the breaks after it stay.
        const run = blankRun(text, i + 1, lineIndent);
        if (run === undefined) return undefined;
        out += '\n'.repeat(run.breaks - 1);
        lines = true;
        i = from = run.end;
        continue;
      }
      const escape = readEscape(text, i);
      if (escape === undefined) return undefined;
      if (e === '/') refuses ??= SLASH_ESCAPE_REFUSAL;
      out += escape.value;
      i = from = escape.end;
      continue;
    }
    if (isSurrogatePair(text, i)) i++;
    else if (!isQuotedChar(d)) return undefined;
    i++;
  }
  return undefined;
}

/** The escape at `i` (a `\\` in double quotes, not before a line break): its value and where it ends. */
function readEscape(text: string, i: number): { value: string; end: number } | undefined {
  const e = text[i + 1] ?? '';
  const digits = HEX_DIGITS[e];
  if (digits !== undefined) {
    const hex = text.slice(i + 2, i + 2 + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const code = parseInt(hex, 16);
    // libyaml refuses surrogates and code points past Unicode; left to the parser's error.
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return undefined;
    return { value: String.fromCodePoint(code), end: i + 2 + digits };
  }
  // `\/` is YAML 1.2's reading, with go-yaml's refusal noted by the caller.
  const escaped = e === '/' ? '/' : ESCAPES[e];
  return escaped === undefined ? undefined : { value: escaped, end: i + 2 };
}

/** A character outside the BMP (two UTF-16 units): text for both readers; a lone surrogate is left to the parser. */
function isSurrogatePair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/** An anchor or alias name (`&name`, `*name` at `start`): go-yaml's alphabet, ended by a blank or a flow indicator. */
export function readName(text: string, start: number): { name: string; end: number } | undefined {
  let i = start + 1;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  if (i === start + 1) return undefined;
  const next = text.charCodeAt(i);
  if (!(isBlankOrBreak(next) || next === 44 || next === 93 || next === 125)) return undefined;
  return { name: text.slice(start + 1, i), end: i };
}

/**
 * A tag at `start`: `!!name` (yaml.org's, as the full tag the `yaml` package gives) or a local
 * `!name`, followed by a blank or a line break. Verbatim `!<…>`, a lone `!` and named handles are left to the parser.
 */
export function readTag(text: string, start: number): { tag: string; end: number } | undefined {
  const secondary = text.charCodeAt(start + 1) === 33;
  const from = start + (secondary ? 2 : 1);
  let i = from;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  if (i === from) return undefined;
  if (!isBlankOrBreak(text.charCodeAt(i))) return undefined;
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
