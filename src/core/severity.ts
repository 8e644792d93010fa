export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Moves a severity down by `steps`, never below `floor`. */
export function lowerSeverity(severity: Severity, steps: number, floor: Severity = 'info'): Severity {
  const rank = Math.max(RANK[severity] - steps, RANK[floor]);
  return SEVERITIES.find((s) => RANK[s] === rank) ?? floor;
}

/** GitHub code scanning reads this 0-10 score from `properties.security-severity`. */
export const SECURITY_SEVERITY_SCORE: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};
