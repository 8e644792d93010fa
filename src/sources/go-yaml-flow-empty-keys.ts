import { Lexer } from 'yaml';

/**
 * go-yaml (libyaml's parser) reads `?` with an empty key inside a flow SEQUENCE its own way (issue
 * 17, checked with kubectl): after the `?` (state FLOW_SEQUENCE_ENTRY_MAPPING_KEY), a next token
 * that is `:`, `,` or `]` is *skipped* and the key is empty (null); then, if the next token is `:`,
 * it is the value indicator (a node follows unless `,` or `]` does), else the value is empty; then
 * the sequence wants `,` or `]` ("did not find expected ',' or ']'" otherwise). So `[?, ]`,
 * `[? :]`, `[?, : v]` and `[?, , x]` are pairs with a null key (sigs.k8s.io/yaml refuses them unless
 * a later repeat of their key replaces them), while `[?, Null]`, `[? : x]`, `[?]` and `[x, ?, y]`
 * are refused. Flow mappings skip nothing.
 * This maps that onto YAML 1.2 text both readers read alike: each skipped `,`/`:` becomes a blank
 * (`[?, : v]` → `[?  : v]`, an explicit empty key), so offsets and lines never move; where go-yaml
 * refuses, the refusal is returned. A skipped `]` is refused too: the brackets then no longer pair
 * for the `yaml` lexer (`[?] ]`, which go-yaml reads, is the known gap this leaves).
 */
/**
 * Whether some `?` is followed, past blanks, comments and line breaks, by `,`, `:` or `]` (a `? a`
 * costs no lexing). A scan, not a regular expression: the expression took quadratic time on lines
 * of `#?` (each `?` scanned every later comment line: 16,000 lines took 1.1 s). Every `?` is still
 * asked (one inside a quoted scalar or a comment may be followed by a real one), but the walk over
 * blank and comment lines that follows a line is made once and its end reused, and a line's end
 * is found once, so each character is looked at a bounded number of times.
 */
export function hasEmptyFlowKey(text: string): boolean {
  const n = text.length;
  /** The first line break at or after the comment being skipped, kept while later `?`s are on its line. */
  let lineEnd = -1;
  /** A walk over blank and comment lines from walkFrom ended at walkTo, the next content. */
  let walkFrom = -1;
  let walkTo = -1;
  for (let i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) {
    let j = i + 1;
    while (isInlineBlank(text.charCodeAt(j))) j++;
    let c = text.charCodeAt(j);
    if (c === 35 /* # */) {
      if (lineEnd < j) {
        lineEnd = text.indexOf('\n', j);
        if (lineEnd < 0) lineEnd = n;
      }
      // A comment to the end of the text: nothing follows this `?` (a later one in the comment is asked on its own).
      if (lineEnd === n) continue;
      j = lineEnd;
      c = 10;
    }
    if (c === 10) {
      const from = j + 1;
      if (from < walkFrom || from > walkTo) {
        walkFrom = from;
        walkTo = pastBlankAndCommentLines(text, from, n);
      }
      c = text.charCodeAt(walkTo);
    }
    if (c === 44 /* , */ || c === 58 /* : */ || c === 93 /* ] */) return true;
  }
  return false;
}

function isInlineBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/** Where the first content at or after a line start is, past blank lines and comment lines. */
function pastBlankAndCommentLines(text: string, from: number, n: number): number {
  let k = from;
  for (;;) {
    while (isInlineBlank(text.charCodeAt(k))) k++;
    const c = text.charCodeAt(k);
    if (c === 10) k++;
    else if (c === 35 /* # */) {
      const end = text.indexOf('\n', k);
      if (end < 0) return n;
      k = end + 1;
    } else return k;
  }
}

/**
 * A `:` where a sequence's entry starts (`[: 1]`, `[a, : 1]`): go-yaml's scanner makes no key of
 * nothing in a flow collection, so its parser meets the value indicator where a node must start and
 * refuses it ("did not find expected node content"). The `yaml` package reads a pair with an empty key.
 */
export const BARE_VALUE_IN_SEQUENCE = /[[,][ \t\r\n]*:/;
/** Lexer tokens that mark structure but stand for no source text (document start, flow error end, scalar start). */
const MARKER_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

export interface FlowEmptyKeys {
  readonly text: string;
  /** go-yaml's syntax error, with the line (1-based) of the token it stops at. */
  readonly refusal?: { readonly message: string; readonly line: number };
}

const enum State {
  Normal,
  /** After `?` in a sequence: the next token is skipped if `:`, `,` or `]`. */
  AfterKey,
  /** After the skipped token: `:` starts the value; else the pair ends and `,` or `]` must come. */
  AfterSkip,
}

const NODE_REFUSAL = 'did not find expected node content: a `:` where a flow sequence entry starts has no key for go-yaml (kubectl refuses it too)';
const REFUSAL = "did not find expected ',' or ']': go-yaml skips the token after `?` in a flow sequence when it is `:`, `,` or `]` (kubectl refuses it too)";

export function applyFlowEmptyKeys(text: string): FlowEmptyKeys {
  if (!hasEmptyFlowKey(text) && !BARE_VALUE_IN_SEQUENCE.test(text)) return { text };
  const blanks: number[] = [];
  const brackets: string[] = [];
  let state = State.Normal;
  /** The last token go-yaml's parser sees, in State.Normal. */
  let previous = '';
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const at = offset;
    if (!MARKER_TOKENS.has(token)) offset += token.length;
    if (unseen(token, brackets.length > 0)) continue;
    if (state === State.AfterKey) {
      if (token === ']') return refuse(text, at, REFUSAL);
      if (token === ',' || token === ':') {
        blanks.push(at);
        state = State.AfterSkip;
        continue;
      }
      state = State.Normal;
    } else if (state === State.AfterSkip) {
      if (token === ':') {
        state = State.Normal;
        continue;
      }
      if (token !== ',' && token !== ']') return refuse(text, at, REFUSAL);
      state = State.Normal;
    }
    const inSequence = brackets[brackets.length - 1] === '[';
    if (token === ':' && inSequence && (previous === '[' || previous === ',')) return refuse(text, at, NODE_REFUSAL);
    previous = token;
    if (token === '[' || token === '{') brackets.push(token);
    else if (token === ']' || token === '}') brackets.pop();
    else if (token === '?' && inSequence) state = State.AfterKey;
  }
  // The tokens must spell the text again; if they do not, nothing here can be trusted.
  return { text: offset === text.length ? withBlanks(text, blanks) : text };
}

/** The text with a space for the character at each offset (one character each: nothing moves). */
function withBlanks(text: string, blanks: readonly number[]): string {
  let out = '';
  let from = 0;
  for (const blank of blanks) {
    out += `${text.slice(from, blank)} `;
    from = blank + 1;
  }
  return out + text.slice(from);
}

/** Tokens go-yaml's parser does not see: markers, and outside collections all but their start; inside, blanks and comments. */
function unseen(token: string, inFlow: boolean): boolean {
  if (MARKER_TOKENS.has(token) || token === '') return true;
  return inFlow ? isSpace(token) : !isOpening(token);
}

function isOpening(token: string): boolean {
  return token === '[' || token === '{';
}

/** Blanks, line breaks and comments: tokens go-yaml's parser never sees. */
function isSpace(token: string): boolean {
  return token.startsWith('#') || /^[ \t\r\n]+$/.test(token);
}

function refuse(text: string, at: number, message: string): FlowEmptyKeys {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return { text, refusal: { message, line } };
}
