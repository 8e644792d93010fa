import { type FlowReading, readFlowCollection } from './go-yaml-flow-read.js';
import type { MergeBudget } from './go-yaml-values.js';

/**
 * Flow collections the exact reader can read itself (go-yaml-flow-read.ts), found in block
 * context, and the text the `yaml` parser gets instead: each one replaced by a placeholder plain
 * scalar, its other characters by spaces and its line breaks kept, so every offset, line and
 * column outside stays where it was. The finder reads lines without a parser, so it can be wrong
 * (a `[` inside a block scalar, a comment or a multi-line string); the decoder checks that each
 * placeholder came back as a node of its own at its offset and reads again without the ones that
 * did not (go-yaml-decode.ts).
 */
export const FLOW_PLACEHOLDER = 'kfguardflow';

export interface FlowRegion {
  readonly start: number;
  /** Indentation of the line the collection opens on (readFlowCollection's `lineIndent`). */
  readonly indent: number;
  readonly reading: FlowReading;
}

/**
 * `avoid`: offsets (masked `-`, go-yaml-flow-plain.ts) that no region may contain. `placeholder`:
 * the word that will stand for each region (a region must be at least as long).
 */
export function findFlowRegions(text: string, avoid: readonly number[] = [], placeholder = FLOW_PLACEHOLDER): FlowRegion[] {
  const regions: FlowRegion[] = [];
  // Merged entries counted over all the regions of the text (MergeBudget): no region starts the cap's count afresh.
  const budget: MergeBudget = { merged: 0 };
  const n = text.length;
  let nextAvoided = 0; // `avoid` is in increasing order, as are the regions
  let failedUpTo = 0;
  let lineStart = 0;
  /** Indentation of the line that opened a block scalar (`|`, `>`); -1 outside one. */
  let blockScalarParent = -1;
  while (lineStart < n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    let i = lineStart;
    while (text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    if (blockScalarParent >= 0 && (i === lineEnd || indent > blockScalarParent)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalarParent = -1;
    const at = valueStart(text, i, lineEnd);
    const c = text.charCodeAt(at);
    if (c === 124 /* | */ || c === 62 /* > */) blockScalarParent = indent;
    else if (at >= failedUpTo && opensFlow(c) && !skipsShort(text, at, lineEnd, placeholder)) {
      const attempt = readFlowCollection(text, at, indent, undefined, budget);
      // A collection opening inside one that failed would be read up to the same place again: quadratic on nested lines.
      const reading = 'failedAt' in attempt ? undefined : attempt;
      if ('failedAt' in attempt) failedUpTo = attempt.failedAt;
      while (nextAvoided < avoid.length && (avoid[nextAvoided] as number) < at) nextAvoided++;
      const clear = nextAvoided >= avoid.length || (avoid[nextAvoided] as number) >= (reading?.end ?? 0);
      if (reading && clear && fitsRegion(text, at, reading, placeholder)) {
        regions.push({ start: at, indent, reading });
        lineEnd = text.indexOf('\n', reading.end);
        if (lineEnd < 0) lineEnd = n;
      }
    }
    lineStart = lineEnd + 1;
  }
  return regions;
}

/**
 * Skipping short collections (issue 17): `enabled` is off only in the tests that compare with the
 * reading every collection gets; `skipped` counts the skips, so a test can see they happen.
 */
export const SHORT_SKIP = { enabled: true, skipped: 0 };

function opensFlow(c: number): boolean {
  return c === 91 /* [ */ || c === 123 /* { */;
}

/** Counts the skip; the finder moves on to the next line, as after any collection that is no region. */
function skipsShort(text: string, at: number, lineEnd: number, placeholder: string): boolean {
  if (!SHORT_SKIP.enabled || !tooShortToRead(text, at, lineEnd, placeholder.length)) return false;
  SHORT_SKIP.skipped++;
  return true;
}

/** A word in a short collection: no indicator, quote, anchor, tag, alias, merge or comment can start or sit in it. */
const SHORT_WORD = /^[A-Za-z0-9_][A-Za-z0-9_./=+-]*$/;

/**
 * A sequence that closes on its line before the placeholder would fit (so it can never be a
 * region), and whose reading could leave nothing behind: the reader's only effects outside the
 * reading it returns are null-key marks (nullKeyMarkCount, which the lean path compares), the
 * shared merge budget and, when it fails, how far later collections are skipped. Entries are kept
 * to `word`, `? word`, `word: word` and `? word: word`, with words of letters, digits and `_./=+-`
 * that are not `null` in any case: no `~`, no empty key or entry, no `<<`, `*`, `&`, `!`, quote,
 * comment, `%`, `@`, and no nested or `{` collection (whose keys could repeat). A failure inside
 * such a span would end before the line does, and the finder moves on to the next line anyway.
 * Anything else is read as before. Found by glued17's profile: `[? x]` read twice, 0.4 s per MB.
 */
export function tooShortToRead(text: string, at: number, lineEnd: number, room: number): boolean {
  if (text.charCodeAt(at) !== 91) return false;
  const close = indexWithin(text, 93 /* ] */, at + 1, Math.min(lineEnd, at + room - 1));
  if (close < 0) return false;
  const inner = text.slice(at + 1, close);
  if (inner.trim() === '') return true;
  for (const entry of inner.split(',')) {
    const m = /^ *(?:\? +)?([^ :]+)(?:: +([^ ]+))? *$/.exec(entry);
    if (!m) return false;
    for (const word of [m[1], m[2]]) if (word !== undefined && (!SHORT_WORD.test(word) || word.toLowerCase() === 'null')) return false;
  }
  return true;
}

/**
 * Where a node may start on a line, after `- ` entries and a `key:` (plain or quoted on one line);
 * `end` when the line holds none that could open a collection or a block scalar.
 */
function valueStart(text: string, from: number, end: number): number {
  let i = from;
  while (text.charCodeAt(i) === 45 /* - */ && text.charCodeAt(i + 1) === 32) {
    i += 2;
    while (text.charCodeAt(i) === 32) i++;
  }
  i = afterAnchor(text, i, end);
  const c = text.charCodeAt(i);
  if (c === 91 || c === 123) return i;
  if (c === 35 /* # */ || c === 63 /* ? */) return end;
  // Searches stay within the line: a search to the end of the text on every line would be quadratic.
  let colon: number;
  if (c === 34 || c === 39) {
    const close = indexWithin(text, c, i + 1, end);
    if (close < 0) return end;
    colon = close + 1;
    while (text.charCodeAt(colon) === 32) colon++;
    if (text.charCodeAt(colon) !== 58) return end;
  } else {
    colon = i;
    for (;;) {
      colon = indexWithin(text, 58, colon, end);
      if (colon < 0) return end;
      const next = text.charCodeAt(colon + 1);
      if (next === 32 || colon + 1 === end) break;
      colon++;
    }
    for (let h = i; h < colon; h++) if (text.charCodeAt(h) === 35 && text.charCodeAt(h - 1) === 32) return end;
  }
  let v = colon + 1;
  while (text.charCodeAt(v) === 32) v++;
  return v < end ? afterAnchor(text, v, end) : end;
}

/** Past an anchor (`&name `): the anchor stays in the text and names the placeholder, which stands for the collection. */
function afterAnchor(text: string, from: number, end: number): number {
  if (text.charCodeAt(from) !== 38 /* & */) return from;
  let i = from + 1;
  while (i < end && text.charCodeAt(i) !== 32) i++;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

function indexWithin(text: string, code: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Room for the placeholder, and only blanks and a comment after the collection on its line (block context). */
function fitsRegion(text: string, at: number, reading: FlowReading, placeholder: string): boolean {
  return reading.end - at >= placeholder.length && onlyCommentAfter(text, reading.end);
}

/** After a collection in block context only blanks and a comment may end its line. */
function onlyCommentAfter(text: string, from: number): boolean {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  return i >= text.length || c === 10 || (c === 35 && i > from);
}

/** The text with each region replaced by the placeholder, spaces and its own line breaks. */
export function withPlaceholders(text: string, regions: readonly FlowRegion[], placeholder = FLOW_PLACEHOLDER): string {
  const parts: string[] = [];
  let at = 0;
  for (const { start, reading } of regions) {
    parts.push(text.slice(at, start), placeholder);
    const rest = text.slice(start + placeholder.length, reading.end);
    // Line by line: a regex replace per character cost 0.5 s on 1 MB of multi-line flow text.
    parts.push(rest.includes('\n') ? rest.split('\n').map((line) => ' '.repeat(line.length)).join('\n') : ' '.repeat(rest.length));
    at = reading.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
