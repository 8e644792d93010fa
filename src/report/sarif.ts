import type * as Sarif from 'sarif';
import { describeRef } from '../core/object.js';
import type { RuleMeta } from '../core/rule.js';
import { SECURITY_SEVERITY_SCORE, type Severity } from '../core/severity.js';
import type { Finding, Suppression } from '../core/types.js';
import type { Formatter, RenderOptions } from './formatter.js';
import { probedTargetLine, sortedProbedTargets } from './probed-targets.js';
import type { Report } from './report.js';
import { sourceUriOf } from './source-uri.js';
import { escapeJsonText } from './terminal-safe.js';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Bump only when `Finding.fingerprint` changes meaning; GitHub matches alerts across runs by it. */
const FINGERPRINT_KEY = 'kfguard/v1';

const LEVEL: Readonly<Record<Severity, Sarif.Result.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const SUPPRESSION_KIND: Readonly<Record<Suppression['kind'], Sarif.Suppression.kind>> = {
  inline: 'inSource',
  config: 'external',
  baseline: 'external',
};

export const sarifFormatter: Formatter = {
  name: 'sarif',
  fileExtension: '.sarif',
  render: (report, options) => `${escapeJsonText(JSON.stringify(sarifLog(report, options), null, 2))}\n`,
};

export function sarifLog(report: Report, options: RenderOptions): Sarif.Log {
  const rules = catalogue(report, options.rules);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const base = options.sarifBase ?? options.cwd;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kfguard',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: rules.map(ruleDescriptor),
          },
        },
        // `yaml` reports columns in UTF-16 code units, the same unit JavaScript strings use.
        columnKind: 'utf16CodeUnits',
        invocations: [invocation(report)],
        results: report.findings.map((finding) => result(finding, ruleIndex.get(finding.ruleId) ?? 0, options.cwd, base)),
      },
    ],
  };
}

/** Every rule that ran, plus any rule a finding names that the caller did not list. */
function catalogue(report: Report, rules: readonly RuleMeta[]): RuleMeta[] {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  for (const finding of report.findings) {
    if (!byId.has(finding.ruleId)) byId.set(finding.ruleId, metaFromFinding(finding));
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function metaFromFinding(finding: Finding): RuleMeta {
  return {
    id: finding.ruleId,
    title: finding.title,
    severity: finding.severity,
    category: finding.category,
    description: finding.title,
    rationale: '',
    remediation: finding.remediation,
    references: [],
    mitre: finding.mitre,
    match: [],
    sources: [finding.source],
    // Unknown for a rule known only from its finding; the SARIF descriptor does not show needs.
    needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' },
  };
}

function ruleDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  const helpMarkdown = [
    rule.description,
    rule.rationale && `**Why it matters**\n\n${rule.rationale}`,
    `**How to fix**\n\n${rule.remediation}`,
    rule.references.length > 0 && `**References**\n\n${rule.references.map((url) => `- <${url}>`).join('\n')}`,
    rule.mitre.length > 0 && `**MITRE:** ${rule.mitre.join(', ')}`,
  ]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('\n\n');
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: plainText(rule.description), markdown: rule.description },
    help: { text: plainText(helpMarkdown), markdown: helpMarkdown },
    ...(rule.references[0] ? { helpUri: rule.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY_SCORE[rule.severity],
      precision: 'high',
      tags: ['security', rule.category, ...rule.mitre],
    },
  };
}

function result(finding: Finding, ruleIndex: number, cwd: string, base: string): Sarif.Result {
  const location = physicalLocation(finding, cwd, base);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${finding.message} (${describeRef(finding.resource)})` },
    ...(location ? { locations: [{ physicalLocation: location, ...logicalLocations(finding) }] } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.suppression ? { suppressions: [suppression(finding.suppression)] } : {}),
    properties: {
      severity: finding.severity,
      category: finding.category,
      resource: finding.resource,
      ...(finding.path !== undefined ? { path: finding.path } : {}),
      ...(finding.evidence.length > 0 ? { evidence: finding.evidence } : {}),
      ...(finding.attackPath ? { attackPath: finding.attackPath.map((hop) => hop.label) } : {}),
      // A cluster, audit, job-API or probe finding has no file to point at: who, when and where are its origin.
      ...(finding.origin && finding.origin.kind !== 'file' ? { origin: finding.origin } : {}),
    },
  };
}

function physicalLocation(finding: Finding, cwd: string, base: string): Sarif.PhysicalLocation | undefined {
  if (!finding.location) return undefined;
  const source = sourceUriOf(finding.location, finding.origin, cwd, base);
  if (!source) return undefined;
  const { line, column } = finding.location;
  return {
    artifactLocation: { uri: source.uri },
    ...(source.hasRegion && line >= 1 ? { region: { startLine: line, startColumn: Math.max(column, 1) } } : {}),
  };
}

function logicalLocations(finding: Finding): Pick<Sarif.Location, 'logicalLocations'> {
  const { kind, namespace, name } = finding.resource;
  const fullyQualifiedName = [namespace, kind, name].filter(Boolean).join('/');
  return { logicalLocations: [{ name, kind: 'resource', fullyQualifiedName }] };
}

function suppression(s: Suppression): Sarif.Suppression {
  const justification = s.until ? `${s.reason} (until ${s.until})` : s.reason;
  return { kind: SUPPRESSION_KIND[s.kind], status: 'accepted', justification };
}

function invocation(report: Report): Sarif.Invocation {
  const notifications: Sarif.Notification[] = [
    ...report.errors.map((error): Sarif.Notification => ({
      level: 'error',
      message: { text: `${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}` },
    })),
    ...report.ruleErrors.map((error): Sarif.Notification => ({
      level: 'error',
      message: { text: error.message },
      associatedRule: { id: error.ruleId },
    })),
    // Warnings, the config note first (which file was loaded, which rules it switched off or
    // down): a SARIF viewer shows them beside the run, so an alert list that a committed config
    // emptied says so.
    ...report.warnings.map((warning): Sarif.Notification => ({ level: 'warning', message: { text: warning }, descriptor: { id: 'kfguard-warning' } })),
    // `kfguard probe`: one notification per target, so a viewer shows what was protected or unjudged too.
    ...(sortedProbedTargets(report) ?? []).map((target): Sarif.Notification => ({
      level: target.verdict === 'open' || target.verdict === 'error' ? 'warning' : 'note',
      message: { text: probedTargetLine(target) },
      descriptor: { id: `probe-${target.verdict}` },
    })),
  ];
  const probed = sortedProbedTargets(report);
  return {
    executionSuccessful: report.errors.length === 0 && report.ruleErrors.length === 0,
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    ...(probed ? { properties: { probedTargets: probed.map((t) => ({ ...t })) } } : {}),
  };
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** SARIF `text` fields must read well where markdown is not rendered. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .trim();
}
