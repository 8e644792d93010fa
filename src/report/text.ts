import { describeRef } from '../core/object.js';
import { atLeast, SEVERITIES } from '../core/severity.js';
import type { Finding } from '../core/types.js';
import { paint, type Paint } from './ansi.js';
import { originLabel } from './origin-label.js';
import { sourceStatsLine, timelineLines, writesWithoutBody } from './timeline-text.js';
import { unreadSources } from './unread-sources.js';
import { terminalSafeReport } from './terminal-safe.js';
import type { Formatter, RenderOptions } from './formatter.js';
import { sortedProbedTargets } from './probed-targets.js';
import { activeFindings, type ProbedTarget, type Report } from './report.js';

const ACCESS_SUMMARY_LINES = 12;

export const textFormatter: Formatter = {
  name: 'text',
  fileExtension: '.txt',
  render(unsafe, options) {
    // Names, messages and evidence come from manifests; a terminal must not act on what they hold.
    const report = terminalSafeReport(unsafe);
    const p = paint(options.color);
    const lines: string[] = [];
    const active = activeFindings(report).filter((f) => !options.quiet || options.failOn === 'none' || atLeast(f.severity, options.failOn));
    if (!options.quiet) lines.push(...headerLines(report, p));
    lines.push(...probedTargetLines(options.quiet ? undefined : sortedProbedTargets(report), p));
    const threats = active.filter((f) => f.category === 'threat');
    const others = active.filter((f) => f.category !== 'threat');
    if (threats.length > 0) {
      lines.push(p.red(p.bold(`▲ THREATS: ${threats.length} workload(s) look like crypto-mining or intrusion`)), '');
      for (const finding of threats) lines.push(...renderFinding(finding, p), '');
    }
    if (others.length > 0) {
      if (threats.length > 0) lines.push(p.bold(`Other findings: ${others.length}`), '');
      for (const finding of others) lines.push(...renderFinding(finding, p), '');
    }
    if (!options.quiet) lines.push(...timelineLines(report, p));
    if (report.extensions.accessSummary && report.extensions.accessSummary.length > 0 && !options.quiet) {
      lines.push(p.bold('Who can run code where (RBAC)'));
      // The summary comes sorted riskiest first; the JSON format keeps every entry.
      const entries = report.extensions.accessSummary;
      for (const entry of entries.slice(0, ACCESS_SUMMARY_LINES)) {
        const creates = entry.canCreate.length > 4 ? [...entry.canCreate.slice(0, 4), `+${entry.canCreate.length - 4} more`] : entry.canCreate;
        lines.push(`  ${entry.subject} → ${entry.namespaces.join(', ')} ${p.dim(`(can create ${creates.join(', ')}; via ${entry.via.join(', ')})`)}`);
      }
      if (entries.length > ACCESS_SUMMARY_LINES) lines.push(p.dim(`  … and ${entries.length - ACCESS_SUMMARY_LINES} more subjects (see --format json)`));
      lines.push('');
    }
    if (report.errors.length > 0) {
      lines.push(p.yellow(p.bold(`Input errors: ${report.errors.length}`)));
      for (const error of report.errors) {
        const where = [error.file, error.line, error.column].filter((x) => x !== undefined).join(':');
        lines.push(`  ${where}: ${error.message}`);
      }
      lines.push('');
    }
    if (report.ruleErrors.length > 0) {
      lines.push(p.yellow(p.bold(`Rule errors: ${report.ruleErrors.length}`)));
      for (const error of report.ruleErrors) {
        lines.push(`  ${error.ruleId}${error.resource ? ` on ${describeRef(error.resource)}` : ''}: ${error.message}`);
      }
      lines.push('');
    }
    if (report.coverage.length > 0) lines.push(...coverageLines(report.coverage, p), '');
    for (const warning of report.warnings) lines.push(p.yellow(`warning: ${warning}`));
    if (report.warnings.length > 0) lines.push('');
    lines.push(summaryLine(report, p, options));
    return `${lines.join('\n')}\n`;
  },
};

/** `kfguard probe`: every target with its verdict, open ones first. */
function probedTargetLines(sorted: readonly ProbedTarget[] | undefined, p: Paint): string[] {
  if (!sorted) return [];
  const lines = [p.bold(`Probed ${sorted.length} target(s)`)];
  for (const target of sorted) {
    const verdict = target.verdict === 'open' ? p.red(p.bold('OPEN')) : target.verdict === 'protected' ? p.green('protected') : target.verdict === 'error' ? p.yellow('error') : p.dim('not-found');
    const products = target.products.length > 0 ? ` ${target.products.join(', ')}` : '';
    lines.push(`  ${verdict} ${target.url}${products} ${p.dim(`(${target.detail}; ${target.requests} request(s))`)}`);
    if (target.openedBy) lines.push(`    ${p.dim(`opened by ${target.openedBy}`)}`);
  }
  return [...lines, ''];
}

/** A whole source's gap shared by this many rules or more is one line, not one per rule. */
const GROUPED_COVERAGE = 4;

/**
 * What was not evaluated. Gaps about one object are listed one by one; rules that a whole source
 * cannot feed for the same reason (every spec rule under `kfguard probe`) are one line with their
 * ids, as that is one fact, not many. The JSON format keeps every entry.
 */
function coverageLines(coverage: Report['coverage'], p: Paint): string[] {
  const groups = new Map<string, Report['coverage'][number][]>();
  for (const entry of coverage) {
    const key = entry.resource ? `\u0000${groups.size}` : `${entry.source}\u0000${entry.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const body: string[] = [];
  for (const entries of groups.values()) {
    const first = entries[0] as Report['coverage'][number];
    if (entries.length < GROUPED_COVERAGE) {
      for (const entry of entries) body.push(`${entry.ruleId} on ${entry.resource ? describeRef(entry.resource) : entry.source}: ${entry.reason}`);
      continue;
    }
    const ids = entries.map((e) => e.ruleId);
    body.push(`${entries.length} rules on ${first.source}: ${first.reason} (${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more; --format json lists them)`);
  }
  const title = `Not evaluated: ${coverage.length}`;
  if (body.length === 1 && groups.size === 1 && coverage.length >= GROUPED_COVERAGE) return [p.yellow(`${p.bold('Not evaluated:')} ${body[0] ?? ''}`)];
  return [p.yellow(p.bold(title)), ...body.map((line) => `  ${line}`)];
}

function renderFinding(finding: Finding, p: Paint): string[] {
  const badge = p.severity(finding.severity, ` ${finding.severity.toUpperCase()} `);
  const out = [`${badge} ${p.bold(finding.ruleId)}  ${describeRef(finding.resource)}`];
  const where = finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}` : originLabel(finding.origin);
  if (where || finding.path) out.push(`    ${p.dim([where, finding.path].filter(Boolean).join('  '))}`);
  out.push(`    ${finding.message}`);
  for (const line of finding.evidence) out.push(`    ${p.dim('·')} ${line}`);
  out.push(`    ${p.green('fix:')} ${firstParagraph(finding.remediation)}`);
  return out;
}

function firstParagraph(markdown: string): string {
  return (markdown.split(/\n\s*\n/)[0] ?? '').replace(/(?<!\s)\s*\n\s*/g, ' ').trim();
}

function summaryLine(report: Report, p: Paint, options: RenderOptions): string {
  const counts = SEVERITIES.filter((s) => report.summary.bySeverity[s] > 0).map((s) => `${report.summary.bySeverity[s]} ${s}`);
  const parts = [counts.length > 0 ? counts.join(', ') : 'no findings'];
  if (report.summary.suppressed > 0) parts.push(`${report.summary.suppressed} suppressed`);
  if (report.errors.length > 0) parts.push(`${report.errors.length} input error(s)`);
  const failing = options.failOn !== 'none' && activeFindings(report).some((f) => atLeast(f.severity, options.failOn as Exclude<typeof options.failOn, 'none'>));
  const verdict =
    report.errors.length > 0 || report.ruleErrors.length > 0
      ? p.yellow('incomplete: see the errors above (exit 2)')
      : options.failOn === 'none'
        ? p.dim('not gating (--fail-on none)')
        : failing
          ? p.red(`fails --fail-on ${options.failOn}`)
          : writesWithoutBody(report) > 0
            ? p.yellow(`not a pass: ${writesWithoutBody(report)} write(s) carried no body and were not judged (see the warning)`)
            : unreadSources(report) > 0
              ? p.yellow(`not a pass: ${unreadSources(report)} source gap(s), what could not be read was not judged (see "Not evaluated")`)
              : p.green(`passes --fail-on ${options.failOn}`);
  return `${p.bold('Summary:')} ${parts.join(' · ')} — ${verdict}`;
}

/** What was judged: URLs for a probe, otherwise the input counts. */
function bannerLines(report: Report): string[] {
  const probed = report.extensions.probedTargets;
  return probed ? [`${probed.length} URL(s) probed`] : inputLines(report.inputs);
}

function headerLines(report: Report, p: Paint): string[] {
  const [summary, ...notes] = bannerLines(report);
  const stats = sourceStatsLine(report);
  return [p.bold(`kfguard ${report.tool.version}`) + p.dim(` · ${summary ?? ''}`), ...notes.map((note) => p.dim(note)), ...(stats ? [p.dim(stats)] : []), ''];
}

/** What was read: counts, then one line per directory whose render was not read. */
function inputLines(inputs: Report['inputs']): string[] {
  const { files, documents, skipped, rendered = 0, unreferencedFiles = 0, notRendered = [], readAs } = inputs;
  if (readAs !== undefined) return [readAs];
  const extra = `${rendered > 0 ? `, ${rendered} rendered` : ''}${unreferencedFiles > 0 ? `, ${unreferencedFiles} outside any render` : ''}`;
  return [`${files} file(s)${extra}, ${documents} document(s), ${skipped} skipped`, ...notRendered.map((note) => `  not rendered: ${note.path}: ${note.reason}`)];
}
