import { describeRef } from '../../core/object.js';
import { SEVERITIES } from '../../core/severity.js';
import { CATEGORIES, type Finding } from '../../core/types.js';
import type { Report } from '../report.js';
import { renderAttackPathSvg } from './attack-path.js';
import { escapeHtml } from './escape.js';
import { escapeForTerminal } from '../terminal-safe.js';

export function summarySection(report: Report): string {
  const { summary } = report;
  const cards = [
    `<div class="card total"><div class="n" id="summary-total">${summary.total}</div><div class="l">active findings</div></div>`,
    ...SEVERITIES.map(
      (s) => `<div class="card ${s}"><div class="n" data-severity="${s}">${summary.bySeverity[s]}</div><div class="l">${s}</div></div>`,
    ),
    `<div class="card suppressed"><div class="n">${summary.suppressed}</div><div class="l">suppressed</div></div>`,
  ];
  const largest = Math.max(1, ...CATEGORIES.map((c) => summary.byCategory[c]));
  const bars = CATEGORIES.map((c) => {
    const count = summary.byCategory[c];
    const width = ((count / largest) * 100).toFixed(1);
    return `<div class="c">${c}</div><div class="bar-track"><div class="bar" style="width:${width}%"></div></div><div class="v" data-category="${c}">${count}</div>`;
  });
  const threats = summary.byCategory.threat;
  const banner =
    threats > 0
      ? `<div class="threat-banner" role="alert">▲ ${threats} finding(s) look like crypto-mining or an intrusion in progress. Read them first.</div>`
      : '';
  return `<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><div class="cards">${cards.join('')}</div>${banner}<div class="bars" aria-label="findings by category">${bars.join('')}</div></section>`;
}

/** Exposure findings that carry hops, numbered so the findings table can reuse the same diagram. */
export function attackPathFindings(report: Report): readonly Finding[] {
  return report.findings.filter((f) => !f.suppression && f.attackPath !== undefined && f.attackPath.length > 0);
}

/** The worst few paths stay open; the rest fold away so the findings table stays near the top. */
const PATHS_SHOWN_OPEN = 4;

export function attackPathSection(withPaths: readonly Finding[]): string {
  if (withPaths.length === 0) return '';
  const cards = withPaths.map((finding, index) => {
    const caption = `Attack path to ${describeRef(finding.resource)}`;
    return [
      `<div class="path-card edge-${finding.severity}">`,
      `<h3><span class="sev sev-${finding.severity}">${finding.severity}</span> ${escapeHtml(describeRef(finding.resource))} <span class="note mono">${escapeHtml(finding.ruleId)}</span></h3>`,
      `<p class="msg">${escapeHtml(finding.message)}</p>`,
      `<div class="diagram" id="attack-path-${index}">${renderAttackPathSvg(finding.attackPath ?? [], caption)}</div>`,
      `</div>`,
    ].join('');
  });
  const shown = cards.slice(0, PATHS_SHOWN_OPEN).join('');
  const folded = cards.slice(PATHS_SHOWN_OPEN);
  const rest =
    folded.length === 0
      ? ''
      : `<details class="more-paths"><summary>Show ${folded.length} more attack path(s)</summary><div class="paths">${folded.join('')}</div></details>`;
  return `<section id="attack-paths" aria-labelledby="paths-h"><h2 id="paths-h">Attack paths (${withPaths.length})</h2><div class="paths">${shown}</div>${rest}</section>`;
}

export function accessSection(report: Report): string {
  const entries = report.extensions.accessSummary;
  if (entries === undefined) return '';
  const body =
    entries.length === 0
      ? '<p class="note">No subject outside the system namespaces can create workloads.</p>'
      : `<table id="access-table"><thead><tr><th>Subject</th><th>Namespaces</th><th>Can create</th><th>Via</th></tr></thead><tbody>${entries
          .map(
            (e) =>
              `<tr><td class="mono">${escapeHtml(e.subject)}</td><td>${escapeHtml(e.namespaces.map((ns) => (ns === '*' ? 'all namespaces' : ns)).join(', '))}</td><td>${escapeHtml(e.canCreate.join(', '))}</td><td class="mono">${escapeHtml(e.via.join(', '))}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const intro = '<p class="note">Subjects the scanned RBAC objects allow to create workloads, which is enough to start a miner or open a shell.</p>';
  return `<section id="access" aria-labelledby="access-h"><h2 id="access-h">Who can run code where (RBAC)</h2>${intro}${body}</section>`;
}

export function problemsSection(report: Report): string {
  const items = [
    ...report.errors.map((e) => `input error: ${[e.file, e.line, e.column].filter((x) => x !== undefined).join(':')}: ${e.message}`),
    ...report.ruleErrors.map((e) => `rule error: ${e.ruleId}${e.resource ? ` on ${describeRef(e.resource)}` : ''}: ${e.message}`),
    ...report.warnings.map((w) => `warning: ${w}`),
  ];
  if (items.length === 0) return '';
  return `<section id="problems" aria-labelledby="problems-h"><h2 id="problems-h">Errors and warnings (${items.length})</h2><ul class="errors">${items
    // One item per line: a line break in a file name or message is shown as `\u000a`, as on stderr.
    .map((i) => `<li>${escapeHtml(escapeForTerminal(i))}</li>`)
    .join('')}</ul></section>`;
}
