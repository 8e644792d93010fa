import type { ApiOrigin, K8sObject } from '../core/types.js';

/** An object a job API returned, ready for the rules, with where it came from in the API's terms. */
export interface ApiObject {
  readonly object: K8sObject;
  readonly origin: ApiOrigin;
}

/** A job API that could be read only in part: listed in the report, never silent. */
export interface ApiProblem {
  readonly endpoint: string;
  readonly message: string;
}

export interface ApiRead {
  readonly objects: ApiObject[];
  /** Objects listed but not judged (a spec unreadable, a referenced version that could not be fetched). */
  readonly problems: ApiProblem[];
  /**
   * Lists that could not be read (whole, or past a page), once the API answered as itself: coverage
   * gaps, as `scan --cluster` names a refused list; what the other lists gave is still judged.
   */
  readonly gaps: string[];
  /** Counts per kind of thing listed (runs, pipelines, jobs, experiments). */
  readonly listed: Record<string, number>;
}

export const MAX_PAGES = 1000;

/** `could not list WHAT: cause (hint)`: the words of a coverage gap, hint included when the error carries one. */
export function listGap(what: string, error: unknown, itemsRead = 0): string {
  const hint = (error as { hint?: string } | undefined)?.hint;
  const message = error instanceof Error ? error.message : String(error);
  const past = itemsRead > 0 ? ` (stopped after ${itemsRead} item(s), which are judged)` : '';
  return `could not list ${what}${past}: ${message}${hint ? ` — ${hint}` : ''}`;
}

/** An error's message with its hint (which flag to pass, which CA to add), for one line. */
export function withHint(error: unknown, separator = ' — '): string {
  const hint = (error as { hint?: string } | undefined)?.hint;
  return `${error instanceof Error ? error.message : String(error)}${hint ? `${separator}${hint}` : ''}`;
}
