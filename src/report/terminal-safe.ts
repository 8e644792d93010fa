import type { Report } from './report.js';

/**
 * Characters a terminal acts on instead of printing: C0 and C1 controls (ESC starts colour, cursor
 * and OSC 8/52 sequences; CR rewrites the line), DEL, bidirectional overrides that reorder what is
 * shown, and the Unicode line and paragraph separators. Text from manifests can hold any of them.
 */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** `text` with every active character shown as a visible `\uXXXX` escape. */
export function escapeForTerminal(text: string): string {
  return text.replace(ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Like `escapeForTerminal`, but keeps the newlines and tabs kfguard itself writes between lines. */
export function escapeForTerminalLines(text: string): string {
  return text.replace(ACTIVE, (c) => (c === '\n' || c === '\t' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * Every string of the report that can come from input, escaped for a terminal; kfguard's own text
 * (titles, remediation) is left as written. Walking the whole report rather than listing fields
 * keeps fields added later safe too.
 */
export function terminalSafeReport(report: Report): Report {
  const { findings, ...rest } = report;
  return {
    ...(escapeDeep(rest) as Omit<Report, 'findings'>),
    findings: findings.map(({ title, remediation, ...finding }) => ({ ...(escapeDeep(finding) as typeof finding), title, remediation })),
  };
}

function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return escapeForTerminal(value);
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[escapeForTerminal(key)] = escapeDeep(child);
    return out;
  }
  return value;
}
