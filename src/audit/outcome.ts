import { succeeded, type AuditEvent } from './event.js';

/**
 * How a request that did not succeed ended, for the timeline and the findings on attempts:
 * `403 denied`, `409 conflict`. Undefined for one that succeeded (a 101 for an exec stream, a 201
 * for a create), so only the exceptions are shown.
 */
export function outcomeOf(event: AuditEvent): string | undefined {
  if (succeeded(event)) return undefined;
  const { code } = event;
  const word = event.decision === 'forbid' || code === 403 ? 'denied' : code !== undefined ? (WORDS.get(code) ?? (code >= 500 ? 'failed' : 'rejected')) : 'rejected';
  return code !== undefined ? `${code} ${word}` : word;
}

/**
 * Whether the API server refused the request before storing anything (a 4xx or an authorizer's
 * `forbid`). A 5xx is not that: a timeout (504) or an error after the write may leave the object
 * stored, and the log does not say which.
 */
export function refused(event: AuditEvent): boolean {
  if (succeeded(event)) return false;
  return event.decision === 'forbid' || (event.code !== undefined && event.code >= 400 && event.code < 500);
}

const WORDS: ReadonlyMap<number, string> = new Map([
  [400, 'bad request'],
  [401, 'unauthenticated'],
  [404, 'not found'],
  [405, 'not allowed'],
  [409, 'conflict'],
  [410, 'gone'],
  [413, 'too large'],
  [422, 'invalid'],
  [429, 'throttled'],
]);
