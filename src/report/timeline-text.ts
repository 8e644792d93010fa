import type { Paint } from './ansi.js';
import type { Report } from './report.js';

const ENTRIES_PER_ACTOR = 40;

/**
 * The audit timeline as text: each actor with a finding, how they came in, and what they did in
 * order, the requests with findings marked. The JSON report keeps every kept request.
 */
export function timelineLines(report: Report, p: Paint): string[] {
  const actors = report.extensions.auditTimeline ?? [];
  if (actors.length === 0) return [];
  const lines = [p.bold(`Timeline: ${actors.length} actor(s) with findings, requests in order`)];
  for (const actor of actors) {
    const how = [actor.doors.length > 0 ? `via ${actor.doors.join('; ')}` : '', actor.sourceIPs.length > 0 ? `from ${actor.sourceIPs.join(', ')}` : '', actor.userAgents.length > 0 ? `(${actor.userAgents.join('; ')})` : '']
      .filter(Boolean)
      .join(' ');
    lines.push(`  ${p.bold(actor.actor)} ${p.dim(how)}`);
    for (const entry of actor.entries.slice(0, ENTRIES_PER_ACTOR)) {
      const marker = entry.findings.length > 0 ? p.red(`  ◀ ${[...new Set(entry.findings)].join(', ')}`) : '';
      const outcome = entry.outcome !== undefined ? p.yellow(` → ${entry.outcome}`) : '';
      lines.push(`    ${p.dim(entry.timestamp || '(no time)')}  ${entry.verb} ${entry.object}${outcome}${marker}`);
    }
    const hidden = actor.entries.length - ENTRIES_PER_ACTOR;
    if (hidden > 0) lines.push(p.dim(`    … ${hidden} more request(s) (see --format json)`));
    if (actor.omitted > 0) lines.push(p.dim(`    … ${actor.omitted} more request(s) not kept (over the per-actor cap)`));
  }
  lines.push('');
  return lines;
}

/** `audit: 58 events, 21 judged, …`: what the source read and what it left out. */
export function sourceStatsLine(report: Report): string | undefined {
  const stats = report.extensions.sourceStats;
  if (!stats) return undefined;
  return Object.entries(stats)
    .map(([key, value]) => `${value} ${key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`)
    .join(', ');
}

/**
 * Writes an audit log recorded without their body (the policy logged them at Metadata level):
 * nothing says what they wrote, so a report without findings must not call that a pass.
 */
export function writesWithoutBody(report: Report): number {
  return report.extensions.sourceStats?.writesWithoutBody ?? 0;
}
