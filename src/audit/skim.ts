import { MUTATING_VERBS } from './verbs.js';

/**
 * What a line's first few hundred characters prove about an event no detection reads, so the line
 * need not be parsed: most of a busy log is controllers' get, list and watch, and RequestReceived
 * stages of requests judged at their end. `other-stage`: a stage hunting never judges.
 * `unjudged`: a read (no mutating verb, no subresource) by an identity that is neither anonymous
 * nor impersonated, at a judged stage: `isWorthJudging` would drop it. Both as the parsed event's
 * `isJudgedStage` and `isWorthJudging` would say (test/audit/skim.test.ts holds them together).
 */
export type Skimmed = 'other-stage' | 'unjudged';

/**
 * The API server writes an Event's fields in the order of its Go struct (k8s.io/apiserver
 * pkg/apis/audit/v1 types.go: kind, apiVersion, level, auditID, stage, requestURI, verb, user,
 * impersonatedUser, sourceIPs, userAgent, objectRef, ...). Matching from the opening brace proves
 * each field is the top-level one, whatever a requestObject further on holds: every string is
 * matched whole, escapes included, so no text inside a string can end one early.
 */
const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const HEAD = new RegExp(String.raw`^\{"kind":"Event","apiVersion":"audit\.k8s\.io/v1","level":"[A-Za-z]+","auditID":"(?:[^"\\]|\\.)+","stage":"([A-Za-z]+)","requestURI":${JSON_STRING},"verb":"([a-z]+)",`);
/**
 * The user (its UserInfo fields, in order), with no impersonatedUser after it, then sourceIPs,
 * userAgent and objectRef, each matched as the JSON grammar has it, so the prefix a skim vouches for
 * is valid JSON. The user's and objectRef's strings are taken only without escapes, so the
 * plain-text tests below read their keys and names exactly; anything else is parsed. Every
 * repetition starts with a character that says which branch it takes (`,` or a quote), so a
 * failing match backtracks in linear time (two adjacent `[^...]*` had made a long name quadratic).
 */
const PLAIN = String.raw`"[^"\\]*"`;
const PLAIN_LIST = String.raw`\[(?:${PLAIN}(?:,${PLAIN})*)?\]`;
const USER = String.raw`"username":${PLAIN}(?:,"uid":${PLAIN})?(?:,"groups":${PLAIN_LIST})?(?:,"extra":\{(?:${PLAIN}:${PLAIN_LIST}(?:,${PLAIN}:${PLAIN_LIST})*)?\})?`;
const ACTOR = new RegExp(String.raw`"user":\{(${USER})\},"sourceIPs":\[(?:${JSON_STRING}(?:,${JSON_STRING})*)?\](?:,"userAgent":${JSON_STRING})?,"objectRef":\{((?:${PLAIN}:${PLAIN}(?:,${PLAIN}:${PLAIN})*)?)\}`, 'y');

/**
 * Whether the line can be counted without parsing it; undefined means parse it. A line must also
 * end with its closing brace: a log cut off mid-line is parsed and reported as malformed. What is
 * not checked is the JSON after objectRef (responseStatus, objects, timestamps, annotations), so a read whose tail is corrupt counts as an event, not
 * as a malformed line (nothing there is read by any detection); and a repeated top-level key, which
 * JSON.parse resolves to its last value, is not looked for: the API server never writes one.
 */
export function skimLine(text: string): Skimmed | undefined {
  if (text.charCodeAt(text.length - 1) !== 125 /* } */) return undefined;
  const head = HEAD.exec(text);
  if (!head) return undefined;
  const stage = head[1] as string;
  const verb = head[2] as string;
  if (stage === 'RequestReceived') return 'other-stage';
  if (MUTATING_VERBS.has(verb)) return undefined;
  ACTOR.lastIndex = head[0].length;
  const actor = ACTOR.exec(text);
  if (!actor) return undefined;
  const user = actor[1] as string;
  const objectRef = actor[2] as string;
  // A subresource may be exec or attach, or long-running; the slow path decides those.
  if (objectRef.includes('"subresource":')) return undefined;
  if (user.includes('system:anonymous') || user.includes('system:unauthenticated')) return undefined;
  if (stage === 'ResponseComplete' || stage === 'Panic') return 'unjudged';
  // ResponseStarted is judged for a watch (see isJudgedStage); without a subresource nothing else is.
  return stage === 'ResponseStarted' && verb === 'watch' ? 'unjudged' : 'other-stage';
}
