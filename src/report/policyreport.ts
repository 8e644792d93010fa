import { dump } from 'js-yaml';
import type { Severity } from '../core/severity.js';
import type { Finding, ResourceRef } from '../core/types.js';
import type { Formatter } from './formatter.js';
import { originProperties } from './origin-label.js';
import { probedTargetLine, sortedProbedTargets } from './probed-targets.js';
import type { ProbedTarget, Report } from './report.js';
import { isClusterScoped } from './cluster-scoped.js';
import { terminalSafeFinding, terminalSafeReport } from './terminal-safe.js';

const API_VERSION = 'wgpolicyk8s.io/v1alpha2';
const REPORT_NAME = 'kfguard';
const LABELS = { 'app.kubernetes.io/managed-by': 'kfguard', 'policy.kubernetes.io/engine': 'kfguard' } as const;

type ResultStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

interface PolicyResult {
  readonly policy: string;
  readonly rule: string;
  readonly category?: string;
  readonly severity?: Severity;
  readonly result: ResultStatus;
  readonly scored: boolean;
  readonly source: 'kfguard';
  readonly message?: string;
  readonly resources?: readonly Record<string, string>[];
  readonly properties?: Readonly<Record<string, string>>;
}

/** Low and info findings are advice: Policy Reporter shows `warn` apart from real failures. */
const STATUS: Readonly<Record<Severity, ResultStatus>> = { critical: 'fail', high: 'fail', medium: 'fail', low: 'warn', info: 'warn' };

/**
 * One PolicyReport per namespace and one ClusterPolicyReport for cluster-scoped resources, as a
 * multi-document YAML stream that `kubectl apply -f` takes. Namespaced resources whose manifest
 * names no namespace get a report without one too, so it lands wherever they are applied.
 */
export const policyReportFormatter: Formatter = {
  name: 'policyreport',
  fileExtension: '.yaml',
  render(unsafe) {
    // js-yaml writes bidi overrides and other invisible characters raw: shown as `\uXXXX`, as in
    // the text report (a name holding them is no valid Kubernetes name anyway).
    const report = terminalSafeReport(unsafe);
    const groups = new Map<string, PolicyResult[]>();
    for (const [scope, result] of results(report)) {
      const list = groups.get(scope) ?? [];
      list.push(result);
      groups.set(scope, list);
    }
    const documents = [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([scope, list]) => reportChunks([...list].sort(compareResults)).map((chunk, index) => reportDocument(scope, chunk, index)));
    return documents.map((doc) => `---\n${dump(doc, { lineWidth: -1, noRefs: true })}`).join('');
  },
};

/**
 * The reports for open findings alone (`kfguard watch --write-policyreports`): the same documents
 * the formatter writes for them, one per namespace and a ClusterPolicyReport, split the same way.
 */
export function policyReportsOfFindings(findings: readonly Finding[]): Record<string, unknown>[] {
  const groups = new Map<string, PolicyResult[]>();
  // Escaped as the formatter escapes: `kubectl get policyreport` and dashboards print these strings.
  for (const finding of findings.map(terminalSafeFinding)) {
    const scope = scopeOf(finding.resource);
    groups.set(scope, [...(groups.get(scope) ?? []), findingResult(finding)]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([scope, list]) => reportChunks([...list].sort(compareResults)).map((chunk, index) => reportDocument(scope, chunk, index)));
}

/** A report with the same kind and name as `document` and no results: what is left when all resolved. */
export function emptiedPolicyReport(document: Record<string, unknown>): Record<string, unknown> {
  return { ...document, summary: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }, results: [] };
}

const CLUSTER = '\u0000cluster';
const WARNING_POLICY = 'kfguard-warning';
const PROBE_STATUS: Readonly<Record<ProbedTarget['verdict'], ResultStatus>> = { open: 'fail', error: 'error', protected: 'pass', 'not-found': 'skip' };
const NO_NAMESPACE = '';

function scopeOf(resource: ResourceRef): string {
  if (isClusterScoped(resource.kind)) return CLUSTER;
  return resource.namespace ?? NO_NAMESPACE;
}

function* results(report: Report): Iterable<[string, PolicyResult]> {
  const judged = new Set<string>();
  for (const finding of report.findings) {
    judged.add(evaluationKey(finding.ruleId, finding.resource));
    yield [scopeOf(finding.resource), findingResult(finding)];
  }
  for (const error of report.ruleErrors) {
    if (error.resource) judged.add(evaluationKey(error.ruleId, error.resource));
    const result: PolicyResult = {
      policy: error.ruleId,
      rule: error.ruleId,
      result: 'error',
      scored: true,
      source: 'kfguard',
      message: error.message,
      ...(error.resource ? { resources: [resourceRef(error.resource)] } : {}),
    };
    yield [error.resource ? scopeOf(error.resource) : CLUSTER, result];
  }
  // An unread input is an error result, so the report never reads as all-pass when input was skipped.
  for (const error of report.errors) {
    const result: PolicyResult = {
      policy: 'kfguard-input',
      rule: 'kfguard-input',
      result: 'error',
      scored: true,
      source: 'kfguard',
      message: `${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}`,
    };
    yield [CLUSTER, result];
  }
  // Warnings, the config note first (which file was loaded, which rules it switched off or down),
  // as unscored `warn` results of the cluster-wide report: Policy Reporter and `kubectl get`
  // show results and the summary, so a report that a committed config emptied says so there.
  for (const warning of report.warnings) {
    yield [CLUSTER, { policy: WARNING_POLICY, rule: WARNING_POLICY, result: 'warn', scored: false, source: 'kfguard', message: warning }];
  }
  // `kfguard probe`: every target and its verdict, in the cluster-wide report (a URL has no namespace).
  for (const target of sortedProbedTargets(report) ?? []) {
    const result: PolicyResult = {
      policy: 'kfguard-probe',
      rule: 'kfguard-probe',
      result: PROBE_STATUS[target.verdict],
      scored: true,
      source: 'kfguard',
      message: probedTargetLine(target),
      properties: { url: target.url, verdict: target.verdict, ...(target.openedBy ? { openedBy: target.openedBy } : {}) },
    };
    yield [CLUSTER, result];
  }
  for (const evaluation of report.extensions.evaluations ?? []) {
    const key = evaluationKey(evaluation.ruleId, evaluation.resource);
    if (judged.has(key)) continue;
    judged.add(key);
    const result: PolicyResult = {
      policy: evaluation.ruleId,
      rule: evaluation.ruleId,
      result: 'pass',
      scored: true,
      source: 'kfguard',
      resources: [resourceRef(evaluation.resource)],
    };
    yield [scopeOf(evaluation.resource), result];
  }
}

function findingResult(finding: Finding): PolicyResult {
  const properties: Record<string, string> = { fingerprint: finding.fingerprint };
  if (finding.path !== undefined) properties.path = finding.path;
  if (finding.location) properties.location = `${finding.location.file}:${finding.location.line}:${finding.location.column}`;
  // A cluster, audit, job-API or probe finding has no file: who, when and where, field by field.
  Object.assign(properties, originProperties(finding.origin));
  if (finding.evidence.length > 0) properties.evidence = finding.evidence.join('\n');
  if (finding.mitre.length > 0) properties.mitre = finding.mitre.join(', ');
  properties.remediation = firstParagraph(finding.remediation);
  if (finding.suppression) properties.suppressed = `${finding.suppression.kind}: ${finding.suppression.reason}`;
  return {
    policy: finding.ruleId,
    rule: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    result: finding.suppression ? 'skip' : STATUS[finding.severity],
    scored: true,
    source: 'kfguard',
    message: finding.message,
    resources: [resourceRef(finding.resource)],
    properties,
  };
}

/**
 * etcd refuses a request over 1.5 MiB (its default `--max-request-bytes`, 1,572,864), and the API
 * server stores a report with its metadata and managedFields beside the results. So a namespace
 * with many results is split across several reports (`kfguard`, `kfguard-2`, ...), each holding
 * at most 500 results and at most 1,000,000 bytes of them as JSON. A count alone is not enough:
 * 500 miner findings with long evidence and names came to 1.6 MB, a report no server would store,
 * and so a namespace whose findings all vanished from the dashboard.
 */
const MAX_RESULTS_PER_REPORT = 500;
const MAX_RESULT_BYTES_PER_REPORT = 1_000_000;

function reportChunks(results: readonly PolicyResult[]): PolicyResult[][] {
  const out: PolicyResult[][] = [];
  let current: PolicyResult[] = [];
  let bytes = 0;
  for (const result of results) {
    // Each result is bounded (evidence and messages are capped), so one alone always fits.
    const size = Buffer.byteLength(JSON.stringify(result)) + 1;
    if (current.length > 0 && (current.length >= MAX_RESULTS_PER_REPORT || bytes + size > MAX_RESULT_BYTES_PER_REPORT)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(result);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function reportDocument(scope: string, results: readonly PolicyResult[], part: number): Record<string, unknown> {
  const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const result of results) summary[result.result]++;
  const cluster = scope === CLUSTER;
  const baseName = cluster ? `${REPORT_NAME}-cluster` : REPORT_NAME;
  const name = part === 0 ? baseName : `${baseName}-${part + 1}`;
  const metadata = { name, ...(cluster || scope === NO_NAMESPACE ? {} : { namespace: scope }), labels: LABELS };
  return { apiVersion: API_VERSION, kind: cluster ? 'ClusterPolicyReport' : 'PolicyReport', metadata, summary, results };
}

const STATUS_ORDER: readonly ResultStatus[] = ['error', 'fail', 'warn', 'skip', 'pass'];

function compareResults(a: PolicyResult, b: PolicyResult): number {
  return (
    STATUS_ORDER.indexOf(a.result) - STATUS_ORDER.indexOf(b.result) ||
    a.policy.localeCompare(b.policy) ||
    resourceName(a).localeCompare(resourceName(b)) ||
    (a.properties?.path ?? '').localeCompare(b.properties?.path ?? '')
  );
}

function firstParagraph(markdown: string): string {
  return (markdown.split(/\n\s*\n/)[0] ?? '').replace(/(?<!\s)\s*\n\s*/g, ' ').trim();
}

function resourceName(result: PolicyResult): string {
  const ref = result.resources?.[0];
  return ref ? `${ref.kind}/${ref.name}` : '';
}

function resourceRef(resource: ResourceRef): Record<string, string> {
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    ...(resource.namespace ? { namespace: resource.namespace } : {}),
    name: resource.name,
  };
}

function evaluationKey(ruleId: string, resource: ResourceRef): string {
  return [ruleId, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name].join('\u0000');
}
