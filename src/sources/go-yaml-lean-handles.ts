import { tagStartTest } from './go-yaml-tag-position.js';

/**
 * A named tag handle no `%TAG` declares (`value: !e!s x`), refused on the exact reader's lean path
 * (tagrefuse17, issue 17).
 *
 * kubectl's YAMLReader cuts the stream at `---` lines before go-yaml reads a piece, so a `%TAG` line
 * never reaches the document that uses its handle (the directive's own piece is refused, see
 * go-yaml-directives.ts). go-yaml then refuses the document ("found undefined tag handle"), and so
 * does the full exact reader ("Could not resolve tag: !e!s"), but only after the `yaml` parser read
 * every byte: 1.6–3.3 s of CPU for a 1 MB Pod with the tag in every env item.
 *
 * Here every handle written where a tag may start (go-yaml-tag-position.ts) is rewritten to a local tag of the same length
 * (`!e!s` to `!e_s`: its second `!` becomes `_`), and the lean path reads that text. When it reads it
 * whole (no give-up, no error), the full reader's parse of that text finds no error either, and the
 * original differs from it in tag names only, so the only errors the `yaml` parser finds in the
 * original are its unresolvable tags. It resolves tags as it composes nodes, in document order (a
 * collection's tag before its items: compose-collection.js), and the first error is the one the full
 * reader reports: that of the first rewritten handle js-yaml read as a tag. A handle inside a
 * scalar or comment is no tag and refuses nothing: when none was a tag, the original text is read
 * lean (go-yaml-lean.ts readWithHandles). When the lean path gives up, the full reader reads the
 * document as before.
 */

/** go-yaml's handle characters (scan_tag_handle: letters, digits, `-`, `_`), which the lean path also reads in a tag name. */
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

export interface RewrittenHandles {
  /** The text with each handle's second `!` made `_`: same length, so every offset holds. */
  readonly text: string;
  /** Where each rewritten `!name!suffix` starts. */
  readonly starts: ReadonlySet<number>;
}

/**
 * The text with every `!name!x` that starts where a tag may start rewritten, or undefined when it has
 * none. A handle with an empty name or suffix (`!!x`, `!e! x`) or a third `!` is left alone: the lean
 * path gives up on it and the full reader reports what it reports.
 */
export function rewriteNamedHandles(text: string): RewrittenHandles | undefined {
  let starts: Set<number> | undefined;
  let seconds: number[] | undefined;
  const mayStartTag = tagStartTest(text);
  for (let at = text.indexOf('!'); at !== -1; at = text.indexOf('!', at + 1)) {
    if (!mayStartTag(at)) continue;
    let second = at + 1;
    while (second < text.length && isNameChar(text.charCodeAt(second))) second++;
    if (second === at + 1 || text.charCodeAt(second) !== 33 || !isNameChar(text.charCodeAt(second + 1))) continue;
    (starts ??= new Set()).add(at);
    (seconds ??= []).push(second);
    at = second;
  }
  if (!starts || !seconds) return undefined;
  const parts: string[] = [];
  let from = 0;
  for (const second of seconds) {
    parts.push(text.slice(from, second), '_');
    from = second + 1;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), starts };
}

/** What js-yaml's listener needs of its state. */
interface ListenedNode {
  readonly input: string;
  readonly position: number;
}

/**
 * A js-yaml listener finding the first rewritten handle js-yaml read as a node's tag. Each node opens
 * before its separation space and properties (composeNode's 'open'); on its close, the first `!`
 * past blanks, line breaks, comments and an anchor is its tag. Opens and closes nest.
 */
export class HandleTags {
  private readonly opens: number[] = [];
  /** The least start of a rewritten handle read as a tag. */
  first: number | undefined;

  constructor(private readonly starts: ReadonlySet<number>) {}

  readonly listener = (event: string, state: ListenedNode): void => {
    if (event === 'open') {
      this.opens.push(state.position);
      return;
    }
    const from = this.opens.pop();
    if (from === undefined) return;
    const at = tagStart(state.input, from, state.position);
    if (at !== undefined && this.starts.has(at) && (this.first === undefined || at < this.first)) this.first = at;
  };
}

/** The node's tag in `[from, end)`: past blanks, breaks, comments and anchors, a `!` or nothing. */
function tagStart(input: string, from: number, end: number): number | undefined {
  let i = from;
  while (i < end) {
    const c = input.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35) {
      while (i < end && input.charCodeAt(i) !== 10) i++;
    } else if (c === 38) {
      while (i < end && !isBlank(input.charCodeAt(i))) i++;
    } else return c === 33 ? i : undefined;
  }
  return undefined;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The full reader's message for the handle at `at` of the original text: the `yaml` package names the
 * tag token as written (the lean path read it as a name followed by a blank or line end).
 */
export function undeclaredHandleMessage(text: string, at: number): string {
  let end = at + 1;
  while (end < text.length && !isBlank(text.charCodeAt(end))) end++;
  return `Could not resolve tag: ${text.slice(at, end)}`;
}
