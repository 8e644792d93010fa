import { resolveGoPlain } from './go-yaml-scalar.js';

/**
 * A tag alone on its line on the exact reader's lean path (tagline17, issue 17): `value: !!str`
 * with the node on the next line. Every env item of a 1 MB Pod written so sent it whole to the full
 * exact reader (about 1.5 s of CPU). js-yaml reads the next line's node as a possible mapping key
 * first (readBlockMapping); a plain scalar there is resolved as an untagged one before the tag is
 * applied to the result, so `!!str` then `y` is `true` where go-yaml reads "y". Every other node
 * (a block mapping or list, a quoted scalar, a flow collection, a plain scalar go-yaml reads as a string)
 * comes to the tag as the text it would have on the tag's own line, and reads as go-yaml reads it.
 *
 * Whether the tagged node is on the next line or empty (`a: !!map` then a sibling `b: 1`: js-yaml
 * `{}`, go-yaml "") is told by indentation: the next line with content must be deeper than the
 * key or the `-` owning the tag. What this cannot tell, or what reads apart, is left to the full
 * reader: properties or an alias on the next line, a block scalar (js-yaml drops the tag), a
 * placeholder of the flow reader, a tab, a tag
 * that starts its line's node without a `-` before it, and plain scalars go-yaml does not read as
 * strings (`y`, `1`, `~`, `<<`, `.inf`).
 *
 * `from` is just past the tag's name; true when the tag is alone on its line (an anchor or a comment
 * may follow it) and its node reads alike.
 */
export function tagAloneReadsAlike(read: string, tag: number, from: number, placeholder: string): boolean {
  let at = skipBlanks(read, from);
  if (read.charCodeAt(at) === 38 /* & */) {
    const name = at + 1;
    at = name;
    while (at < read.length && !PROPERTY_END.has(read.charCodeAt(at))) at++;
    if (at === name) return false;
    at = skipBlanks(read, at);
  }
  // A comment needs a blank before it, which skipBlanks found (or the tag's name would have held `#`).
  if (read.charCodeAt(at) === 35 /* # */ && at > from) at = lineEnd(read, at);
  if (!isBreak(read.charCodeAt(at))) return false;
  const owner = ownerColumn(read, tag);
  if (owner < 0) return false;
  return nextNodeReadsAlike(read, at, owner, placeholder);
}

/** The column the tagged node must be deeper than: the key on the tag's line, or the `-` before the tag. */
function ownerColumn(read: string, tag: number): number {
  const lineStart = read.lastIndexOf('\n', tag) + 1;
  let i = lineStart;
  let dash = -1;
  for (;;) {
    while (read.charCodeAt(i) === 32) i++;
    if (read.charCodeAt(i) === 45 && (read.charCodeAt(i + 1) === 32 || read.charCodeAt(i + 1) === 9)) {
      dash = i - lineStart;
      i++;
      continue;
    }
    break;
  }
  if (read.charCodeAt(i) === 9) return -1;
  if (i < tag) return i - lineStart;
  // The tag starts its line's node: with no `-` before it, its owner is on an earlier line.
  return dash;
}

function nextNodeReadsAlike(read: string, breakAt: number, owner: number, placeholder: string): boolean {
  for (let line = lineEnd(read, breakAt) + 1; line < read.length; line = lineEnd(read, line) + 1) {
    let i = line;
    while (read.charCodeAt(i) === 32) i++;
    const c = read.charCodeAt(i);
    if (isBreak(c) || c === 35 /* # */) continue;
    if (c === 9 || i - line <= owner) return false;
    if (read[i] === placeholder || LEFT_TO_FULL.has(c)) return false;
    if (NODE_STARTS.has(c)) return true;
    // A block list's `-`; a `-` glued to text starts a plain scalar.
    if (c === 45 && (isBreak(read.charCodeAt(i + 1)) || read.charCodeAt(i + 1) === 32 || Number.isNaN(read.charCodeAt(i + 1)))) return true;
    return plainReadsAlike(read, i);
  }
  return false;
}

/** A plain scalar, or the first key of a block mapping (read as a mapping, then the tag changes nothing). */
function plainReadsAlike(read: string, start: number): boolean {
  let end = start;
  for (; end < read.length && !isBreak(read.charCodeAt(end)); end++) {
    const c = read.charCodeAt(end);
    const next = read.charCodeAt(end + 1);
    if (c === 58 /* : */ && (next === 32 || next === 9 || isBreak(next) || Number.isNaN(next))) return true;
    if (c === 35 /* # */ && (read.charCodeAt(end - 1) === 32 || read.charCodeAt(end - 1) === 9)) break;
  }
  const text = read.slice(start, end).trimEnd();
  return text !== '<<' && resolveGoPlain(text).tag === 'str';
}

function skipBlanks(read: string, at: number): number {
  while (read.charCodeAt(at) === 32 || read.charCodeAt(at) === 9) at++;
  return at;
}

function lineEnd(read: string, at: number): number {
  const end = read.indexOf('\n', at);
  return end === -1 ? read.length : end;
}

/** A line break, or the end of the text (NaN). */
function isBreak(c: number): boolean {
  return c === 10 || c === 13 || Number.isNaN(c);
}

const PROPERTY_END = new Set([...' \t\r\n,[]{}'].map((c) => c.charCodeAt(0)));
/**
 * Properties, an alias, an explicit key, a directive or reserved indicator on the next line; and a
 * block scalar, which js-yaml reads with the tag dropped (its possible-key read clears the tag and
 * gives up on `|`/`>` without restoring it: `!!float` then `>` and text is the text, go-yaml refuses).
 */
const LEFT_TO_FULL = new Set([...'*&!?%@`|>'].map((c) => c.charCodeAt(0)));
/** Quoted scalars and flow collections: js-yaml gives the tag their text or collection. */
const NODE_STARTS = new Set([...'"\'[{'].map((c) => c.charCodeAt(0)));
