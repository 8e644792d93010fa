import type { ResponseMatcher } from './fingerprints.js';
import type { HttpAnswer } from './http-client.js';

/** The body as JSON when it is JSON and was read whole; a truncated body is never half-parsed. */
export function jsonOf(answer: HttpAnswer): unknown {
  if (answer.truncated) return undefined;
  const text = answer.body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
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
  if (expected.array === true) return Array.isArray(json);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const record = json as Record<string, unknown>;
  if (expected.keys !== undefined && !expected.keys.every((key) => key in record)) return false;
  if (expected.anyKeys !== undefined && !expected.anyKeys.some((key) => key in record)) return false;
  if (expected.values !== undefined && !Object.entries(expected.values).every(([key, value]) => record[key] === value)) return false;
  return true;
}
