import type { ProbedTarget, Report } from './report.js';

const VERDICT_ORDER = ['open', 'error', 'protected', 'not-found'] as const;

/** `kfguard probe`'s targets, open ones first, then those that could not be judged; every format lists them in this order. */
export function sortedProbedTargets(report: Report): readonly ProbedTarget[] | undefined {
  const targets = report.extensions.probedTargets;
  if (!targets) return undefined;
  return [...targets].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || a.url.localeCompare(b.url));
}

/** One line per target for formats without tables: `OPEN https://… Ray dashboard (open) — 2 endpoint(s)…; 14 request(s); opened by …`. */
export function probedTargetLine(target: ProbedTarget): string {
  const products = target.products.length > 0 ? ` ${target.products.join(', ')}` : '';
  const openedBy = target.openedBy ? `; opened by ${target.openedBy}` : '';
  return `${target.verdict === 'open' ? 'OPEN' : target.verdict} ${target.url}${products} — ${target.detail}; ${target.requests} request(s)${openedBy}`;
}
