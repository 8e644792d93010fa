/**
 * Runs of encoded-looking characters, found by one loop over the text. A regular expression such
 * as `[A-Za-z0-9+/]{24,}` keeps a backtracking entry per character of a match, which made one
 * 5 MB base64 run take seconds; these scanners are linear with no per-character allocation.
 */

export interface Run {
  readonly index: number;
  readonly text: string;
}

const BASE64 = table((c) => /[A-Za-z0-9+/]/.test(c));
const HEX = table((c) => /[0-9a-fA-F]/.test(c));

function table(member: (c: string) => boolean): Uint8Array {
  const t = new Uint8Array(128);
  for (let code = 0; code < 128; code++) t[code] = member(String.fromCharCode(code)) ? 1 : 0;
  return t;
}

function isIn(set: Uint8Array, code: number): boolean {
  return code < 128 && set[code] === 1;
}

/** Maximal runs of the base64 alphabet of at least `min` characters, with up to two `=` after them. */
export function base64Runs(text: string, min = 24): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isIn(BASE64, text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isIn(BASE64, text.charCodeAt(i))) i++;
    let end = i;
    if (end - start < min) continue;
    if (text.charCodeAt(end) === 61) end++;
    if (text.charCodeAt(end) === 61) end++;
    runs.push({ index: start, text: text.slice(start, end) });
    i = end;
  }
  return runs;
}

/** Maximal runs of hex digits of even length, at least `min` digits. */
export function hexRuns(text: string, min = 24): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isIn(HEX, text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isIn(HEX, text.charCodeAt(i))) i++;
    if (i - start >= min && (i - start) % 2 === 0) runs.push({ index: start, text: text.slice(start, i) });
  }
  return runs;
}

/** Runs of at least `min` `\xHH` escapes. */
export function escapedHexRuns(text: string, min = 8): Run[] {
  return escapeRuns(text, min, (at) => (text[at + 1] === 'x' && isIn(HEX, text.charCodeAt(at + 2)) && isIn(HEX, text.charCodeAt(at + 3)) ? 4 : 0));
}

/** Runs of at least `min` octal escapes, `\170` or `\0170`. */
export function octalRuns(text: string, min = 8): Run[] {
  const octal = (at: number): boolean => {
    const code = text.charCodeAt(at);
    return code >= 48 && code <= 55;
  };
  return escapeRuns(text, min, (at) => {
    const lead = text[at + 1] === '0' && octal(at + 2) && octal(at + 3) && octal(at + 4) ? 1 : 0;
    return octal(at + 1 + lead) && octal(at + 2 + lead) && octal(at + 3 + lead) ? 4 + lead : 0;
  });
}

function escapeRuns(text: string, min: number, escapeLength: (at: number) => number): Run[] {
  const runs: Run[] = [];
  let from = text.indexOf('\\');
  while (from !== -1) {
    let i = from;
    let count = 0;
    for (let length = escapeLength(i); length > 0; length = escapeLength(i)) {
      i += length;
      count++;
    }
    if (count >= min) runs.push({ index: from, text: text.slice(from, i) });
    from = text.indexOf('\\', Math.max(i, from + 1));
  }
  return runs;
}
