import type { Report } from '../report.js';
import { escapeHtml } from './escape.js';

const ENTRIES_PER_ACTOR = 200;

const TIMELINE_CSS = `
#timeline .actor{margin:1em 0;border-left:3px solid #888;padding-left:1em}
#timeline ol{list-style:none;margin:.4em 0;padding:0}
#timeline li{position:relative;padding:.15em 0 .15em 1.2em;font-family:ui-monospace,monospace;font-size:.9em}
#timeline li::before{content:"";position:absolute;left:0;top:.55em;width:.55em;height:.55em;border-radius:50%;background:#888}
#timeline li.hit::before{background:#c0392b}
#timeline li.hit{font-weight:600}
#timeline .when{color:#666;margin-right:.6em}
#timeline .outcome{color:#8a5a00;margin-left:.4em}
#timeline .tag{background:#c0392b;color:#fff;border-radius:3px;padding:0 .35em;margin-left:.4em;font-size:.85em}
`;

/**
 * The audit timeline the text report prints, drawn as one vertical line per actor: a dot per
 * request, red where a request produced a finding. Every value is escaped: the log is input.
 */
export function timelineSection(report: Report): string {
  const actors = report.extensions.auditTimeline ?? [];
  if (actors.length === 0) return '';
  const body = actors
    .map((actor) => {
      const how = [actor.doors.length > 0 ? `via ${actor.doors.join('; ')}` : '', actor.sourceIPs.length > 0 ? `from ${actor.sourceIPs.join(', ')}` : '', actor.userAgents.join('; ')].filter(Boolean).join(' · ');
      const items = actor.entries.slice(0, ENTRIES_PER_ACTOR).map((entry) => {
        const hit = entry.findings.length > 0;
        const tags = [...new Set(entry.findings)].map((id) => `<span class="tag">${escapeHtml(id)}</span>`).join('');
        const outcome = entry.outcome !== undefined ? `<span class="outcome">→ ${escapeHtml(entry.outcome)}</span>` : '';
        return `<li class="${hit ? 'hit' : ''}" title="auditID ${escapeHtml(entry.auditID)}"><span class="when">${escapeHtml(entry.timestamp || '(no time)')}</span>${escapeHtml(`${entry.verb} ${entry.object}`)}${outcome}${tags}</li>`;
      });
      const more = actor.entries.length - ENTRIES_PER_ACTOR + actor.omitted;
      return `<div class="actor"><h3 class="mono">${escapeHtml(actor.actor)}</h3><p class="note">${escapeHtml(how)}</p><ol>${items.join('')}</ol>${more > 0 ? `<p class="note">${more} more request(s) not shown</p>` : ''}</div>`;
    })
    .join('');
  return `<section id="timeline" aria-labelledby="timeline-h"><style>${TIMELINE_CSS}</style><h2 id="timeline-h">Timeline: who did what, in order</h2><p class="note">Actors of the audit log with at least one finding, and every change they made.</p>${body}</section>`;
}
