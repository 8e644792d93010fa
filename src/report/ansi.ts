import type { Severity } from '../core/severity.js';

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const wrap = (code: string, text: string): string => `\u001b[${code}m${text}\u001b[0m`;

const SEVERITY_CODES: Readonly<Record<Severity, string>> = {
  critical: '1;97;41',
  high: '1;31',
  medium: '33',
  low: '36',
  info: '2',
};

export function paint(color: boolean): Paint {
  if (!color) {
    const same = (text: string): string => text;
    return { bold: same, dim: same, severity: (_s, t) => t, red: same, green: same, yellow: same };
  }
  return {
    bold: (t) => wrap('1', t),
    dim: (t) => wrap('2', t),
    severity: (s, t) => wrap(SEVERITY_CODES[s], t),
    red: (t) => wrap('31', t),
    green: (t) => wrap('32', t),
    yellow: (t) => wrap('33', t),
  };
}
