import { describeRef } from '../core/object.js';
import type { Finding, ResourceRef, RuleError } from '../core/types.js';
import type { Formatter } from './formatter.js';
import { originLabel } from './origin-label.js';
import { probedTargetLine, sortedProbedTargets } from './probed-targets.js';
import type { ProbedTarget, Report } from './report.js';
import { escapeForTerminal } from './terminal-safe.js';
import { element, openTag } from './xml.js';

/**
 * The Ant JUnit schema requires a timestamp; the report carries none, and a wall-clock time would
 * make every run's output differ, so a fixed one is written.
 */
const FIXED_TIMESTAMP = '1970-01-01T00:00:00';

interface TestCase {
  readonly name: string;
  readonly classname: string;
  readonly outcome?: { readonly tag: 'failure' | 'skipped' | 'error'; readonly message: string; readonly type?: string; readonly body: string };
}

/**
 * One testsuite per rule; one testcase per (rule, resource) evaluated. JUnit allows one failure per
 * testcase, so a resource with several findings of one rule gets one testcase per finding, named by
 * the offending field. Suppressed findings are skipped testcases; rule crashes are errors.
 */
export const junitFormatter: Formatter = {
  name: 'junit',
  fileExtension: '.xml',
  render(report) {
    const suites: [string, TestCase[], (readonly string[])?][] = [...testCasesByRule(report)].sort(([a], [b]) => a.localeCompare(b));
    // Unread input is an error testcase, so CI never shows an all-green run for it.
    if (report.errors.length > 0) suites.unshift([INPUT_SUITE, report.errors.map(inputErrorCase)]);
    const probed = sortedProbedTargets(report);
    if (probed) suites.unshift([PROBE_SUITE, probed.map(probedTargetCase)]);
    // Warnings lead, the config note first (which file was loaded, which rules it switched off or
    // down): CI test views list testcases, so each warning is a skipped one, and the suite's
    // properties and output carry them for tools that read those.
    if (report.warnings.length > 0) suites.unshift([WARNING_SUITE, report.warnings.map(warningCase), report.warnings]);
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
    suites.forEach(([ruleId, cases, notes], id) => lines.push(...renderSuite(ruleId, cases, id, notes)));
    lines.push('</testsuites>');
    return `${lines.join('\n')}\n`;
  },
};

const INPUT_SUITE = 'kfguard-input';
const PROBE_SUITE = 'kfguard-probe';
const WARNING_SUITE = 'kfguard-warnings';
/** A testcase name is one line in a CI list; the whole warning is its message and body. */
const MAX_CASE_NAME = 200;

function warningCase(warning: string): TestCase {
  const name = warning.length <= MAX_CASE_NAME ? warning : `${warning.slice(0, MAX_CASE_NAME - 1)}…`;
  return { name, classname: `kfguard.${WARNING_SUITE}`, outcome: { tag: 'skipped', message: warning, body: warning } };
}

/** `kfguard probe`: one testcase per target; open fails, unjudged is an error, protected and not-found pass. */
function probedTargetCase(target: ProbedTarget): TestCase {
  const base = { name: target.url, classname: `kfguard.${PROBE_SUITE}` };
  const body = probedTargetLine(target);
  if (target.verdict === 'open') return { ...base, outcome: { tag: 'failure', message: `open: ${target.detail}`, type: 'open', body } };
  if (target.verdict === 'error') return { ...base, outcome: { tag: 'error', message: `not judged: ${target.detail}`, type: 'probe-error', body } };
  return base;
}

function inputErrorCase(error: Report['errors'][number]): TestCase {
  // A file name is one line whatever it holds: its line breaks are shown as `\u000a`.
  const where = escapeForTerminal(`${error.file}${error.line ? `:${error.line}` : ''}`);
  return { name: where, classname: `kfguard.${INPUT_SUITE}`, outcome: { tag: 'error', message: error.message, type: 'input-error', body: `${where}: ${error.message}` } };
}

function renderSuite(ruleId: string, cases: readonly TestCase[], id: number, notes: readonly string[] = []): string[] {
  const count = (tag: string): number => cases.filter((c) => c.outcome?.tag === tag).length;
  const lines = [
    `  ${openTag('testsuite', {
      name: ruleId,
      package: 'kfguard',
      id,
      tests: cases.length,
      failures: count('failure'),
      errors: count('error'),
      skipped: count('skipped'),
      time: '0',
      timestamp: FIXED_TIMESTAMP,
      hostname: 'localhost',
    })}`,
    ...(notes.length === 0 ? ['    <properties/>'] : ['    <properties>', ...notes.map((note) => `      ${openTag('property', { name: 'warning', value: note }, true)}`), '    </properties>']),
  ];
  for (const testCase of cases) lines.push(`    ${renderCase(testCase)}`);
  lines.push(`    ${element('system-out', {}, notes.map((note) => `warning: ${note}`).join('\n'))}`, '    <system-err/>', '  </testsuite>');
  return lines;
}

function renderCase({ name, classname, outcome }: TestCase): string {
  const attributes = { name, classname, time: '0' };
  if (!outcome) return openTag('testcase', attributes, true);
  const detail = element(outcome.tag, { message: outcome.message, type: outcome.type }, outcome.body);
  return `${openTag('testcase', attributes)}${detail}</testcase>`;
}

function testCasesByRule(report: Report): Map<string, TestCase[]> {
  const findingsByKey = groupBy(report.findings, (f) => caseKey(f.ruleId, f.resource));
  const errorsByKey = groupBy(report.ruleErrors, (e) => caseKey(e.ruleId, e.resource));
  const cases = new Map<string, TestCase[]>();
  const add = (ruleId: string, testCase: TestCase): void => {
    const list = cases.get(ruleId) ?? [];
    list.push(testCase);
    cases.set(ruleId, list);
  };
  const emitted = new Set<string>();
  const emit = (ruleId: string, resource: ResourceRef | undefined): void => {
    const key = caseKey(ruleId, resource);
    if (emitted.has(key)) return;
    emitted.add(key);
    const findings = findingsByKey.get(key) ?? [];
    const errors = errorsByKey.get(key) ?? [];
    for (const error of errors) add(ruleId, errorCase(error));
    for (const finding of findings) add(ruleId, findingCase(finding, findings.length > 1));
    if (findings.length === 0 && errors.length === 0 && resource) add(ruleId, { name: describeRef(resource), classname: classnameOf(ruleId, resource) });
  };
  for (const evaluation of report.extensions.evaluations ?? []) emit(evaluation.ruleId, evaluation.resource);
  // Whole-inventory rules and runs without recorded evaluations still list every finding and error.
  for (const finding of report.findings) emit(finding.ruleId, finding.resource);
  for (const error of report.ruleErrors) emit(error.ruleId, error.resource);
  return cases;
}

function findingCase(finding: Finding, several: boolean): TestCase {
  const name = several && finding.path ? `${describeRef(finding.resource)} ${finding.path}` : describeRef(finding.resource);
  const where = finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}` : undefined;
  const origin = originLabel(finding.origin);
  const body = [
    finding.message,
    // A file name is one line whatever it holds: its line breaks are shown as `\u000a`, so it cannot start a line of its own.
    where && `at ${escapeForTerminal(where)}${finding.path ? ` (${finding.path})` : ''}`,
    // A cluster, audit, job-API or probe finding has no file: who, when and where are its origin.
    origin && `origin: ${origin}`,
    ...finding.evidence.map((line) => `evidence: ${line}`),
    `fix: ${finding.remediation}`,
  ].filter((line): line is string => typeof line === 'string' && line !== '');
  const base = { name, classname: classnameOf(finding.ruleId, finding.resource) };
  if (finding.suppression) {
    return { ...base, outcome: { tag: 'skipped', message: `suppressed (${finding.suppression.kind}): ${finding.suppression.reason}`, body: body.join('\n') } };
  }
  return { ...base, outcome: { tag: 'failure', message: `[${finding.severity}] ${finding.message}`, type: finding.severity, body: body.join('\n') } };
}

function errorCase(error: RuleError): TestCase {
  const name = error.resource ? describeRef(error.resource) : '(all resources)';
  return { name, classname: classnameOf(error.ruleId, error.resource), outcome: { tag: 'error', message: error.message, type: 'RuleError', body: error.message } };
}

/** CI views group by classname; the namespace keeps same-named resources of different teams apart. */
function classnameOf(ruleId: string, resource: ResourceRef | undefined): string {
  return `kfguard.${ruleId}${resource?.namespace ? `.${resource.namespace}` : ''}`;
}

function caseKey(ruleId: string, resource: ResourceRef | undefined): string {
  if (!resource) return `${ruleId}\u0000`;
  return [ruleId, resource.apiVersion, resource.kind, resource.namespace ?? '', resource.name].join('\u0000');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}
