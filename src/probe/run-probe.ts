import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import { coverageReason } from '../core/coverage.js';
import type { RuleMeta } from '../core/rule.js';
import { collect } from '../core/source.js';
import { describeRef } from '../core/object.js';
import type { CoverageEntry, ScannedObject } from '../core/types.js';
import { newSnapshot } from '../k8s/inventory.js';
import { buildReport, type ProbedTarget, type Report } from '../report/report.js';
import { probeFindings } from './findings.js';
import type { ProductFingerprint } from './fingerprints.js';
import { isProbeResult, ProbeSource, type ProbeSourceOptions } from './probe-source.js';
import { applySuppressions } from '../suppress/apply.js';

export interface ProbeRunOptions extends Omit<ProbeSourceOptions, 'fingerprints'> {
  readonly fingerprints: readonly ProductFingerprint[];
  /** The selected rules: findings come only under these ids, and the others are named as not evaluated. */
  readonly rules: readonly RuleMeta[];
  /** Notes from finding the targets (NodePorts without node addresses …). */
  readonly warnings?: readonly string[];
  /** Suppressions come from the config file only: nothing a probed server says can exempt it. */
  readonly config?: KfguardConfig;
  readonly today?: string;
}

export interface ProbeRun {
  readonly report: Report;
  /** The most requests that were in flight at once. */
  readonly peakConcurrency: number;
}

/** Probe source → snapshot → findings under the manifest rules' ids → the report every format renders. */
export async function runProbe(options: ProbeRunOptions): Promise<ProbeRun> {
  const source = new ProbeSource(options);
  const snapshot = newSnapshot();
  const { objects } = await collect([source], snapshot);
  const probeJudged = probeFindings(objects, options.rules, options.fingerprints);
  // No objects are passed: inline `kfguard.io/ignore` annotations are written by whoever made the
  // object, and a probe finding is about an exposure, which its author must not be able to waive.
  const suppressed = applySuppressions(probeJudged, [], options.config ?? DEFAULT_CONFIG, options.today ?? new Date().toISOString().slice(0, 10));
  const findings = suppressed.findings;
  const judged = new Set(options.fingerprints.flatMap((product) => [product.ruleId, ...product.probes.flatMap((p) => (p.alsoWhen ? [p.alsoWhen.ruleId] : []))]));
  const coverage: CoverageEntry[] = options.rules.filter((meta) => !judged.has(meta.id)).map((meta) => ({ ruleId: meta.id, source: 'probe', reason: coverageReason(meta, 'probe') }));
  const probedTargets = objects.flatMap(probedTargetOf);
  return {
    report: buildReport({
      findings,
      inputs: { files: 0, documents: objects.length, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
      errors: source.result.errors,
      coverage,
      warnings: [...(options.warnings ?? []), ...suppressed.warnings],
      extensions: { probedTargets },
    }),
    peakConcurrency: source.limiter.peak,
  };
}

function probedTargetOf(scanned: ScannedObject): ProbedTarget[] {
  if (!isProbeResult(scanned.object)) return [];
  const result = scanned.object.status;
  const openProducts = new Set(result.hits.filter((hit) => hit.kind === 'open').map((hit) => hit.productName));
  const products = [...new Set(result.hits.map((hit) => (openProducts.has(hit.productName) ? `${hit.productName} (open)` : hit.productName)))];
  const detail =
    result.verdict === 'open'
      ? `${result.hits.filter((h) => h.kind === 'open').length} endpoint(s) answered with data`
      : result.verdict === 'protected'
        ? [...new Set(result.authSignals.map((s) => s.signal))].slice(0, 3).join('; ')
        : result.verdict === 'error'
          ? [result.stopped, ...new Set(result.errors.map((e) => e.error))].filter(Boolean).slice(0, 3).join('; ')
          : [`no fingerprint matched${result.stopped ? ` (${result.stopped})` : ''}`, ...new Set(result.errors.map((e) => e.error))].slice(0, 3).join('; ');
  return [
    {
      url: result.url,
      verdict: result.verdict,
      products,
      detail,
      requests: result.requests,
      ...(result.openedBy ? { openedBy: `${describeRef(result.openedBy.resource)} (${result.openedBy.how})` } : {}),
    },
  ];
}
