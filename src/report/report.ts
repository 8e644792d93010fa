import { CATEGORIES, type Category, type CoverageEntry, type Finding, type InputError, type InputStats, type RuleError } from '../core/types.js';
import { SEVERITIES, severityRank, type Severity } from '../core/severity.js';
import { VERSION } from '../version.js';
// rbac/ owns the summary's shape; the report only carries it, through a type-only import.
import type { AccessSummaryEntry } from '../rbac/access-summary.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'kfguard'; readonly version: string };
  /** Every finding, suppressed ones included (they carry `suppression`). */
  readonly findings: readonly Finding[];
  readonly summary: ReportSummary;
  readonly inputs: InputStats;
  readonly errors: readonly InputError[];
  readonly ruleErrors: readonly RuleError[];
  /** What was not judged, and why: rules a source cannot feed, objects whose budget ran out. */
  readonly coverage: readonly CoverageEntry[];
  readonly warnings: readonly string[];
  /** Sections other stages add (RBAC access summary, evaluations for JUnit). */
  readonly extensions: ReportExtensions;
}

export interface ReportExtensions {
  readonly accessSummary?: readonly AccessSummaryEntry[];
  readonly evaluations?: readonly { readonly ruleId: string; readonly resource: Finding['resource'] }[];
  /** `kfguard probe`: one line per target, whatever its verdict (findings carry only the open ones). */
  readonly probedTargets?: readonly ProbedTarget[];
  /** `kfguard audit`: what each actor with a finding did, in order. */
  readonly auditTimeline?: readonly TimelineActor[];
  /** `kfguard audit` and `kfguard hunt`: what was read and what was left out, and why. */
  readonly sourceStats?: Readonly<Record<string, number>>;
}

/** What an outside-in probe concluded about one URL. */
export interface ProbedTarget {
  readonly url: string;
  readonly verdict: 'open' | 'protected' | 'not-found' | 'error';
  /** Products whose fingerprint matched, open or only identified. */
  readonly products: readonly string[];
  /** Why it counts as protected, or why it could not be judged. */
  readonly detail: string;
  readonly requests: number;
  /** The scanned object on whose exposure path the URL was found. */
  readonly openedBy?: string;
}

/** One actor of an audit log (a user or service account) and the requests it made. */
export interface TimelineActor {
  readonly actor: string;
  readonly doors: readonly string[];
  readonly sourceIPs: readonly string[];
  readonly userAgents: readonly string[];
  readonly entries: readonly TimelineEntry[];
  /** Requests of this actor not kept (over the per-actor cap). */
  readonly omitted: number;
}

export interface TimelineEntry {
  readonly timestamp: string;
  readonly verb: string;
  /** e.g. `services istio-system/istio-ingressgateway` */
  readonly object: string;
  readonly auditID: string;
  /** Rule and detection ids of the findings this request produced. */
  readonly findings: readonly string[];
  /** How a request that did not succeed ended, e.g. `403 denied`; absent when it succeeded. */
  readonly outcome?: string;
  /** Its response code, when the log has one (with `outcome` only). */
  readonly code?: number;
}

export interface ReportSummary {
  readonly total: number;
  readonly suppressed: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byCategory: Readonly<Record<Category, number>>;
}

export interface ReportInput {
  readonly findings: readonly Finding[];
  readonly inputs: InputStats;
  readonly errors?: readonly InputError[];
  readonly ruleErrors?: readonly RuleError[];
  readonly coverage?: readonly CoverageEntry[];
  readonly warnings?: readonly string[];
  readonly extensions?: ReportExtensions;
}

export function buildReport(input: ReportInput): Report {
  const findings = [...input.findings].sort(compareFindings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'kfguard', version: VERSION },
    findings,
    summary: summarize(findings),
    inputs: input.inputs,
    errors: input.errors ?? [],
    ruleErrors: input.ruleErrors ?? [],
    coverage: input.coverage ?? [],
    warnings: input.warnings ?? [],
    extensions: input.extensions ?? {},
  };
}

export function activeFindings(report: Pick<Report, 'findings'>): readonly Finding[] {
  return report.findings.filter((f) => !f.suppression);
}

function summarize(findings: readonly Finding[]): ReportSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  let suppressed = 0;
  for (const finding of findings) {
    if (finding.suppression) {
      suppressed++;
      continue;
    }
    bySeverity[finding.severity]++;
    byCategory[finding.category]++;
  }
  return { total: findings.length - suppressed, suppressed, bySeverity, byCategory };
}

/** Threats first: an active miner matters more than any misconfiguration. Then severity, then place. */
export function compareFindings(a: Finding, b: Finding): number {
  const threat = Number(b.category === 'threat') - Number(a.category === 'threat');
  if (threat !== 0) return threat;
  const severity = severityRank(b.severity) - severityRank(a.severity);
  if (severity !== 0) return severity;
  const file = (a.location?.file ?? '').localeCompare(b.location?.file ?? '');
  if (file !== 0) return file;
  const line = (a.location?.line ?? 0) - (b.location?.line ?? 0);
  if (line !== 0) return line;
  return a.ruleId.localeCompare(b.ruleId);
}
