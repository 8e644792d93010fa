import { sortedProbedTargets } from '../probed-targets.js';
import type { Report } from '../report.js';
import { escapeHtml } from './escape.js';

/** `kfguard probe`: one row per target and its verdict, open ones first; empty for other commands. */
export function probedTargetsSection(report: Report): string {
  const targets = sortedProbedTargets(report);
  if (!targets) return '';
  const rows = targets.map(
    (t) =>
      `<tr class="probe-${t.verdict}"><td>${t.verdict === 'open' ? '<strong>open</strong>' : escapeHtml(t.verdict)}</td><td><code>${escapeHtml(t.url)}</code></td><td>${escapeHtml(t.products.join(', '))}</td><td>${escapeHtml(t.detail)}</td><td>${t.requests}</td><td>${escapeHtml(t.openedBy ?? '')}</td></tr>`,
  );
  return `<section id="probed-targets" aria-labelledby="probed-targets-h"><h2 id="probed-targets-h">Probed targets (${targets.length})</h2><table><thead><tr><th>verdict</th><th>URL</th><th>products</th><th>why</th><th>requests</th><th>opened by</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
