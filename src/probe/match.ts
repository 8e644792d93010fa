import type { ResponseMatcher } from './fingerprints.js';
import type { HttpAnswer } from './http-client.js';

/** The body as JSON when it is JSON and was read whole; a truncated body is never half-parsed. */
export function jsonOf(answer: HttpAnswer): unknown {
  const text = answer.body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  // A busy server's list (Ray jobs, Argo workflows) runs past the body cap; its first entries
  // still show the shape, so the cut body is closed after its last complete value.
  const whole = answer.truncated ? closeTruncatedJson(text) : text;
  if (whole === undefined) return undefined;
  try {
    return JSON.parse(whole) as unknown;
  } catch {
    return undefined;
  }
}

const MAX_JSON_DEPTH = 64;

/**
 * The prefix of a cut JSON text up to its last point where a value ended (a `,` or an opening
 * bracket outside strings), with the brackets still open closed. Only text the server sent is kept.
 */
export function closeTruncatedJson(text: string): string | undefined {
  const open: string[] = [];
  let inString = false;
  let escaped = false;
  let cut: { index: number; closers: string } | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      open.push(c === '{' ? '}' : ']');
      if (open.length > MAX_JSON_DEPTH) return undefined;
      cut = { index: i + 1, closers: [...open].reverse().join('') };
    } else if (c === '}' || c === ']') {
      open.pop();
      if (open.length === 0) return text.slice(0, i + 1);
    } else if (c === ',') cut = { index: i, closers: [...open].reverse().join('') };
  }
  return cut === undefined ? undefined : text.slice(0, cut.index) + cut.closers;
}

/**
 * Whether an answer has the shape a fingerprint describes. Single-page apps answer every path with
 * their HTML shell and a 200, so a JSON matcher needs parsed JSON of the right shape, never just a 200.
 */
export function matches(matcher: ResponseMatcher, answer: HttpAnswer, json: unknown): boolean {
  if (answer.status !== matcher.status || answer.unfollowed !== undefined) return false;
  if (matcher.body !== undefined) {
    const body = answer.body.toLowerCase();
    if (!matcher.body.every((needle) => body.includes(needle.toLowerCase()))) return false;
  }
  const expected = matcher.json;
  if (expected === undefined) return true;
  if (expected.array === true) return Array.isArray(json) && json.slice(0, MAX_ITEMS_CHECKED).every((item) => hasKeys(item, expected.itemKeys ?? []));
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const record = json as Record<string, unknown>;
  if (expected.emptyKeys !== undefined && !expected.emptyKeys.every((key) => isEmpty(record[key]))) return false;
  if (expected.keys !== undefined && !expected.keys.every((key) => key in record)) return false;
  if (expected.anyKeys !== undefined && !expected.anyKeys.some((key) => key in record)) return false;
  if (expected.values !== undefined && !Object.entries(expected.values).every(([key, value]) => record[key] === value)) return false;
  return true;
}

/** Items looked at in a listed answer: the shape shows in the first ones, and the cost stays bounded. */
const MAX_ITEMS_CHECKED = 20;

function hasKeys(item: unknown, keys: readonly string[]): boolean {
  return item !== null && typeof item === 'object' && !Array.isArray(item) && keys.every((key) => key in item);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return value === '' || value === false || value === 0;
}

/** An answer that matched only as an empty list: it shows the product only when something else identified it. */
export function isEmptyListMatch(matcher: ResponseMatcher, json: unknown): boolean {
  return matcher.json?.array === true && Array.isArray(json) && json.length === 0;
}
