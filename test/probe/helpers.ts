import { shippedFingerprints } from '../../src/probe/fingerprints.js';
import { MAX_BODY_BYTES, MAX_REDIRECTS, type ProbeHttpOptions } from '../../src/probe/http-client.js';
import { runProbe, type ProbeRun } from '../../src/probe/run-probe.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import type { ProbedTarget } from '../../src/report/report.js';
import { ALL_RULES } from '../../src/rules/index.js';

export const HTTP_DEFAULTS: ProbeHttpOptions = {
  timeoutMs: 5000,
  insecure: false,
  headers: {},
  followCrossHost: false,
  maxBodyBytes: MAX_BODY_BYTES,
  maxRedirects: MAX_REDIRECTS,
  userAgent: 'kfguard-probe/test',
};

/** Probes URLs through the real prober, source and findings, as the CLI does. */
export async function probe(
  targets: readonly (string | ProbeTarget)[],
  options: { http?: Partial<ProbeHttpOptions>; concurrency?: number; targetBudgetMs?: number; totalBudgetMs?: number; namespaces?: readonly string[] } = {},
): Promise<ProbeRun> {
  return runProbe({
    targets: targets.map((t) => (typeof t === 'string' ? { url: t } : t)),
    fingerprints: shippedFingerprints(),
    http: { ...HTTP_DEFAULTS, ...options.http },
    concurrency: options.concurrency ?? 8,
    targetBudgetMs: options.targetBudgetMs ?? 30_000,
    totalBudgetMs: options.totalBudgetMs ?? 60_000,
    rules: ALL_RULES.map((rule) => rule.meta),
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
  });
}

export function verdictOf(run: ProbeRun, url: string): ProbedTarget {
  const found = run.report.extensions.probedTargets?.find((t) => t.url === url);
  if (!found) throw new Error(`no probe result for ${url}`);
  return found;
}
