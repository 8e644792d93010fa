import type { KfguardConfig } from '../core/config-types.js';
import { judgedObjectOf, runRules } from '../core/engine.js';
import { selfExemptionNote } from '../suppress/apply.js';
import type { Rule } from '../core/rule.js';
import type { CoverageEntry, Finding, InputError, RuleError } from '../core/types.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { readArgo } from './argo.js';
import type { ApiAuth } from './http-get.js';
import type { ApiRead } from './job-object.js';
import { readKfp } from './kfp.js';
import { readRay } from './ray.js';
import { reconCallbackFindings } from './recon-callback.js';

export type JobApi = 'kfp' | 'argo' | 'ray';

export interface JobApiTarget {
  readonly api: JobApi;
  readonly url: URL;
}

export interface JobApiHuntOptions {
  readonly targets: readonly JobApiTarget[];
  readonly auth: ApiAuth;
  readonly namespace?: string;
  /** Judge only runs and jobs created at or after this time (ms since the epoch); undated ones are judged. */
  readonly since?: number;
  readonly rules: readonly Rule[];
  readonly config?: KfguardConfig;
  readonly timeoutMs?: number;
}

export interface JobApiHuntResult {
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
  readonly coverage: CoverageEntry[];
  readonly errors: InputError[];
  readonly stats: Record<string, number>;
}

const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * `kfguard hunt`: reads each job API (GET only), then judges what they ran with the object rules
 * unchanged, plus the recon-callback check. An API that cannot be read at all is an input error
 * naming it; the others are still read. A list that fails after the API answered (401/403, a
 * timeout, a TLS error, a page that fails) is a coverage gap, and what was read is still judged.
 */
export async function huntJobApis(options: JobApiHuntOptions): Promise<JobApiHuntResult> {
  const get = { auth: options.auth, timeoutMs: options.timeoutMs ?? 30_000, maxBytes: MAX_ANSWER_BYTES };
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const coverage = new Map<string, CoverageEntry>();
  const errors: InputError[] = [];
  const stats: Record<string, number> = {};
  for (const target of options.targets) {
    let read: ApiRead;
    try {
      read =
        target.api === 'kfp'
          ? await readKfp({ ...get, base: target.url, ...(options.namespace ? { namespace: options.namespace } : {}) })
          : target.api === 'argo'
            ? await readArgo({ ...get, base: target.url, ...(options.namespace ? { namespace: options.namespace } : {}) })
            : await readRay({ ...get, base: target.url });
    } catch (error) {
      const hint = (error as { hint?: string }).hint;
      errors.push({ file: `${target.api} ${target.url.href}`, message: `${(error as Error).message}${hint ? ` (${hint})` : ''}` });
      continue;
    }
    for (const [what, count] of Object.entries(read.listed)) stats[`${target.api} ${what}`] = count;
    for (const problem of read.problems) errors.push({ file: `${target.api} ${target.url.href}`, message: `${problem.endpoint}: ${problem.message}` });
    // A list that failed once the API answered is a gap, as in `scan --cluster`: named in every format, the rest judged.
    for (const gap of read.gaps) coverage.set(`*\u0000api\u0000${target.api} ${target.url.href}\u0000${gap}`, { ruleId: '*', source: 'api', reason: `${target.api} ${target.url.href}: ${gap}` });
    const since = options.since;
    const objects = read.objects.filter(({ origin }) => since === undefined || origin.createdAt === undefined || !(Date.parse(origin.createdAt) < since));
    stats[`${target.api} judged`] = objects.length;
    if (since !== undefined) stats[`${target.api} before --since`] = read.objects.length - objects.length;
    const result = runRules(objects, { rules: options.rules, ...(options.config ? { config: options.config } : {}), podLabelsOf });
    const recon = reconCallbackFindings(objects);
    findings.push(...result.findings.map(withSelfExemptionNote), ...recon.findings);
    ruleErrors.push(...result.ruleErrors);
    for (const entry of [...result.coverage, ...recon.coverage]) coverage.set(`${entry.ruleId}\u0000${entry.source}\u0000${JSON.stringify(entry.resource ?? null)}`, entry);
  }
  return { findings, ruleErrors, coverage: [...coverage.values()], errors, stats };
}

/** Findings on a job that asks, through its own annotations, not to be judged say so (never honoured). */
function withSelfExemptionNote(finding: Finding): Finding {
  const judged = judgedObjectOf(finding);
  const note = judged ? selfExemptionNote(judged, finding.ruleId) : undefined;
  return note ? { ...finding, evidence: [...finding.evidence, note] } : finding;
}
