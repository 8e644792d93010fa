/**
 * Anchors and aliases in a run of block entries read lean (go-yaml-block-runs.ts, issue 17).
 *
 * A run is read alone, so what binds across its edges must be settled first. go-yaml binds an alias
 * to the last anchor of its name before it. An anchor defined in the run is bound only by aliases in
 * the run: any alias of that name elsewhere in the text (before, after, in a flow collection) keeps
 * the run from being read lean, since the `yaml` parser, not seeing the anchor, would bind it to
 * another one or to none. An alias in the run to an anchor the run does not define names the last
 * anchor before the run: its token is replaced by a mark (a plain scalar no other reading of the
 * same characters gives), and the decoder puts that anchor's value in the mark's place when it
 * splices the run in (go-yaml-decode.ts). Tokens are found by text, over-generously: a `&`/`*`
 * in a quoted string or block scalar counts too, which only keeps a run from being read lean, or
 * leaves a mark inside a longer string, which `marksWhole` refuses.
 */
import { FLOW_PLACEHOLDER } from './go-yaml-flow-regions.js';
import { flowMarkText } from './go-yaml-run-flows.js';
import { applyPendingMerge, type MergeCount, PendingMerge } from './go-yaml-run-merges.js';

export const ALIAS_MARK = '\uE002';

/** The text an alias is replaced by: plain, it reads as `mark(k)`; quoted or in a block scalar it reads otherwise (`\\`, `''`, the trailing space). */
function markText(k: number): string {
  return `${ALIAS_MARK}${k}\\''${ALIAS_MARK} `;
}
const MARK_VALUE = new RegExp(String.raw`^${ALIAS_MARK}(\d+)\\''${ALIAS_MARK}$`);

/** go-yaml's anchor names; anything else is left to the full reader. */
const NAME = /^[0-9A-Za-z_-]+$/;
/** Where an anchor or alias may start (over-generous: `:` and `-` too). */
const BEFORE = new Set([...' \t\r\n[{,:-'].map((c) => c.charCodeAt(0)));
const NAME_END = new Set([...' \t\r\n,[]{}'].map((c) => c.charCodeAt(0)));

interface Token {
  readonly at: number;
  readonly end: number;
  readonly name: string;
  readonly alias: boolean;
}

function tokensIn(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  for (let at = from; at < to; at++) {
    const c = text.charCodeAt(at);
    if ((c !== 38 && c !== 42) || (at > 0 && !BEFORE.has(text.charCodeAt(at - 1)))) continue;
    let end = at + 1;
    while (end < to && !NAME_END.has(text.charCodeAt(end))) end++;
    if (end === at + 1) continue;
    out.push({ at, end, name: text.slice(at + 1, end), alias: c === 42 });
    at = end - 1;
  }
  return out;
}

/** Every alias-like token of the text, by name (and by its go-yaml name, the leading name characters), as offsets. */
export class AliasIndex {
  private readonly byName = new Map<string, number[]>();
  constructor(text: string) {
    if (!text.includes('*')) return;
    for (const token of tokensIn(text, 0, text.length)) {
      if (!token.alias) continue;
      const short = /^[0-9A-Za-z_-]*/.exec(token.name)?.[0] ?? '';
      for (const name of short === token.name || short === '' ? [token.name] : [token.name, short]) {
        const list = this.byName.get(name);
        if (list) list.push(token.at);
        else this.byName.set(name, [token.at]);
      }
    }
  }
  /** Whether an alias of `name` lies outside [start, end). */
  aliasedOutside(name: string, start: number, end: number): boolean {
    return (this.byName.get(name) ?? []).some((at) => at < start || at >= end);
  }
}

export interface PreparedRun {
  /** The run's text with each alias to an anchor before the run replaced by its mark. */
  readonly text: string;
  /** The name of each mark's alias, by the mark's number. */
  readonly aliases: readonly string[];
  /** Where each mark's alias is in the whole text, by the mark's number. */
  readonly offsets: readonly number[];
}

/** The run [start, end) of `text` made ready to read alone, or undefined when it must be left to the parser. */
export function prepareRun(
  text: string,
  start: number,
  end: number,
  index: () => AliasIndex,
  blockText: readonly (readonly [number, number])[] = [],
  /** Alias-like tokens found to be text (a mark read back inside a longer scalar): left as written. */
  literal: ReadonlySet<number> = new Set(),
  /** Where the run's flow collections' placeholders are (go-yaml-run-flows.ts), in order: each becomes flow mark k. */
  flows: readonly number[] = [],
): PreparedRun | undefined {
  const slice = text.slice(start, end);
  const edits = aliasEdits(text, start, end, index, blockText, literal);
  if (!edits) return undefined;
  if (flows.length === 0 && edits.marks.length === 0) return { text: slice, aliases: [], offsets: [] };
  // Flow placeholders and alias tokens never overlap (a token needs its `&` or `*`): merged in offset order.
  const all: (readonly [number, number, string])[] = [...edits.marks, ...flows.map((at, k) => [at, at + FLOW_PLACEHOLDER.length, flowMarkText(k)] as const)];
  if (flows.length > 0 && edits.marks.length > 0) all.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let from = start;
  for (const [at, to, mark] of all) {
    parts.push(text.slice(from, at), mark);
    from = to;
  }
  parts.push(text.slice(from, end));
  return { text: parts.join(''), aliases: edits.aliases, offsets: edits.offsets };
}

/** The run's aliases to anchors before it, each as [offset, end, mark], or undefined when the run must be left to the parser. */
function aliasEdits(
  text: string,
  start: number,
  end: number,
  index: () => AliasIndex,
  blockText: readonly (readonly [number, number])[],
  literal: ReadonlySet<number>,
): { marks: (readonly [number, number, string])[]; aliases: string[]; offsets: number[] } | undefined {
  const none = { marks: [], aliases: [], offsets: [] };
  if (!hasAny(text, start, end)) return none;
  const tokens = tokensIn(text, start, end);
  if (tokens.length === 0) return none;
  const defined = new Map<string, number>();
  for (const token of tokens) {
    if (token.alias) continue;
    if (!NAME.test(token.name)) return undefined;
    if (!defined.has(token.name)) defined.set(token.name, token.at);
  }
  for (const name of defined.keys()) if (index().aliasedOutside(name, start, end)) return undefined;
  const aliases: string[] = [];
  const offsets: number[] = [];
  const marks: (readonly [number, number, string])[] = [];
  let block = 0;
  for (const token of tokens) {
    if (!token.alias) continue;
    // Text of a block scalar (or of what only looks like one: then a real alias there is unknown
    // alone, and the lean reader gives up): left as written. Anchors are counted everywhere.
    while (block < blockText.length && (blockText[block] as readonly [number, number])[1] <= token.at) block++;
    if (block < blockText.length && (blockText[block] as readonly [number, number])[0] <= token.at) continue;
    // Not a go-yaml name (`'a *e'` ends the token at the quote): left as written. Were it an alias,
    // it would name no anchor of the run (those are go-yaml names), and the lean reader gives up.
    if (literal.has(token.at) || !NAME.test(token.name)) continue;
    const first = defined.get(token.name);
    if (first !== undefined) {
      // An alias before the run's own anchor of that name names one outside: left to the parser.
      if (first > token.at) return undefined;
      continue;
    }
    if (text.includes(ALIAS_MARK)) return undefined;
    // A tag or anchor before the alias (`!!str *g`, `&a *g`): go-yaml's "alias node must not specify
    // any properties", where the mark would read as a tagged or anchored string: left to the parser.
    if (propertyBefore(text, token.at)) return undefined;
    marks.push([token.at, token.end, markText(aliases.length)]);
    aliases.push(token.name);
    offsets.push(token.at);
  }
  return { marks, aliases, offsets };
}

/** Whether [start, end) holds a `&` or `*` (no slice made for it). */
function hasAny(text: string, start: number, end: number): boolean {
  const amp = text.indexOf('&', start);
  if (amp >= 0 && amp < end) return true;
  const star = text.indexOf('*', start);
  return star >= 0 && star < end;
}

/** Whether the word before `at` (past spaces and line breaks) may hold a tag or an anchor (`[&a`, `{"x":!t`): over-generous, any `!` or `&` in it. */
function propertyBefore(text: string, at: number): boolean {
  let end = at;
  while (end > 0 && ' \t\r\n'.includes(text[end - 1] as string)) end--;
  let start = end;
  while (start > 0 && !' \t\r\n'.includes(text[start - 1] as string)) start--;
  return /[!&]/.test(text.slice(start, end));
}

/** The mark's number when the value is a whole mark. */
export function markOf(value: string): number | undefined {
  const m = MARK_VALUE.exec(value);
  return m ? Number(m[1]) : undefined;
}

/**
 * The marks found in the reading other than as a whole value (inside a longer string, in a key):
 * their tokens were text (in a quoted or multi-line scalar), or an alias as a key. Empty: each mark
 * stands where its alias stood. `count` marks were made; `count` itself stands for a mark broken up.
 */
export function partialMarks(values: readonly unknown[], count: number): Set<number> {
  const partial = new Set<number>();
  const seen = new Set<object>();
  const inText = (text: string): void => {
    for (let at = text.indexOf(ALIAS_MARK); at !== -1; at = text.indexOf(ALIAS_MARK, at + 1)) {
      const digits = /^\d+/.exec(text.slice(at + 1, at + 12));
      // A mark's opening character and its number; a closing one with no opening before it is a mark broken up.
      if (digits) partial.add(Math.min(Number(digits[0]), count));
      else if (text.lastIndexOf(ALIAS_MARK, at - 1) === -1) partial.add(count);
    }
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes(ALIAS_MARK)) return;
      const k = markOf(value);
      if (k === undefined || k >= count) inText(value);
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof PendingMerge) {
      // Its merged mark is whole (the lean reader made it one); its explicit keys and values are looked at as a mapping's.
      for (const step of value.steps) {
        if (typeof step === 'number') continue;
        if (step[0].includes(ALIAS_MARK)) inText(step[0]);
        visit(step[1]);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else
      {for (const key of Object.keys(value)) {
        if (key.includes(ALIAS_MARK)) inText(key);
        visit((value as Record<string, unknown>)[key]);
      }}
  };
  values.forEach(visit);
  return partial;
}

/**
 * The value with each mark replaced by its anchor's value. Collections holding a mark are copied
 * (key order kept; one copy of a collection shared in the run), the rest kept: the reading itself
 * is read once and spliced in again in a later round, with that round's anchor values.
 */
export function resolveMarks(value: unknown, aliases: readonly string[], valueOf: (name: string) => unknown, copies: Map<object, unknown>, count: MergeCount): unknown {
  if (typeof value === 'string') {
    const k = value.includes(ALIAS_MARK) ? markOf(value) : undefined;
    return k === undefined ? value : valueOf(aliases[k] as string);
  }
  if (typeof value !== 'object' || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (value instanceof PendingMerge) {
    // Applied once however many aliases in the run name it (they share the mapping, as in go-yaml's tree).
    const out = applyPendingMerge(value, (item) => resolveMarks(item, aliases, valueOf, copies, count), (k) => valueOf(aliases[k] as string), count);
    copies.set(value, out);
    return out;
  }
  // Until it is known to change, the collection stands for itself (a run's value holds no cycle).
  copies.set(value, value);
  let out: unknown = value;
  if (Array.isArray(value)) {
    const items = value.map((item) => resolveMarks(item, aliases, valueOf, copies, count));
    if (items.some((item, i) => item !== value[i])) out = items;
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const items = keys.map((key) => resolveMarks(record[key], aliases, valueOf, copies, count));
    if (items.some((item, i) => item !== record[keys[i] as string])) {
      const copy: Record<string, unknown> = {};
      // defineProperty: a key such as `__proto__` stays a key, as in the reading.
      keys.forEach((key, i) => Object.defineProperty(copy, key, { value: items[i], writable: true, enumerable: true, configurable: true }));
      out = copy;
    }
  }
  copies.set(value, out);
  return out;
}
