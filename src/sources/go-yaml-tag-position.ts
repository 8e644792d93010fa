import { syntaxOnly } from './yaml-syntax-mask.js';

/**
 * Where a `!` may start a tag, for the lean path's tag checks (go-yaml-lean-tags.ts,
 * go-yaml-lean-handles.ts; bang17, issue 17). A tag is a node property, so it sits only at a node's
 * start: at a line's first non-blank, right after an indicator (`:`, `-`, `?`, `[`, `{`, `,`), or after
 * blanks that follow an indicator or another property (`&a !x`, `!t !x`).
 *
 * Before this, every `!` after a blank was taken for a tag: `value: a !x` (plain text), `'b !e!s'`
 * (inside a quoted scalar) or `a # !x` (a comment) in every env item of a 1 MB Pod sent it whole to
 * the full exact reader (1.4–2.2 s of CPU).
 *
 * The look is local and needs no knowledge of quotes or comments: the word (blank-delimited) just
 * before the blanks before the `!`, on the same line. A node cannot start after a word ending in plain
 * text: in block context a plain scalar ends only at `: `, ` #` or a line end, in flow also at
 * `,[]{}`, so text then blanks then `!` is the same plain scalar's text, or a quoted scalar's, a
 * comment's or a block scalar's body. That word is the only thing it can be unless it is a property
 * or alias (`&a`, `!t`, `*a`: it holds `&`, `!` or `*`), a block scalar header (`|2`, `>-`), an
 * indicator or what ends a quoted scalar or flow collection (its last character is one of
 * `:-?[]{},'"`), or a document marker (`...`; `---` ends in `-`). Those, and anything at a line's
 * start, stay candidates: the safe direction is the full reader, so a false candidate only costs time.
 */
export function mayStartTag(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  if (!TAG_BEFORE.has(before)) return false;
  if (before !== 32 && before !== 9) return true;
  let end = at - 1;
  while (end >= 0 && isBlank(text.charCodeAt(end))) end--;
  if (end < 0 || isBreak(text.charCodeAt(end))) return true;
  if (WORD_END_CANDIDATE.has(text.charCodeAt(end))) return true;
  let start = end;
  for (; start >= 0; start--) {
    const c = text.charCodeAt(start);
    if (isBlank(c) || isBreak(c)) break;
    if (WORD_HOLDS_CANDIDATE.has(c)) return true;
  }
  return end - start === 3 && text.startsWith('...', start + 1);
}

/**
 * A test of `at` in `text` for where a tag may start: mayStartTag, and the `!` not blanked by the
 * syntax mask (yaml-syntax-mask.ts: inside a quoted scalar closed on its line, a comment or a block
 * scalar body). mayStartTag alone keeps `"b: !x"`, `'b, !x'`, `"[!x"` and `a # - !x` as candidates
 * (the `!` follows an indicator character), and each such item in a 1 MB Pod sent it to the full
 * reader (1.2–2.0 s of CPU; bangmask17, issue 17). The mask is of `text` itself, the text the caller
 * scans (the lean path's flow-placeholder text has other offsets than its source), made only at the
 * first `!` mayStartTag keeps. Where the mask is unsure it gives the text back whole, the `!` stays,
 * and the document goes to the full reader as before.
 */
export function tagStartTest(text: string): (at: number) => boolean {
  let masked: string | undefined;
  return (at) => {
    if (!mayStartTag(text, at)) return false;
    masked ??= syntaxOnly(text);
    return masked.charCodeAt(at) === 33;
  };
}

/** Where a tag may start at all: the text's start, after a blank or line break, or glued after an indicator. */
const TAG_BEFORE = new Set([...' \t\r\n:[{,-'].map((c) => c.charCodeAt(0)));
/** A word ending so may be an indicator, or end a quoted scalar or flow collection: a node may follow. */
const WORD_END_CANDIDATE = new Set([...':-?[]{},\'"'].map((c) => c.charCodeAt(0)));
/** A word holding one of these may be a property, an alias or a block scalar header. */
const WORD_HOLDS_CANDIDATE = new Set([...'&!*|>'].map((c) => c.charCodeAt(0)));

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}
