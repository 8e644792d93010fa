/**
 * Line rules the flow reader (go-yaml-flow-read.ts) shares between collections and multi-line
 * scalars. Inside `[…]`/`{…}` go-yaml v2 (libyaml's scanner) takes any line break and indentation,
 * tabs included; YAML 1.2 (the `yaml` package the reader stands in for) wants every continuation
 * line indented past the block it sits in and no tab in that indentation. The reader takes the
 * lines on which both agree: indented by more spaces than the line the collection opens on, tabs
 * only after those spaces. Anything else is left to the `yaml` parser.
 */

/** Space or tab: a blank for both YAML versions inside a flow collection. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** A blank, a line break or the end of the text: what must follow `:` (value indicator), an anchor or a tag. */
export function isBlankOrBreak(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || Number.isNaN(c);
}

/**
 * The line starting at `from` (just past a line break) may continue a flow collection or scalar:
 * blank (only spaces and tabs), or indented by more than `lineIndent` spaces with any tab after them.
 */
export function continuationLineOk(text: string, from: number, lineIndent: number): boolean {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  const spaces = i - from;
  if (text.charCodeAt(i) === 9) {
    if (spaces <= lineIndent) return false;
    while (isBlank(text.charCodeAt(i))) i++;
  }
  if (text.charCodeAt(i) === 10) return true;
  return spaces > lineIndent && i < text.length;
}

/**
 * libyaml's folding of the line breaks inside a flow scalar (plain or quoted): the blanks around
 * them are dropped, one break alone becomes a space, n breaks become n - 1 newlines.
 */
export function foldBreaks(breaks: number): string {
  return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
}

/**
 * From a blank or a line break at `from`, past the run of blanks and breaks: where it ends and how
 * many breaks it holds; undefined when a line in it may not continue the collection, or when it
 * holds a break and `lineIndent` is undefined (a token that must stay on its line).
 */
export function blankRun(text: string, from: number, lineIndent: number | undefined): { end: number; breaks: number } | undefined {
  let i = from;
  let breaks = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) i++;
    else if (c === 10) {
      if (lineIndent === undefined || !continuationLineOk(text, i + 1, lineIndent)) return undefined;
      breaks++;
      i++;
    } else return { end: i, breaks };
  }
}
