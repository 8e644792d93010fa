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
  readonly problems: ApiProblem[];
  /** Counts per kind of thing listed (runs, pipelines, jobs, experiments). */
  readonly listed: Record<string, number>;
}

export const MAX_PAGES = 1000;
