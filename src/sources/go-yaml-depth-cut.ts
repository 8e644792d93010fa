/**
 * Kubernetes (go-yaml) reads nesting up to 10,000 levels; the `yaml` package kfguard's exact reader
 * builds on recurses per level and overflows the stack at about 800. Rather than refuse such a
 * document whole (and lose the findings of its other fields), the part past `limit` levels is cut:
 * a `[`/`{` collection opened past the limit, or the rest of a line after `limit` `- ` entries on
 * it, becomes `~` (null) padded with blanks, line breaks kept so line numbers hold. The caller
 * notes the cut, which becomes a manifest-parse-ambiguity finding: Kubernetes reads that part.
 *
 * Quoted text is skipped as flowDepth skips it; an apostrophe inside a plain scalar can mislead the
 * scan, which then cuts elsewhere or not at all (a wrong cut fails to parse, and the document is
 * refused as before). Nesting by indentation alone (a key per line, one column deeper each) is
 * not cut.
 */
export interface DepthCut {
  readonly text: string;
  /** 1-based lines where a cut starts. */
  readonly lines: readonly number[];
}

export function cutDeepNesting(text: string, limit: number): DepthCut | undefined {
  const chars = [...text.split('')];
  const cuts: number[] = [];
  let line = 1;
  let depth = 0;
  let cutStart = -1;
  // Leading `- ` entries on the current line, while still at its start.
  let dashes = 0;
  let atLineStart = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\n') {
      line++;
      dashes = 0;
      atLineStart = true;
      continue;
    }
    if (cutStart >= 0) {
      if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') {
        depth--;
        if (depth === limit) {
          blank(chars, cutStart, i);
          cutStart = -1;
        }
      } else if (c === '"' || c === "'") i = skipQuoted(text, i);
      continue;
    }
    if (atLineStart && depth === 0) {
      if (c === ' ' || c === '\t') continue;
      if (c === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        dashes++;
        if (dashes > limit) {
          const end = text.indexOf('\n', i);
          blank(chars, i, (end === -1 ? text.length : end) - 1);
          cuts.push(line);
          i = (end === -1 ? text.length : end) - 1;
        }
        continue;
      }
      atLineStart = false;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === limit + 1) {
        cutStart = i;
        cuts.push(line);
      }
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '"' || c === "'") i = skipQuoted(text, i);
  }
  // An unclosed collection past the limit: cut to the end.
  if (cutStart >= 0) blank(chars, cutStart, chars.length - 1);
  return cuts.length === 0 ? undefined : { text: chars.join(''), lines: cuts };
}

/** `~` then blanks from `from` to `to` (inclusive), keeping line breaks. */
function blank(chars: string[], from: number, to: number): void {
  chars[from] = '~';
  for (let i = from + 1; i <= to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
}

function skipQuoted(text: string, i: number): number {
  const quote = text[i]!;
  for (let j = i + 1; j < text.length; j++) {
    if (quote === '"' && text[j] === '\\') j++;
    else if (text[j] === quote) {
      if (quote === "'" && text[j + 1] === "'") j++;
      else return j;
    }
  }
  return text.length;
}
