import { isK8sObject } from '../../core/object.js';
import { hasName } from '../created-name.js';

/**
 * JSON.parse of an audit line, leaving out the `responseObject` of a create or update that the
 * hunt never reads (but for its name, when the request let the API server choose it). A create
 * or update is judged on its `requestObject` (the whole object sent; hunt-log.ts `afterOf`), and
 * at RequestResponse level the API server logs the object a second time as stored, so on a busy
 * log half the parsed bytes, and the garbage they make, were an object nothing looked at.
 *
 * The cut is proven on the text, never guessed: with `A` the text before the candidate
 * `,"responseObject":` and `B` the text from the last `,"requestReceivedTimestamp":"` on,
 * - `{` + B without its comma must parse: B is a run of members that closes exactly one object;
 * - A + B must parse: then A ends right after a whole member of the top-level object (anywhere
 *   else, inside a string, an array or a nested object, B cannot close it; a key named
 *   `responseObject` inside requestObject, responseObject or the annotations is no candidate).
 * - the text cut out is one member, `"responseObject":` and one value (a bracket and string scan,
 *   no allocation): a forged line can repeat any top-level key after it (`"requestObject":{…}`),
 *   and JSON.parse keeps the last of repeated keys, so a cut spanning two members would judge
 *   another object than the whole parse;
 * - the parsed event still says `create` or `update` at a judged stage and holds no other
 *   `responseObject`: the head is read before any repeated `verb` or `stage`, which the whole
 *   parse would take instead (a `patch` is judged on its responseObject).
 * The event is then that parse. The line must start in the API server's field order (the same
 * head as skim.ts), where responseObject is followed directly by requestReceivedTimestamp. What is
 * not checked is the cut value's own syntax, as a skimmed read's tail is not: a line whose
 * responseObject is corrupt inside is judged on its requestObject rather than reported malformed.
 * Anything else (no candidate, a patch, another stage, a requestObject that is not a whole object,
 * a check or a parse failing) is parsed whole.
 */
const HEAD = /^\{"kind":"Event","apiVersion":"audit\.k8s\.io\/v1","level":"[A-Za-z]+","auditID":"(?:[^"\\]|\\.)+","stage":"(?:ResponseComplete|Panic)","requestURI":"(?:[^"\\]|\\.)*","verb":"(?:create|update)",/;
const RESPONSE_KEY = ',"responseObject":';
const TAIL_KEY = ',"requestReceivedTimestamp":"';

/**
 * The line's JSON value and the text it was parsed from (the lean text when the cut was made), or
 * undefined when it is not valid JSON. The text is what the hunt keeps of a workload's last state.
 */
export function parseAuditLine(text: string): { value: unknown; text: string } | undefined {
  return leanParse(text) ?? parseWhole(text);
}

/** The value without the responseObject member, or undefined when the cut cannot be proven. */
export function leanParse(text: string): { value: unknown; text: string } | undefined {
  if (!HEAD.test(text)) return undefined;
  const tail = text.lastIndexOf(TAIL_KEY);
  if (tail === -1) return undefined;
  const cut = text.lastIndexOf(RESPONSE_KEY, tail - RESPONSE_KEY.length);
  if (cut === -1) return undefined;
  if (valueEnd(text, cut + RESPONSE_KEY.length, tail) !== tail) return undefined;
  const rest = text.slice(tail);
  try {
    JSON.parse(`{${rest.slice(1)}`);
    const lean = text.slice(0, cut) + rest;
    const value = JSON.parse(lean) as { verb?: unknown; stage?: unknown; requestObject?: unknown; responseObject?: unknown };
    if ((value.verb !== 'create' && value.verb !== 'update') || (value.stage !== 'ResponseComplete' && value.stage !== 'Panic') || value.responseObject !== undefined) return undefined;
    // The responseObject is read when the requestObject is not a whole object (hunt-log.ts afterOf).
    if (!isK8sObject(value.requestObject)) return undefined;
    if (!hasName(value.requestObject)) {
      // A create by generateName: only the stored copy holds the name the API server chose
      // (created-name.ts), so that copy is parsed, from the text cut out (rare: most creates name
      // their object); the check above leaves no other responseObject in A or B. The text stays
      // the lean one: the hunt keeps a named object of its own for such a create (moveWorkload).
      value.responseObject = JSON.parse(text.slice(cut + RESPONSE_KEY.length, tail)) as unknown;
    }
    return { value, text: lean };
  } catch {
    return undefined;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Where the JSON value starting at `start` ends (the index after it), judged by brackets and
 * strings only, scanning no further than `limit`; -1 when it does not end there. A scalar ends at
 * the first comma, quote or bracket. Its syntax is not checked: only that it is one value. A
 * string is skipped with `indexOf` to its next quote (most of an object's bytes are in strings; a
 * character loop over them cost as much as a third of parsing them).
 */
export function valueEnd(text: string, start: number, limit: number): number {
  let i = start;
  if (i >= limit) return -1;
  const first = text.charCodeAt(i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE) {
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === QUOTE || c === OPEN_BRACE || c === CLOSE_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACKET) return i;
    }
    return i;
  }
  let depth = 0;
  while (i < limit) {
    const c = text.charCodeAt(i++);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i === -1 || i > limit) return -1;
      if (depth === 0) return i;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return i;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** The index after the quote closing a string whose text starts at `i`: the next quote after an even run of backslashes. */
function stringEnd(text: string, i: number): number {
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return -1;
    let before = quote - 1;
    while (text.charCodeAt(before) === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** Parse errors are not quoted: V8's messages repeat part of the input, which may hold a secret. */
function parseWhole(text: string): { value: unknown; text: string } | undefined {
  try {
    return { value: JSON.parse(text) as unknown, text };
  } catch {
    return undefined;
  }
}
