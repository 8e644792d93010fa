import type { KfguardConfig } from './core/config-types.js';
import { DEFAULT_CONFIG } from './core/config-types.js';
import { runRules } from './core/engine.js';
import type { Rule } from './core/rule.js';
import { buildReport, type Report } from './report/report.js';
import { collectManifests, type ManifestSourceOptions } from './sources/manifest.js';
import { applySuppressions } from './suppress/apply.js';

export interface ManifestScanOptions extends ManifestSourceOptions {
  readonly rules: readonly Rule[];
  readonly config?: KfguardConfig;
  readonly recordEvaluations?: boolean;
  readonly today?: string;
}

/** The manifest pipeline: collect → evaluate → suppress → report. */
export async function scanManifests(options: ManifestScanOptions): Promise<Report> {
  const config = options.config ?? DEFAULT_CONFIG;
  const collected = await collectManifests(options);
  const evaluated = runRules(collected.objects, {
    rules: options.rules,
    source: 'manifest',
    config,
    recordEvaluations: options.recordEvaluations ?? false,
  });
  const suppressed = applySuppressions(evaluated.findings, collected.objects, config, options.today ?? today());
  return buildReport({
    findings: suppressed.findings,
    inputs: collected.stats,
    errors: collected.errors,
    ruleErrors: evaluated.ruleErrors,
    warnings: suppressed.warnings,
    extensions: options.recordEvaluations ? { evaluations: evaluated.evaluations } : {},
  });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
