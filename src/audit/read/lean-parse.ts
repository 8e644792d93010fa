import { isK8sObject } from '../../core/object.js';

/**
 * JSON.parse of an audit line, leaving out the `responseObject` of a create or update that the
 * hunt never reads. A create or update is judged on its `requestObject` (the whole object sent;
 * hunt-log.ts `afterOf`), and at RequestResponse level the API server logs the object a second
 * time as stored, so on a busy log half the parsed bytes, and the garbage they make, were an
 * object nothing looked at.
 *
 * The cut is proven on the text, never guessed: with `A` the text before the candidate
 * `,"responseObject":` and `B` the text from the last `,"requestReceivedTimestamp":"` on,
 * - `{` + B without its comma must parse: B is a run of members that closes exactly one object;
 * - A + B must parse: then A ends right after a whole member of the top-level object (anywhere
 *   else, inside a string, an array or a nested object, B cannot close it; a key named
 *   `responseObject` inside requestObject, responseObject or the annotations is no candidate).
 * The event is then that parse. The line must start in the API server's field order (the same
 * head as skim.ts), where responseObject is followed directly by requestReceivedTimestamp, so the
 * text cut out is the responseObject member alone. What is not checked is that text itself, as a
 * skimmed read's tail is not: a line whose responseObject is corrupt is judged on its
 * requestObject rather than reported malformed. Anything else (no candidate, a patch, another
 * stage, a requestObject that is not a whole object, either parse failing) is parsed whole.
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
  const rest = text.slice(tail);
  try {
    JSON.parse(`{${rest.slice(1)}`);
    const lean = text.slice(0, cut) + rest;
    const value = JSON.parse(lean) as { requestObject?: unknown };
    // The responseObject is read when the requestObject is not a whole object (hunt-log.ts afterOf).
    return isK8sObject(value.requestObject) ? { value, text: lean } : undefined;
  } catch {
    return undefined;
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
