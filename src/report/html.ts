import { writesWithoutBody } from './timeline-text.js';
import { unreadSources } from './unread-sources.js';
import { originLabel } from './origin-label.js';
import { atLeast, SEVERITIES, severityRank } from '../core/severity.js';
import { CATEGORIES, type Finding } from '../core/types.js';
import type { Formatter, RenderOptions } from './formatter.js';
import { activeFindings, type Report } from './report.js';
import { ARROWHEAD_DEFS } from './html/attack-path.js';
import { REPORT_SCRIPT } from './html/client.js';
import { escapeHtml, jsonForScript } from './html/escape.js';
import { timelineSection } from './html/timeline.js';
import { probedTargetsSection } from './html/probed-targets.js';
import { accessSection, attackPathFindings, attackPathSection, problemsSection, summarySection } from './html/sections.js';
import { REPORT_CSS } from './html/styles.js';

/** Rows rendered per "show more" step; keeps the DOM small for reports with thousands of findings. */
export const HTML_PAGE_SIZE = 500;

/** Filter value for objects without a namespace; parentheses can't occur in a namespace name. */
export const CLUSTER_SCOPED = '(cluster-scoped)';

/** What the browser script needs of a finding, with short keys to keep big reports small. */
interface ClientFinding {
  readonly index: number;
  readonly sev: string;
  readonly rank: number;
  readonly cat: string;
  readonly rule: string;
  readonly title: string;
  readonly msg: string;
  readonly kind: string;
  readonly ns: string;
  readonly name: string;
  readonly loc: string;
  readonly path: string;
  readonly ev: readonly string[];
  readonly rem: string;
  readonly mitre: readonly string[];
  readonly fp: string;
  readonly sup: { readonly kind: string; readonly reason: string } | null;
  /** Index of the finding's diagram in the attack-path section, or -1. */
  readonly ap: number;
}

function toClient(finding: Finding, index: number, diagramIndex: number): ClientFinding {
  const { location } = finding;
  return {
    index,
    sev: finding.severity,
    rank: severityRank(finding.severity),
    cat: finding.category,
    rule: finding.ruleId,
    title: finding.title,
    msg: finding.message,
    kind: finding.resource.kind,
    ns: finding.resource.namespace ?? '',
    name: finding.resource.name,
    loc: location ? `${location.file}:${location.line}:${location.column}` : (originLabel(finding.origin) ?? ''),
    path: finding.path ?? '',
    ev: finding.evidence,
    rem: finding.remediation,
    mitre: finding.mitre,
    fp: finding.fingerprint,
    sup: finding.suppression ? { kind: finding.suppression.kind, reason: finding.suppression.reason } : null,
    ap: diagramIndex,
  };
}

function options(values: readonly string[], allLabel: string, label: (value: string) => string = (v) => v): string {
  return [`<option value="">${allLabel}</option>`, ...values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(label(v))}</option>`)].join('');
}

function findingsSection(report: Report): string {
  const namespaces = [...new Set(report.findings.map((f) => f.resource.namespace ?? ''))].sort();
  const active = activeFindings(report).length;
  const column = (key: string, label: string): string => `<th data-sort="${key}" scope="col"><button type="button">${label}</button></th>`;
  return `<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
<div class="toolbar" role="search">
<input type="search" id="filter-search" placeholder="Search rule, resource, message, evidence…" aria-label="Search findings">
<select id="filter-severity" aria-label="Severity">${options(SEVERITIES, 'All severities')}</select>
<select id="filter-category" aria-label="Category">${options(CATEGORIES, 'All categories')}</select>
<select id="filter-namespace" aria-label="Namespace">${options(namespaces.map((ns) => ns || CLUSTER_SCOPED), 'All namespaces')}</select>
<label class="check"><input type="checkbox" id="filter-suppressed"> show suppressed (${report.summary.suppressed})</label>
<button type="button" id="clear-filters">Clear</button>
<span class="count" id="visible-count" aria-live="polite" data-total="${active}" data-count="${active}">Showing ${active} of ${active}</span>
</div>
<table id="findings-table">
<thead><tr>${column('severity', 'Severity')}${column('rule', 'Rule')}${column('resource', 'Resource')}${column('namespace', 'Namespace')}${column('location', 'Location')}<th scope="col">Message</th></tr></thead>
<tbody id="finding-rows"><tr><td colspan="6" class="empty">This report needs JavaScript for the findings table; the JSON format holds the same data.</td></tr></tbody>
</table>
<div class="more" id="more-rows" hidden><button type="button">Show more</button></div>
</section>`;
}

function verdict(report: Report, failOn: RenderOptions['failOn']): string {
  const failing = failOn !== 'none' && activeFindings(report).some((f) => atLeast(f.severity, failOn));
  if (failing) return `<span class="verdict fail">fails --fail-on ${failOn}</span>`;
  // Input that was not read is not a pass, whatever the findings say.
  if (report.errors.length > 0 || report.ruleErrors.length > 0) return '<span class="verdict fail">incomplete: not every input was checked</span>';
  if (failOn === 'none') return '<span class="verdict pass">--fail-on none</span>';
  if (writesWithoutBody(report) > 0) return `<span class="verdict fail">not a pass: ${writesWithoutBody(report)} write(s) carried no body and were not judged</span>`;
  if (unreadSources(report) > 0) return `<span class="verdict fail">not a pass: ${unreadSources(report)} source gap(s), what could not be read was not judged</span>`;
  return `<span class="verdict pass">passes --fail-on ${failOn}</span>`;
}

/** Renders the whole report as one self-contained page: inline CSS, inline script, inline SVG, no network. */
export function renderHtml(report: Report, renderOptions: Pick<RenderOptions, 'failOn'>): string {
  const withPaths = attackPathFindings(report);
  const diagramOf = new Map(withPaths.map((f, i) => [f, i]));
  const data = {
    pageSize: HTML_PAGE_SIZE,
    clusterScoped: CLUSTER_SCOPED,
    findings: report.findings.map((f, i) => toClient(f, i, diagramOf.get(f) ?? -1)),
  };
  const { files, documents, skipped, readAs } = report.inputs;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>kfguard report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${ARROWHEAD_DEFS}
<header class="top"><h1>kfguard report</h1><span class="meta">kfguard ${escapeHtml(report.tool.version)} · ${readAs !== undefined ? escapeHtml(readAs) : `${files} file(s), ${documents} document(s), ${skipped} skipped`}</span>${verdict(report, renderOptions.failOn)}</header>
<main>
${summarySection(report)}
${probedTargetsSection(report)}
${attackPathSection(withPaths)}
${findingsSection(report)}
${timelineSection(report)}
${accessSection(report)}
${problemsSection(report)}
</main>
<script type="application/json" id="kfguard-data">${jsonForScript(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

export const htmlFormatter: Formatter = {
  name: 'html',
  fileExtension: '.html',
  render: (report, renderOptions) => renderHtml(report, renderOptions),
};
