import { writesWithoutBody } from './timeline-text.js';
import { unreadSources } from './unread-sources.js';
import { originLabel } from './origin-label.js';
import { describeRef } from '../core/object.js';
import { atLeast, SEVERITIES, type Severity } from '../core/severity.js';
import { CATEGORIES, type Finding, type SourceLocation } from '../core/types.js';
import type { Formatter, RenderOptions } from './formatter.js';
import { sortedProbedTargets } from './probed-targets.js';
import { activeFindings, type Report } from './report.js';
import { sourceUriOf } from './source-uri.js';
import { escapeForTerminal } from './terminal-safe.js';

/** GitHub rejects comments over 65,536 characters; the rest is headroom for the footer and bots that wrap us. */
export const MARKDOWN_BUDGET = 60_000;

const SEVERITY_ICON: Readonly<Record<Severity, string>> = {
  critical: '🟥',
  high: '🔴',
  medium: '🟠',
  low: '🟡',
  info: '⚪',
};

/**
 * A PR comment: verdict, a severity × category table, then one collapsible block per finding until
 * the budget is spent; what does not fit is summarised per rule so the comment is never rejected.
 */
export const markdownFormatter: Formatter = {
  name: 'markdown',
  fileExtension: '.md',
  render(report, options) {
    const active = activeFindings(report);
    const head = [...header(report, options), ...summaryTable(report), '', ...probedTargetsTable(report), ...(active.length > 0 ? ['### Findings', ''] : [])];
    const tail = footer(report);
    const room = MARKDOWN_BUDGET - length(head) - length(tail);
    const link = linker(options);
    const blocks = fittingBlocks(active, (f) => `${findingBlock(f, link)}\n`, room);
    const omitted = omittedSection(active.slice(blocks.length));
    return `${[...head, ...blocks, ...omitted, ...tail].join('\n')}\n`;
  },
};

/**
 * As many findings as fit in `room`. When not all fit, room is kept for the omission table; its
 * size for all findings bounds its size for any remainder, so it is measured once.
 */
function fittingBlocks(findings: readonly Finding[], render: (f: Finding) => string, room: number): string[] {
  const blocks: string[] = [];
  let used = 0;
  for (const finding of findings) {
    const block = render(finding);
    used += block.length + 1;
    if (used > room) break;
    blocks.push(block);
  }
  if (blocks.length === findings.length) return blocks;
  const reserve = length(omittedSection(findings));
  let kept = 0;
  let total = 0;
  for (const block of blocks) {
    if (total + block.length + 1 > room - reserve) break;
    total += block.length + 1;
    kept++;
  }
  return blocks.slice(0, kept);
}

function header(report: Report, options: RenderOptions): string[] {
  const active = activeFindings(report);
  const threshold = options.failOn;
  const failing = threshold !== 'none' && active.some((f) => atLeast(f.severity, threshold));
  const threats = active.filter((f) => f.category === 'threat').length;
  // Input that was not read is not a pass, whatever the findings say.
  const incomplete = report.errors.length > 0 || report.ruleErrors.length > 0;
  const lines = [`## kfguard ${failing ? '❌' : incomplete || unreadSources(report) > 0 ? '⚠️' : '✅'} ${active.length} finding(s)${incomplete ? ', incomplete' : ''}`, ''];
  if (threats > 0) lines.push(`> [!CAUTION]`, `> **${threats} workload(s) look like crypto-mining or intrusion.** Look at these first.`, '');
  const verdict = failing
    ? `fails \`--fail-on ${threshold}\``
    : incomplete
      ? 'incomplete: not every input was checked, so this is not a pass'
      : threshold === 'none'
        ? 'no failure threshold'
        : writesWithoutBody(report) > 0
          ? `not a pass: ${writesWithoutBody(report)} write(s) carried no body and were not judged`
          : unreadSources(report) > 0
            ? `not a pass: ${unreadSources(report)} source gap(s), what could not be read was not judged`
            : `passes \`--fail-on ${threshold}\``;
  const { files, documents, readAs } = report.inputs;
  const extras = [
    report.summary.suppressed > 0 && `${report.summary.suppressed} suppressed`,
    report.errors.length > 0 && `${report.errors.length} input error(s)`,
    report.ruleErrors.length > 0 && `${report.ruleErrors.length} rule error(s)`,
  ].filter((x): x is string => typeof x === 'string');
  lines.push(`kfguard ${escapeInline(report.tool.version)} scanned ${readAs !== undefined ? escapeInline(readAs) : `${files} file(s), ${documents} document(s)`}: ${[verdict, ...extras].join(' · ')}.`, '');
  return lines;
}

/** Probed targets listed in the table at most; the JSON format keeps every one. */
const MAX_PROBED_ROWS = 200;

/** `kfguard probe`: one row per target, open ones first. */
function probedTargetsTable(report: Report): string[] {
  const targets = sortedProbedTargets(report);
  if (!targets) return [];
  const icon = { open: '🔓 **open**', error: '⚠️ error', protected: '🔒 protected', 'not-found': '➖ not-found' } as const;
  const rows = targets.slice(0, MAX_PROBED_ROWS).map((t) => `| ${icon[t.verdict]} | <code>${escapeInline(t.url)}</code> | ${escapeInline(t.products.join(', '))} | ${escapeInline(t.detail)} | ${escapeInline(t.openedBy ?? '')} |`);
  const more = targets.length > MAX_PROBED_ROWS ? [`| …and ${targets.length - MAX_PROBED_ROWS} more | | | | |`] : [];
  return [`### Probed targets (${targets.length})`, '', '| verdict | URL | products | why | opened by |', '|---|---|---|---|---|', ...rows, ...more, ''];
}

function summaryTable(report: Report): string[] {
  const active = activeFindings(report);
  if (active.length === 0) return [];
  const categories = [...CATEGORIES].sort((a, b) => Number(b === 'threat') - Number(a === 'threat')).filter((c) => report.summary.byCategory[c] > 0);
  const severities = SEVERITIES.filter((s) => report.summary.bySeverity[s] > 0);
  const count = (severity: Severity, category: string): number => active.filter((f) => f.severity === severity && f.category === category).length;
  const lines = [
    `| severity | ${categories.join(' | ')} | total |`,
    `|---|${categories.map(() => '---:').join('|')}|---:|`,
  ];
  for (const severity of severities) {
    const cells = categories.map((c) => String(count(severity, c) || ''));
    lines.push(`| ${SEVERITY_ICON[severity]} ${severity} | ${cells.join(' | ')} | ${report.summary.bySeverity[severity]} |`);
  }
  return lines;
}

type Linker = (location: SourceLocation, origin: Finding['origin']) => string | undefined;

/** Links to the file and line on the forge, when the caller said where the sources are published. */
function linker(options: RenderOptions): Linker {
  const linkBase = options.sourceLinkBase;
  if (!linkBase) return () => undefined;
  const prefix = linkBase.endsWith('/') ? linkBase : `${linkBase}/`;
  return (location, origin) => {
    const source = sourceUriOf(location, origin, options.cwd, options.sarifBase ?? options.cwd);
    if (!source || source.uri.startsWith('file:')) return undefined;
    return `${prefix}${source.uri}${source.hasRegion ? `#L${location.line}` : ''}`;
  };
}

function findingBlock(finding: Finding, link: Linker): string {
  const where = finding.location ? `${finding.location.file}:${finding.location.line}` : originLabel(finding.origin);
  const href = finding.location ? link(finding.location, finding.origin) : undefined;
  const whereHtml = where && (href ? `<a href="${escapeHref(href)}"><code>${escapeInline(where)}</code></a>` : `<code>${escapeInline(where)}</code>`);
  const summary = [
    `${SEVERITY_ICON[finding.severity]} <b>${finding.severity.toUpperCase()}</b>`,
    `<code>${escapeInline(finding.ruleId)}</code>`,
    escapeInline(describeRef(finding.resource)),
    whereHtml,
  ].filter(Boolean);
  const lines = ['<details>', `<summary>${summary.join(' · ')}</summary>`, '', escapeInline(truncate(finding.message, MAX_FIELD_CHARS * 3)), ''];
  if (finding.location || finding.path || finding.origin) {
    const place = [finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}` : originLabel(finding.origin), finding.path].filter(Boolean);
    lines.push(`- **Where:** ${place.map((p) => `<code>${escapeInline(String(p))}</code>`).join(' at ')}`);
  }
  if (finding.attackPath && finding.attackPath.length > 0) {
    lines.push(`- **Attack path:** ${finding.attackPath.map((hop) => escapeInline(hop.label)).join(' → ')}`);
  }
  if (finding.evidence.length > 0) {
    const shownEvidence = finding.evidence.slice(0, MAX_EVIDENCE_LINES).map((line) => `  - <code>${escapeInline(truncate(line, MAX_FIELD_CHARS))}</code>`);
    const more = finding.evidence.length - shownEvidence.length;
    lines.push('- **Evidence:**', ...shownEvidence, ...(more > 0 ? [`  - …and ${more} more`] : []));
  }
  if (finding.mitre.length > 0) lines.push(`- **MITRE:** ${finding.mitre.map(escapeInline).join(', ')}`);
  lines.push(`- **Fix:** ${truncate(firstParagraph(finding.remediation), MAX_FIELD_CHARS * 3)}`, '', '</details>');
  return lines.join('\n');
}

interface RuleTally {
  readonly ruleId: string;
  readonly severity: Severity;
  count: number;
}

function tallyByRule(findings: readonly Finding[]): RuleTally[] {
  const byRule = new Map<string, RuleTally>();
  for (const finding of findings) {
    const tally = byRule.get(finding.ruleId);
    if (tally) tally.count++;
    else byRule.set(finding.ruleId, { ruleId: finding.ruleId, severity: finding.severity, count: 1 });
  }
  return [...byRule.values()];
}

/** At most this many rules are listed in the omission table; the rest are one line. */
const MAX_OMITTED_RULES = 100;

function omittedSection(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  const tallies = tallyByRule(findings).sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId));
  const listed = tallies.slice(0, MAX_OMITTED_RULES);
  const lines = [
    '',
    `### ${findings.length} more finding(s) not shown`,
    '',
    'This comment is kept under GitHub’s size limit. Run `kfguard scan --format sarif` or `--format json` for every finding.',
    '',
    '| rule | severity | findings |',
    '|---|---|---:|',
    ...listed.map((t) => `| <code>${escapeInline(t.ruleId)}</code> | ${SEVERITY_ICON[t.severity]} ${t.severity} | ${t.count} |`),
  ];
  if (tallies.length > listed.length) lines.push(`| …and ${tallies.length - listed.length} more rule(s) | | |`);
  return lines;
}

function footer(report: Report): string[] {
  const lines: string[] = [];
  const suppressed = report.findings.filter((f) => f.suppression);
  if (suppressed.length > 0) {
    const byKind = new Map<string, number>();
    for (const f of suppressed) byKind.set(f.suppression?.kind ?? '', (byKind.get(f.suppression?.kind ?? '') ?? 0) + 1);
    const parts = [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `${n} ${kind}`);
    lines.push('', `<sub>${suppressed.length} suppressed finding(s) not listed (${parts.join(', ')}).</sub>`);
  }
  // The config note leads the warnings: a PR that switches rules off or down must say so here,
  // in the comment reviewers read, not only in the job log.
  if (report.warnings.length > 0) {
    const shown = report.warnings.slice(0, MAX_WARNINGS).map((w) => `> - ${escapeInline(truncate(w, MAX_FIELD_CHARS))}`);
    const more = report.warnings.length > MAX_WARNINGS ? [`> - and ${report.warnings.length - MAX_WARNINGS} more (see the text or JSON output)`] : [];
    lines.push('', '> [!NOTE]', `> ${report.warnings.length} warning(s):`, ...shown, ...more);
  }
  if (report.errors.length > 0 || report.ruleErrors.length > 0) {
    lines.push('', `> [!WARNING]`, `> ${report.errors.length} input error(s) and ${report.ruleErrors.length} rule error(s): some manifests were not fully checked. See the text or JSON output.`);
  }
  return lines;
}

/** One finding must never eat the budget of all the others. */
const MAX_EVIDENCE_LINES = 10;
const MAX_FIELD_CHARS = 300;
/** Warnings listed in the comment; the rest are counted. */
const MAX_WARNINGS = 10;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function firstParagraph(markdown: string): string {
  return (markdown.split(/\n\s*\n/)[0] ?? '').replace(/(?<!\s)\s*\n\s*/g, ' ').trim();
}

/**
 * Manifest text (names, messages, evidence) is untrusted: escaping keeps it from opening HTML,
 * closing our `<details>`, forming links, or @-mentioning people and teams in the PR. Bare URLs
 * are defanged (`https[:]//`, `www[.]`) as threat reports do: GitHub and GitLab autolink them,
 * and GitLab does so after entities are decoded, so a miner's download URL would be one click away.
 */
export function escapeInline(text: string): string {
  // Every line break kind (a lone CR too) becomes a space, or it could end our `<details>` block.
  // Then every other control, bidi override and invisible character is shown as `\uXXXX`, as
  // the text report does: raw ESC or BEL would act in a terminal that shows the file.
  return escapeForTerminal(text.replace(/\r\n?|[\n\v\f\u0085\u2028\u2029]/g, ' '))
    .replace(/[&<>"'@|`*_[\]\\#~!]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/:\/\//g, '&#91;:&#93;//')
    .replace(/\b(www)\./gi, '$1&#91;.&#93;');
}

/** kfguard's own forge link, built from --source-link-base: escaped for the attribute, not defanged. */
function escapeHref(href: string): string {
  return href.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function length(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0);
}
