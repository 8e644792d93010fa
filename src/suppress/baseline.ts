import type { Finding } from '../core/types.js';
import { resourceKey } from './resource-glob.js';

export const BASELINE_VERSION = 1;

export interface Baseline {
  readonly kfguardBaseline: typeof BASELINE_VERSION;
  readonly createdAt: string;
  readonly findings: readonly { readonly fingerprint: string; readonly ruleId: string; readonly resource: string }[];
}

/** A loaded baseline, ready to mark known findings. */
export interface BaselineFilter {
  readonly fingerprints: ReadonlySet<string>;
  /** Shown in the suppression reason, e.g. the file name. */
  readonly label: string;
}

/**
 * Records what a scan found so later scans report only what is new. Findings suppressed inline or
 * in config are left out: they are accepted elsewhere, and keeping them would hide their expiry.
 */
export function createBaseline(findings: readonly Finding[], createdAt: string): Baseline {
  const entries = new Map<string, Baseline['findings'][number]>();
  for (const finding of findings) {
    if (finding.suppression && finding.suppression.kind !== 'baseline') continue;
    entries.set(finding.fingerprint, { fingerprint: finding.fingerprint, ruleId: finding.ruleId, resource: resourceKey(finding.resource) });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => a.ruleId.localeCompare(b.ruleId) || a.resource.localeCompare(b.resource) || a.fingerprint.localeCompare(b.fingerprint),
  );
  return { kfguardBaseline: BASELINE_VERSION, createdAt, findings: sorted };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Marks findings already in the baseline as suppressed, so only new ones count. */
export function applyBaseline(findings: readonly Finding[], filter: BaselineFilter): Finding[] {
  return findings.map((finding) =>
    finding.suppression || !filter.fingerprints.has(finding.fingerprint)
      ? finding
      : { ...finding, suppression: { kind: 'baseline', reason: `in baseline ${filter.label}` } },
  );
}
