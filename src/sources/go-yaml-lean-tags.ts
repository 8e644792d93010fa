import yaml from 'js-yaml';
import { SLASH_ESCAPE_REFUSAL } from './go-yaml-flow-tokens.js';
import { tagAloneReadsAlike } from './go-yaml-lean-tag-alone.js';
import { tagStartTest } from './go-yaml-tag-position.js';
import { TAG_PREFIX, taggedScalarValue } from './go-yaml-tags.js';
import { ExactDecodeError, type ValueSink } from './go-yaml-values.js';

/**
 * Tags and go-yaml's refusals on the exact reader's lean path (go-yaml-lean.ts, tags17, issue 17).
 * One `!!int`, `!foo` or `.inf` beside a megabyte of YAML 1.1 booleans sent the whole document to the
 * full exact reader (1.3–1.8 s of `yaml`-package work per MB). js-yaml reads any tag through
 * `multi` types whose tag prefix is empty; a tagged scalar's value is then go-yaml's, from the same
 * go-yaml-tags.ts the full reader uses: `!!int "7"` is 7, `!foo x` is "x", `!!binary` is decoded,
 * and a tag on a collection changes nothing (kubectl: `!!str {a: b}` is {a: b}). What go-yaml
 * refuses (`!!int abc`) is kept as the first error in document order and thrown only once the rest
 * of the document read lean, so that anything the full reader would meet first (a syntax error, an
 * unknown anchor, a bad merge) still sends the document to it. Notes (`!!binary` that is not UTF-8)
 * and kubectl's refusals (`.inf`, `\/`) are kept in document order, as the full reader's walk
 * makes them.
 */

/** What tagged and refused scalars of one lean read leave: the full reader's notes, refusal and first error. */
export class LeanScalarSink implements ValueSink {
  readonly notes: string[] = [];
  refuses: string | undefined;
  error: ExactDecodeError | undefined;
  /** A quoted scalar goes on over a line indented no deeper than its first: the full reader notes it. */
  shallow = false;
  /** Where each scalar that left a note ended: js-yaml constructs an anchored scalar twice (first as a possible key). */
  private readonly noted = new Set<number>();

  /** Runs `read` for the scalar ending at `end`, keeping its notes once and its error if it is the first. */
  construct<T>(end: number, read: (sink: ValueSink) => T): T | typeof DECODE_FAILED {
    const notes: string[] = [];
    const sink: ValueSink = { notes, refuses: undefined };
    let value: T | typeof DECODE_FAILED;
    try {
      value = read(sink);
    } catch (error) {
      if (!(error instanceof ExactDecodeError)) throw error;
      this.error ??= error;
      value = DECODE_FAILED;
    }
    this.refuses ??= sink.refuses;
    if (notes.length > 0 && !this.noted.has(end)) {
      this.noted.add(end);
      this.notes.push(...notes);
    }
    return value;
  }
}

/** A scalar go-yaml refuses to decode: the document is refused; as a key it is a text no YAML holds. */
export const DECODE_FAILED = Object.freeze({
  get [Symbol.toStringTag](): string {
    return 'DecodeFailed';
  },
  toString: (): string => '\u0000failed',
});

export const MERGE_TAG = `${TAG_PREFIX}merge`;
export const FLOAT_TAG = `${TAG_PREFIX}float`;

/**
 * js-yaml types for every tag the failsafe schema does not name (`!!str`, `!!map` and `!!seq` on
 * their own kinds are its own, and read as go-yaml reads them): a scalar's value comes from
 * `scalar`, a collection stays as it is.
 */
export function anyTagTypes(scalar: (text: string, tag: string) => unknown): yaml.Type[] {
  return [
    new yaml.Type('', { kind: 'scalar', multi: true, construct: (data: string | null, tag?: string) => scalar(data ?? '', tag ?? '') }),
    new yaml.Type('', { kind: 'mapping', multi: true, construct: (data: unknown) => data ?? {} }),
    new yaml.Type('', { kind: 'sequence', multi: true, construct: (data: unknown) => data ?? [] }),
  ];
}

/** The value go-yaml gives a tagged scalar (go-yaml-tags.ts), errors and notes into `sink`. */
export function taggedValue(text: string, tag: string, sink: ValueSink): unknown {
  return taggedScalarValue(tag, false, text, sink);
}

/**
 * Every tag in `read` is one the lean path reads as go-yaml does: `!` (non-specific), `!!name` or
 * `!name` with a name of letters, digits, `-` and `_`, then a blank and the tagged node's first
 * character on the same line, or alone on its line before a node that reads alike
 * (go-yaml-lean-tag-alone.ts). Left to the full reader: an empty tagged node (`[!!int ]`: js-yaml gives `!!map` an
 * empty mapping, go-yaml an empty string), a tag on an alias (go-yaml: "did not find expected key"),
 * on a flow collection's placeholder, `!!merge` (a merge key whatever its text), verbatim `!<…>`,
 * named handles, and a tag glued to `,`, `[` or `]`, which go-yaml takes into the tag's name.
 */
export function tagsReadAlike(read: string, placeholder: string): boolean {
  const mayStartTag = tagStartTest(read);
  for (let at = read.indexOf('!'); at !== -1; at = read.indexOf('!', at + 1)) {
    if (!mayStartTag(at)) continue;
    const secondary = read.charCodeAt(at + 1) === 33;
    const from = at + (secondary ? 2 : 1);
    let end = from;
    while (end < read.length && isNameChar(read.charCodeAt(end))) end++;
    if (secondary && (end === from || read.startsWith('merge', from) && end === from + 5)) return false;
    const after = read.charCodeAt(end);
    if (after !== 32 && after !== 9 && after !== 10 && after !== 13) return false;
    let next = end;
    while (read.charCodeAt(next) === 32 || read.charCodeAt(next) === 9) next++;
    const alone = next >= read.length || NOT_A_NODE_START.has(read.charCodeAt(next)) || read[next] === placeholder;
    if (alone && !tagAloneReadsAlike(read, at, end, placeholder)) return false;
    at = end;
  }
  return true;
}

/** After a tag: a line end or comment (the node is on a later line or empty), an empty node in flow, an alias, more properties. */
const NOT_A_NODE_START = new Set([...'\r\n#,]}*&!'].map((c) => c.charCodeAt(0)));

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

/**
 * A js-yaml listener for what the full reader says about quoted scalars and js-yaml does not: a
 * double-quoted scalar holding `\/` (js-yaml and the full reader read `/`; go-yaml v2 refuses it,
 * kubectl: "found unknown escape character", which the full reader reports as kubectl's refusal),
 * and a quoted scalar going on over a line indented no deeper than the line it starts on (go-yaml
 * and js-yaml read it, the full reader adds a note): that one is left to the full reader
 * (`shallow` set). Nodes open and close nested, so the start of each is on a stack.
 */
export function quotedScalarListener(sink: LeanScalarSink): (event: string, state: { readonly input: string; readonly position: number; readonly kind: string | null }) => void {
  const starts: number[] = [];
  return (event, state) => {
    if (event === 'open') {
      starts.push(state.position);
      return;
    }
    const start = starts.pop() ?? 0;
    if (state.kind !== 'scalar') return;
    const input = state.input;
    const first = scalarStart(input, start, state.position);
    const quote = input.charCodeAt(first);
    if (quote !== 34 && quote !== 39) return;
    const end = state.position;
    const lineEnd = input.indexOf('\n', first);
    if (lineEnd !== -1 && lineEnd < end && continuesShallow(input, first, lineEnd, end)) sink.shallow = true;
    if (quote === 34 && sink.refuses === undefined && holdsBackslashSlash(input, first, end) && SLASH_ESCAPE.test(input.slice(first, end))) {
      sink.refuses = SLASH_ESCAPE_REFUSAL;
    }
  };
}

/** A line of the scalar after its first holding text indented no deeper than the first line. */
function continuesShallow(input: string, first: number, lineEnd: number, end: number): boolean {
  const lineStart = input.lastIndexOf('\n', first) + 1;
  const indent = indentation(input, lineStart);
  for (let at = lineEnd + 1; at < end; ) {
    const own = indentation(input, at);
    const c = input.charCodeAt(at + own);
    if (at + own < end && c !== 10 && c !== 13 && own <= indent) return true;
    const next = input.indexOf('\n', at);
    if (next === -1) break;
    at = next + 1;
  }
  return false;
}

function indentation(input: string, lineStart: number): number {
  let i = lineStart;
  while (input.charCodeAt(i) === 32) i++;
  return i - lineStart;
}

/**
 * `\/` somewhere in `[first, end)`. Bounded by the scalar's end: an unbounded `indexOf` ran to the
 * next `\/` in the document (its end, usually) for every double-quoted scalar, which was quadratic,
 * and slowest where backslashes are many (quoted U+2028, each rewritten as `\L`: 5 s per MB, issue 17).
 */
function holdsBackslashSlash(input: string, first: number, end: number): boolean {
  for (let i = first + 1; i < end - 1; i++) if (input.charCodeAt(i) === 92 && input.charCodeAt(i + 1) === 47) return true;
  return false;
}

/** `\/` after an even number of backslashes: the escape itself, not an escaped backslash before `/`. */
const SLASH_ESCAPE = /(?<!\\)(?:\\\\)*\\\//;

/** The first character of a node's own text: past blanks, line breaks, comments and properties (`!tag`, `&anchor`). */
function scalarStart(input: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = input.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35) {
      while (i < end && input.charCodeAt(i) !== 10) i++;
    } else if (c === 33 || c === 38) {
      while (i < end && !BLANK_OR_BREAK.has(input.charCodeAt(i))) i++;
    } else return i;
  }
  return i;
}

const BLANK_OR_BREAK = new Set([32, 9, 10, 13]);
