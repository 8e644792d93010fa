import type { KfguardConfig } from './core/config-types.js';
import { DEFAULT_CONFIG } from './core/config-types.js';
import { runRules } from './core/engine.js';
import { buildInventory } from './k8s/inventory.js';
import { BcryptPrefetch } from './posture/bcrypt-prefetch.js';
import { accessSummaryOf } from './rbac/access-summary.js';
import type { Rule } from './core/rule.js';
import { buildReport, type Report } from './report/report.js';
import { collectManifests, type ManifestSourceOptions } from './sources/manifest.js';
import { applySuppressions } from './suppress/apply.js';
import { applyBaseline, type BaselineFilter } from './suppress/baseline.js';

export interface ManifestScanOptions extends ManifestSourceOptions {
  readonly rules: readonly Rule[];
  readonly config?: KfguardConfig;
  readonly recordEvaluations?: boolean;
  readonly today?: string;
  /** Findings already in this baseline are marked suppressed, so only new ones count. */
  readonly baseline?: BaselineFilter;
  /** Every rule id kfguard ships (not only the selected ones), to flag typos in ignore annotations. */
  readonly knownRuleIds?: readonly string[];
}

/** The manifest pipeline: collect → evaluate → suppress → report. */
export async function scanManifests(options: ManifestScanOptions): Promise<Report> {
  const config = options.config ?? DEFAULT_CONFIG;
  const prefetch = options.rules.some((rule) => rule.meta.id === 'dex-default-static-password') ? new BcryptPrefetch() : undefined;
  const collected = await collectManifests(prefetch ? { ...options, onText: (text) => prefetch.addText(text) } : options);
  await prefetch?.settled();
  const inventory = buildInventory(collected.objects);
  const evaluated = runRules(collected.objects, {
    inventory,
    rules: options.rules,
    source: 'manifest',
    config,
    recordEvaluations: options.recordEvaluations ?? false,
  });
  const accessSummary = accessSummaryOf(inventory);
  const suppressed = applySuppressions(evaluated.findings, collected.objects, config, options.today ?? today(), options.knownRuleIds);
  return buildReport({
    findings: options.baseline ? applyBaseline(suppressed.findings, options.baseline) : suppressed.findings,
    inputs: collected.stats,
    errors: collected.errors,
    ruleErrors: evaluated.ruleErrors,
    warnings: suppressed.warnings,
    extensions: {
      ...(accessSummary ? { accessSummary } : {}),
      ...(options.recordEvaluations ? { evaluations: evaluated.evaluations } : {}),
    },
  });
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
