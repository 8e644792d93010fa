import { createHash } from 'node:crypto';
import type { Severity } from '../core/severity.js';
import type { Finding } from '../core/types.js';
import type { Formatter, RenderOptions } from './formatter.js';
import { escapeInline } from './markdown.js';
import { originLabel } from './origin-label.js';
import { sortedProbedTargets, probedTargetLine } from './probed-targets.js';
import { activeFindings, type Report } from './report.js';
import { escapeJsonText } from './terminal-safe.js';

// GitLab's `artifacts:reports:sast` takes its own JSON, not SARIF; 15.x is what current GitLab accepts.
// Schema: https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/blob/master/dist/sast-report-format.json
export const GITLAB_SAST_SCHEMA_VERSION = '15.0.7';
const SCHEMA_URL = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SAST_SCHEMA_VERSION}/dist/sast-report-format.json`;
const NAME_MAX = 255;
const SOLUTION_MAX = 7000;

const GITLAB_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

const TOOL = (version: string) => ({
  id: 'kfguard',
  name: 'kfguard',
  version,
  vendor: { name: 'kfguard' },
});

/** GitLab wants `YYYY-MM-DDTHH:MM:SS`, without fraction or zone. */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Same fingerprint, same id: GitLab tracks a vulnerability across pipelines by it. */
function stableUuid(fingerprint: string): string {
  const hex = createHash('sha256').update(`kfguard:${fingerprint}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function identifiers(finding: Finding): object[] {
  const mitre = finding.mitre.map((id) => {
    const technique = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
    const url = technique ? `https://attack.mitre.org/techniques/T${technique[1]}${technique[2] ? `/${technique[2]}` : ''}/` : undefined;
    return { type: technique ? 'mitre_attack' : 'mitre_threat_matrix', name: id, value: id, ...(url ? { url } : {}) };
  });
  return [{ type: 'kfguard_rule_id', name: `kfguard ${finding.ruleId}`, value: finding.ruleId }, ...mitre];
}

/** GitLab renders `name` and `description` as Markdown; text from manifests must stay text there. */
function description(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  const lines = [escapeInline(finding.message), '', `Resource: ${escapeInline(`${kind} ${namespace ? `${namespace}/` : ''}${name}`)}`];
  if (finding.path) lines.push(`Field: ${escapeInline(finding.path)}`);
  // A cluster, audit, job-API or probe finding has no file location: who, when and where are its origin.
  const origin = originLabel(finding.origin);
  if (origin !== undefined) lines.push(`Origin: ${escapeInline(origin)}`);
  if (finding.evidence.length > 0) lines.push('', 'Evidence:', ...finding.evidence.map((e) => `- ${escapeInline(e)}`));
  if (finding.attackPath && finding.attackPath.length > 0) lines.push('', `Attack path: ${finding.attackPath.map((h) => escapeInline(h.label)).join(' → ')}`);
  return lines.join('\n');
}

function vulnerability(finding: Finding, references: ReadonlyMap<string, readonly string[]>): object {
  const file = finding.location?.file.replace(/^\.\//, '');
  const line = finding.location?.line;
  const links = (references.get(finding.ruleId) ?? []).map((url) => ({ url }));
  return {
    id: stableUuid(finding.fingerprint),
    name: truncate(`${finding.title} (${escapeInline(`${finding.resource.kind} ${finding.resource.name}`)})`, NAME_MAX),
    description: description(finding),
    severity: GITLAB_SEVERITY[finding.severity],
    solution: truncate(finding.remediation, SOLUTION_MAX),
    identifiers: identifiers(finding),
    ...(links.length > 0 ? { links } : {}),
    location: {
      ...(file ? { file } : {}),
      ...(line !== undefined ? { start_line: line, end_line: line } : {}),
    },
  };
}

function messages(report: Report): object[] {
  return [
    ...report.errors.map((e) => ({ level: 'warn', value: `input error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}` })),
    ...report.ruleErrors.map((e) => ({ level: 'warn', value: `rule error: ${e.ruleId}: ${e.message}` })),
    ...report.warnings.map((w) => ({ level: 'info', value: w })),
    // `kfguard probe`: every target and its verdict; open ones are also vulnerabilities.
    ...(sortedProbedTargets(report) ?? []).map((t) => ({ level: t.verdict === 'open' || t.verdict === 'error' ? 'warn' : 'info', value: `probe: ${probedTargetLine(t)}` })),
  ];
}

/** Suppressed findings are left out: GitLab has no notion of an accepted finding in a report. */
export function renderGitlabSast(report: Report, options: Pick<RenderOptions, 'rules'>, scannedAt: Date): string {
  const references = new Map(options.rules.map((r) => [r.id, r.references]));
  const time = gitlabTime(scannedAt);
  const problems = messages(report);
  const document = {
    version: GITLAB_SAST_SCHEMA_VERSION,
    schema: SCHEMA_URL,
    scan: {
      analyzer: TOOL(report.tool.version),
      scanner: TOOL(report.tool.version),
      type: 'sast',
      start_time: time,
      end_time: time,
      // GitLab shows a failed scan as such; unread input must not look like a clean scan.
      status: report.errors.length > 0 || report.ruleErrors.length > 0 ? 'failure' : 'success',
      ...(problems.length > 0 ? { messages: problems } : {}),
    },
    vulnerabilities: activeFindings(report).map((f) => vulnerability(f, references)),
  };
  return `${escapeJsonText(JSON.stringify(document, null, 2))}\n`;
}

export const gitlabSastFormatter: Formatter = {
  name: 'gitlab-sast',
  fileExtension: '.json',
  // The report carries no clock, so the scan time is the render time.
  render: (report, options) => renderGitlabSast(report, options, new Date()),
};
