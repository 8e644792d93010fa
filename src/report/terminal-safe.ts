import type { Finding } from '../core/types.js';
import type { Report } from './report.js';

/**
 * Characters a terminal acts on instead of printing: C0 and C1 controls (ESC starts colour, cursor
 * and OSC 8/52 sequences; CR rewrites the line), DEL, bidirectional overrides that reorder what is
 * shown, and the Unicode line and paragraph separators. Text from manifests can hold any of them.
 * Invisible characters too (soft hyphen U+00AD, zero-width space U+200B, BOM U+FEFF, the tag
 * characters U+E0000-E007F): they print nothing, so `xmr\u200big` reads as `xmrig` to a reviewer
 * while a search for it fails, and tag characters carry hidden text (ASCII smuggling).
 */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/gu;

/** `\uXXXX`, or `\u{XXXXX}` beyond the Basic Multilingual Plane. */
function escapeOne(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every active character shown as a visible `\uXXXX` escape. */
export function escapeForTerminal(text: string): string {
  return text.replace(ACTIVE, escapeOne);
}

/**
 * JSON text (from JSON.stringify) with every active character written as a JSON `\uXXXX` escape:
 * the values parse back unchanged, and the file itself holds no byte a terminal or viewer acts
 * on. Outside string literals JSON text is ASCII, so only string contents change.
 */
export function escapeJsonText(json: string): string {
  // Raw newlines and tabs are JSON's own whitespace (inside strings JSON.stringify escapes them).
  return json.replace(ACTIVE, (c) => (c === '\n' || c === '\t' || c === '\r' ? c : [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')));
}

/** Like `escapeForTerminal`, but keeps the newlines and tabs kfguard itself writes between lines. */
export function escapeForTerminalLines(text: string): string {
  return text.replace(ACTIVE, (c) => (c === '\n' || c === '\t' ? c : escapeOne(c)));
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
    findings: findings.map(terminalSafeFinding),
  };
}

/** One finding as `terminalSafeReport` writes it: what came from input escaped, kfguard's own text kept. */
export function terminalSafeFinding({ title, remediation, ...finding }: Finding): Finding {
  return { ...(escapeDeep(finding) as typeof finding), title, remediation };
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
