import type { Report } from './report.js';

/**
 * Source-wide gaps (`ruleId: '*'`): a list the cluster refused or that failed, one a snapshot's
 * header names, a job API that could not be read. Findings say nothing about what was not read,
 * so a report with such gaps and no failing finding is no pass; the exit code stays (a refused
 * list is never fatal), the verdict says it.
 */
export function unreadSources(report: Pick<Report, 'coverage'>): number {
  return report.coverage.filter((entry) => entry.ruleId === '*').length;
}
