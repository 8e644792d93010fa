import { dropRenderDuplicates } from './core/render-duplicates.js';
import type { KfguardConfig } from './core/config-types.js';
import { DEFAULT_CONFIG } from './core/config-types.js';
import { runRules, type EngineOptions, type EngineResult } from './core/engine.js';
import { collect } from './core/source.js';
import { JudgeAhead } from './core/judge-ahead.js';
import { unreadKindsOf } from './core/unread-kinds.js';
import type { Inventory } from './core/inventory.js';
import { newSnapshot, podLabelsOf } from './k8s/inventory.js';
import { locate } from './sources/locate.js';
import { BcryptPrefetch } from './bcrypt/bcrypt-prefetch.js';
import { documentedDefaultPasswords, MAX_VERIFIED_HASHES, publishedDefaultHashes } from './platforms/default-passwords.js';
import { accessSummaryOf } from './rbac/access-summary.js';
import type { Rule } from './core/rule.js';
import type { CoverageEntry, Finding, InputError, InputStats, ScannedObject } from './core/types.js';
import type { Source } from './core/source.js';
import { buildReport, type Report } from './report/report.js';
import type { CollectResult, ManifestSourceOptions } from './sources/manifest.js';
import { ManifestSource } from './sources/manifest-source.js';
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
  /** Read this source (a live cluster) instead of the files in `paths`. */
  readonly source?: BatchSource;
  /**
   * With `source`: judge objects while it is still being read (default true). Off gives the same
   * report; the differential tests compare the two.
   */
  readonly judgeAhead?: boolean;
  /** Tests and benches: told of the judge used ahead, to read its tally. */
  readonly onJudgeAhead?: (judge: JudgeAhead) => void;
  /** Objects judged so far, of how many (a progress display); by the rules that do not wait for bcrypt, nearly all the work. */
  readonly onObjectJudged?: (judged: number, total: number) => void;
}

/** A source other than files: once drained, what it read and which gaps the report must name. */
export interface BatchSource extends Source {
  readonly result: { readonly errors: InputError[]; readonly stats: InputStats; readonly coverage: readonly CoverageEntry[] };
}

export interface ManifestEvaluation {
  readonly collected: CollectResult;
  readonly inventory: Inventory;
  /** Findings with suppressions applied (suppressed ones kept and marked). */
  readonly findings: Finding[];
  readonly ruleErrors: EngineResult['ruleErrors'];
  readonly evaluations: EngineResult['evaluations'];
  readonly coverage: EngineResult['coverage'];
  readonly warnings: string[];
}

/**
 * Sources → snapshot → rules → suppressions, shared by `scan` and `fix`. Password hashes seen in
 * the input are checked against published defaults on another thread while the files parse and the
 * other rules run; the rules whose cost is `expensive` (they need those verdicts) run last.
 */
export async function evaluateManifests(options: ManifestScanOptions): Promise<ManifestEvaluation> {
  const config = options.config ?? DEFAULT_CONFIG;
  const expensive = (rule: Rule): boolean => rule.meta.needs.cost === 'expensive';
  const prefetch = options.rules.some(expensive)
    ? new BcryptPrefetch({ passwords: documentedDefaultPasswords(), knownHashes: publishedDefaultHashes(), maxHashes: MAX_VERIFIED_HASHES })
    : undefined;
  const source = options.source ?? new ManifestSource(prefetch ? { ...options, onText: (text) => prefetch.addText(text) } : options);
  const snapshot = newSnapshot();
  const promptRules = options.rules.filter((rule) => !expensive(rule));
  const sourceLocate = source.locate ?? locate;
  // A source read from the network (a cluster) leaves this thread idle between pages: its objects
  // are judged then by the rules that need nothing else, and the verdicts replayed below.
  const ahead = options.source && options.judgeAhead !== false && promptRules.length > 0 ? new JudgeAhead({ config, locate: sourceLocate, rules: promptRules }) : undefined;
  if (ahead) options.onJudgeAhead?.(ahead);
  const { objects } = await collect([source], snapshot, ahead);
  // Another source has no files: its objects live in the snapshot, its gaps join the coverage.
  const collected: CollectResult = options.source ? { objects: [], errors: options.source.result.errors, stats: options.source.result.stats } : (source as ManifestSource).result;
  const sourceCoverage = options.source?.result.coverage ?? collected.coverage ?? [];
  const unreadKinds = unreadKindsOf(sourceCoverage);
  const engine = { config, inventory: snapshot, locate: sourceLocate, recordEvaluations: options.recordEvaluations ?? false, ...(unreadKinds.size > 0 ? { unreadKinds } : {}) };
  const prompt = runRules(objects, { ...engine, rules: promptRules, ...(ahead ? { prejudged: ahead } : {}), ...(options.onObjectJudged ? { onObjectJudged: options.onObjectJudged } : {}) });
  await prefetch?.settled();
  const deferred = runRules(objects, { ...engine, rules: options.rules.filter(expensive) });
  const evaluated = mergeResults([prompt, deferred]);
  const suppressed = applySuppressions(dropRenderDuplicates(evaluated.findings), objects, config, options.today ?? today(), options.knownRuleIds);
  return {
    collected,
    inventory: snapshot,
    findings: suppressed.findings,
    ruleErrors: evaluated.ruleErrors,
    evaluations: evaluated.evaluations,
    coverage: [...sourceCoverage, ...evaluated.coverage],
    warnings: suppressed.warnings,
  };
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
    coverage: evaluation.coverage,
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
    coverage: results.flatMap((r) => r.coverage),
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The engine with kfguard's workload shapes and file locations, for callers that hold objects
 * rather than sources (tests, tools).
 */
export function judgeObjects(objects: readonly ScannedObject[], options: Omit<EngineOptions, 'podLabelsOf' | 'locate'>): EngineResult {
  return runRules(objects, { podLabelsOf, locate, ...options });
}
