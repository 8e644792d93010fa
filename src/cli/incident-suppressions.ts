import type { KfguardConfig } from '../core/config-types.js';
import type { Finding } from '../core/types.js';
import { applyConfigSuppressions } from '../suppress/apply.js';
import { applyBaseline, type BaselineFilter } from '../suppress/baseline.js';

/**
 * What `audit` and `hunt` accept as known: the config's `suppressions` and `--baseline`, as in
 * `scan`, but never the judged object's own annotations (see `applyConfigSuppressions`).
 * Suppressed findings stay in the report, marked; only their effect on the exit code goes.
 */
export function suppressIncidentFindings(
  findings: readonly Finding[],
  options: { readonly config: KfguardConfig; readonly baseline: BaselineFilter | undefined; readonly today?: string },
): { readonly findings: Finding[]; readonly warnings: string[] } {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const configured = applyConfigSuppressions(findings, options.config, today);
  return { findings: options.baseline ? applyBaseline(configured.findings, options.baseline) : configured.findings, warnings: configured.warnings };
}
