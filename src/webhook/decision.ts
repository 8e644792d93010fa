import { atLeast } from '../core/severity.js';
import type { Finding } from '../core/types.js';
import type { DecisionSettings } from './settings.js';

/** The part of an AdmissionResponse kfguard decides (uid is added by the handler). */
export interface AdmissionDecision {
  readonly allowed: boolean;
  readonly message?: string;
  readonly warnings: readonly string[];
  readonly auditAnnotations: Readonly<Record<string, string>>;
  /** For logs and metrics: what happened, not what the API server sees. */
  readonly outcome: Outcome;
  readonly ruleIds: readonly string[];
}

export type Outcome = 'allowed' | 'denied' | 'warned' | 'audited' | 'exempted' | 'skipped' | 'failed-open' | 'failed-closed';

/** The API server shows warnings to kubectl users; long ones wrap badly and are truncated there anyway. */
export const MAX_WARNING_CHARS = 120;
const MAX_WARNINGS = 10;
const MAX_EVIDENCE_CHARS = 80;
const MAX_MESSAGE_CHARS = 1_000;

/**
 * Findings (already stripped of suppressions the author may not grant) to a decision. Findings at
 * or above the deny severity deny in `enforce`, warn in `warn`, and are only recorded in `audit`.
 */
export function decide(findings: readonly Finding[], settings: DecisionSettings, subject: string): AdmissionDecision {
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))];
  const blocking = findings.filter((f) => atLeast(f.severity, settings.denySeverity));
  const minor = findings.filter((f) => !atLeast(f.severity, settings.denySeverity));
  const wouldDeny = blocking.length > 0;
  const auditAnnotations = {
    decision: wouldDeny ? 'deny' : findings.length > 0 ? 'warn' : 'allow',
    ...(ruleIds.length > 0 ? { rules: ruleIds.join(',') } : {}),
    ...(settings.mode !== 'enforce' ? { mode: settings.mode } : {}),
  };
  if (settings.mode === 'audit') {
    return { allowed: true, warnings: [], auditAnnotations, outcome: findings.length > 0 ? 'audited' : 'allowed', ruleIds };
  }
  if (wouldDeny && settings.mode === 'enforce') {
    return { allowed: false, message: denyMessage(blocking, subject), warnings: warningsOf(minor), auditAnnotations, outcome: 'denied', ruleIds };
  }
  const warnings = warningsOf([...blocking, ...minor]);
  return { allowed: true, warnings, auditAnnotations, outcome: warnings.length > 0 ? 'warned' : 'allowed', ruleIds };
}

/** The decision when kfguard could not judge in time or a rule failed: the failure policy decides. */
export function failureDecision(settings: DecisionSettings, reason: string, ruleIds: readonly string[] = []): AdmissionDecision {
  const auditAnnotations = { decision: 'error', error: clip(reason, 250) };
  if (settings.failurePolicy === 'fail' && settings.mode === 'enforce') {
    return { allowed: false, message: `kfguard could not judge this request (${reason}); failure policy "fail" denies it`, warnings: [], auditAnnotations, outcome: 'failed-closed', ruleIds };
  }
  return { allowed: true, warnings: [clip(`kfguard: not judged: ${reason}`, MAX_WARNING_CHARS)], auditAnnotations, outcome: 'failed-open', ruleIds };
}

function denyMessage(blocking: readonly Finding[], subject: string): string {
  const parts = blocking.map((f) => {
    const evidence = f.evidence.slice(0, 2).map((e) => clip(oneLine(e), MAX_EVIDENCE_CHARS));
    const where = sameResource(f, subject) ? '' : ` on ${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
    return `${f.ruleId} (${f.severity})${where}: ${oneLine(f.message)}${evidence.length > 0 ? ` [${evidence.join('; ')}]` : ''}`;
  });
  return clip(`kfguard denied ${subject}: ${parts.join(' | ')}`, MAX_MESSAGE_CHARS);
}

function sameResource(finding: Finding, subject: string): boolean {
  const ref = finding.resource;
  return subject === `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function warningsOf(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of findings) {
    const line = clip(`kfguard ${f.severity} ${f.ruleId}: ${oneLine(f.message)}`, MAX_WARNING_CHARS);
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  if (lines.length <= MAX_WARNINGS) return lines;
  return [...lines.slice(0, MAX_WARNINGS - 1), `kfguard: ${lines.length - MAX_WARNINGS + 1} more findings; see the kfguard logs`];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
