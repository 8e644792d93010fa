import type { KfguardConfig } from './core/config-types.js';
import { DEFAULT_CONFIG } from './core/config-types.js';
import { runRules, type EngineResult } from './core/engine.js';
import { buildInventory, type Inventory } from './k8s/inventory.js';
import { BcryptPrefetch } from './bcrypt/bcrypt-prefetch.js';
import { accessSummaryOf } from './rbac/access-summary.js';
import type { Rule } from './core/rule.js';
import type { Finding } from './core/types.js';
import { buildReport, type Report } from './report/report.js';
import { collectManifests, type CollectResult, type ManifestSourceOptions } from './sources/manifest.js';
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

export interface ManifestEvaluation {
  readonly collected: CollectResult;
  readonly inventory: Inventory;
  /** Findings with suppressions applied (suppressed ones kept and marked). */
  readonly findings: Finding[];
  readonly ruleErrors: EngineResult['ruleErrors'];
  readonly evaluations: EngineResult['evaluations'];
  readonly warnings: string[];
}

/**
 * Collect → evaluate → suppress, shared by `scan` and `fix`. Password hashes seen in the input are
 * checked against published defaults on another thread while the files parse and the other rules
 * run; the rules that need those verdicts (`meta.deferred`) run last.
 */
export async function evaluateManifests(options: ManifestScanOptions): Promise<ManifestEvaluation> {
  const config = options.config ?? DEFAULT_CONFIG;
  const prefetch = options.rules.some((rule) => rule.meta.deferred) ? new BcryptPrefetch() : undefined;
  const collected = await collectManifests(prefetch ? { ...options, onText: (text) => prefetch.addText(text) } : options);
  const inventory = buildInventory(collected.objects);
  const engine = { source: 'manifest' as const, config, inventory, recordEvaluations: options.recordEvaluations ?? false };
  const prompt = runRules(collected.objects, { ...engine, rules: options.rules.filter((rule) => !rule.meta.deferred) });
  await prefetch?.settled();
  const deferred = runRules(collected.objects, { ...engine, rules: options.rules.filter((rule) => rule.meta.deferred) });
  const evaluated = mergeResults([prompt, deferred]);
  const suppressed = applySuppressions(evaluated.findings, collected.objects, config, options.today ?? today(), options.knownRuleIds);
  return { collected, inventory, findings: suppressed.findings, ruleErrors: evaluated.ruleErrors, evaluations: evaluated.evaluations, warnings: suppressed.warnings };
}

/** The manifest pipeline: evaluate, then apply the baseline and build the report. */
export async function scanManifests(options: ManifestScanOptions): Promise<Report> {
  const evaluation = await evaluateManifests(options);
  const accessSummary = accessSummaryOf(evaluation.inventory);
  return buildReport({
    findings: options.baseline ? applyBaseline(evaluation.findings, options.baseline) : evaluation.findings,
    inputs: evaluation.collected.stats,
    errors: evaluation.collected.errors,
    ruleErrors: evaluation.ruleErrors,
    warnings: evaluation.warnings,
    extensions: {
      ...(accessSummary ? { accessSummary } : {}),
      ...(options.recordEvaluations ? { evaluations: evaluation.evaluations } : {}),
    },
  });
}

function mergeResults(results: readonly EngineResult[]): EngineResult {
  return {
    findings: results.flatMap((r) => r.findings),
    ruleErrors: results.flatMap((r) => r.ruleErrors),
    evaluations: results.flatMap((r) => r.evaluations),
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
