/**
 * Lines over 1024 characters on the exact reader's lean path (go-yaml-lean.ts, issue 17). go-yaml
 * (libyaml's scanner) forgets a possible simple key once the scanner is more than 1024 characters
 * past its start, and refuses the document when that key was required (a block mapping key at its
 * indentation): a key longer than that is an error for Kubernetes, where js-yaml reads it. A value
 * that long is fine for both: it starts past its line's indentation, so it is never a required key.
 *
 * So a long line reads alike when it is a key of at most KEY_LIMIT characters (plain, after the
 * line's indentation and any `- `) and a value that ends on the line: a quoted scalar closed there,
 * or a plain scalar holding no `: ` or ` #`; or, after `- `, such a value alone. Anything else long
 * (a long key, a quoted or multi-line key, a value continued on the next line, properties, flow
 * text) is left to the full reader. UTF-16 units count at least as many characters as go-yaml's
 * runes, and KEY_LIMIT leaves room under 1024.
 */
const KEY_LIMIT = 1000;

/** Whether the line `source[start, end)` (no line break) is one of the long lines both read alike. */
export function longLineReadsAlike(source: string, start: number, end: number): boolean {
  let i = start;
  while (source.charCodeAt(i) === 32) i++;
  let entries = 0;
  while (source.charCodeAt(i) === 45 /* - */ && source.charCodeAt(i + 1) === 32) {
    entries++;
    i += 2;
    while (source.charCodeAt(i) === 32) i++;
  }
  const colon = keyEnd(source, i, Math.min(end, i + KEY_LIMIT));
  if (colon < 0) return entries > 0 && valueEndsOnLine(source, i, end);
  let value = colon + 1;
  while (source.charCodeAt(value) === 32) value++;
  return value < end && valueEndsOnLine(source, value, end);
}

/** The `:` ending a plain key that starts at `from` and ends before `limit`, or -1. */
function keyEnd(source: string, from: number, limit: number): number {
  if (!PLAIN_START.test(source.charAt(from))) return -1;
  for (let i = from; i < limit; i++) {
    const c = source.charCodeAt(i);
    if (c === 58 /* : */ && source.charCodeAt(i + 1) === 32) return i;
    if (c === 35 /* # */ && source.charCodeAt(i - 1) === 32) return -1;
  }
  return -1;
}

/** A scalar from `from` that ends on this line, with only blanks or a comment after it. */
function valueEndsOnLine(source: string, from: number, end: number): boolean {
  const c = source.charCodeAt(from);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const close = c === 34 ? doubleQuoteEnd(source, from + 1, end) : singleQuoteEnd(source, from + 1, end);
    return close >= 0 && onlyCommentAfter(source, close + 1, end);
  }
  if (!PLAIN_START.test(source.charAt(from))) return false;
  for (let i = from; i < end; i++) {
    const d = source.charCodeAt(i);
    const next = source.charCodeAt(i + 1);
    if (d === 58 && (i + 1 === end || next === 32 || next === 9)) return false;
    if ((d === 32 || d === 9) && next === 35) return false;
  }
  return true;
}

function doubleQuoteEnd(source: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i;
  }
  return -1;
}

function singleQuoteEnd(source: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (source.charCodeAt(i) !== 39) continue;
    if (source.charCodeAt(i + 1) !== 39) return i;
    i++;
  }
  return -1;
}

function onlyCommentAfter(source: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && (source.charCodeAt(i) === 32 || source.charCodeAt(i) === 9)) i++;
  return i === end || (source.charCodeAt(i) === 35 && i > from);
}

/** A plain scalar may start here: no indicator, quote, property, alias or flow character. */
const PLAIN_START = /^[^\s\-?:,[\]{}#&*!|>'"%@`]/;
