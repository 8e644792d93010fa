import type { Dispatcher } from 'undici';
import { authSignalOf } from './auth-signals.js';
import { displayUrl, excerptOf, shownField } from './excerpt.js';
import type { ProductFingerprint, ProductProbe } from './fingerprints.js';
import { probeGet, type HttpAnswer, type HttpOutcome, type ProbeHttpOptions } from './http-client.js';
import type { Limiter } from './limiter.js';
import { jsonOf, matches } from './match.js';
import type { AuthSignal, FingerprintHit, ProbeTarget, TargetResult, TargetVerdict } from './types.js';

export interface TargetContext {
  readonly fingerprints: readonly ProductFingerprint[];
  readonly http: ProbeHttpOptions;
  readonly dispatcher: Dispatcher;
  readonly limiter: Limiter;
  /** Aborts when the whole run's budget is spent. */
  readonly totalSignal: AbortSignal;
  readonly targetBudgetMs: number;
}

/** The URL a probe path asks for under the target: the target's path is a prefix (a notebook's, a proxied UI's). */
export function probeUrl(target: string, path: string): string {
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.protocol}//${base.host}${prefix}${path}`;
}

/** Asks every fingerprint's paths of one target (each URL once) and judges the answers. */
export async function probeTarget(target: ProbeTarget, context: TargetContext): Promise<TargetResult> {
  const budget = AbortSignal.timeout(context.targetBudgetMs);
  const signal = AbortSignal.any([context.totalSignal, budget]);
  const answers = new Map<string, Promise<HttpOutcome>>();
  const ask = (url: string): Promise<HttpOutcome> => {
    let pending = answers.get(url);
    if (!pending) {
      pending = signal.aborted
        ? Promise.resolve<HttpOutcome>({ ok: false, error: 'not asked: time budget spent', hops: [] })
        : context.limiter.run(() => (signal.aborted ? Promise.resolve<HttpOutcome>({ ok: false, error: 'not asked: time budget spent', hops: [] }) : probeGet(url, context.http, context.dispatcher, signal)));
      answers.set(url, pending);
    }
    return pending;
  };
  const asked = context.fingerprints.flatMap((product) => product.probes.map((probe) => ({ product, probe, url: probeUrl(target.url, probe.path) })));
  const outcomes = await Promise.all(asked.map(async (entry) => ({ ...entry, outcome: await ask(entry.url) })));

  const hits: FingerprintHit[] = [];
  const authSignals: AuthSignal[] = [];
  const errors: { path: string; error: string }[] = [];
  const seenPaths = new Set<string>();
  for (const { product, probe, outcome } of outcomes) {
    const firstTimeForPath = !seenPaths.has(probe.path);
    seenPaths.add(probe.path);
    if (!outcome.ok) {
      if (firstTimeForPath) errors.push({ path: probe.path, error: outcome.error });
      continue;
    }
    const hit = hitOf(product, probe, outcome.answer);
    if (hit) hits.push(hit);
    const signalText = authSignalOf(outcome.answer);
    if (signalText !== undefined && firstTimeForPath) authSignals.push({ path: probe.path, chain: chainOf(outcome.answer), signal: signalText });
    // A redirect to another host proves nothing about authentication (load balancers send bare IPs
    // to the canonical name): the path is left unjudged, so a target that only redirects is an error.
    const away = outcome.answer.unfollowed;
    if (!hit && signalText === undefined && away?.reason === 'cross-host' && firstTimeForPath) {
      errors.push({ path: probe.path, error: `redirected to another host (${hostOf(away.location)}), not followed: probe that URL, or pass --follow-cross-host` });
    }
  }
  const stopped = context.totalSignal.aborted ? 'the total time budget ran out' : budget.aborted ? `the per-target budget of ${context.targetBudgetMs / 1000} s ran out` : undefined;
  return {
    url: target.url,
    verdict: verdictOf(hits, authSignals, errors.length, seenPaths.size),
    hits,
    authSignals,
    errors,
    requests: answers.size,
    ...(stopped === undefined ? {} : { stopped }),
    ...(target.openedBy === undefined ? {} : { openedBy: target.openedBy }),
  };
}

function verdictOf(hits: readonly FingerprintHit[], auth: readonly AuthSignal[], errors: number, paths: number): TargetVerdict {
  if (hits.some((hit) => hit.kind === 'open')) return 'open';
  if (auth.length > 0) return 'protected';
  // A target that answered nothing at all could not be judged; one that answered without any fingerprint is not one of these products.
  if (errors === paths) return 'error';
  return 'not-found';
}

function hitOf(product: ProductFingerprint, probe: ProductProbe, answer: HttpAnswer): FingerprintHit | undefined {
  const json = jsonOf(answer);
  const matcher = probe.open ?? probe.identify;
  if (!matcher || !matches(matcher, answer, json)) return undefined;
  const shown = probe.show.flatMap((field) => {
    const value = shownField(json, field);
    return value === undefined ? [] : [{ field, value }];
  });
  const also = probe.alsoWhen;
  const alsoProven = also !== undefined && json !== null && typeof json === 'object' && (json as Record<string, unknown>)[also.field] === also.equals;
  return {
    productId: product.id,
    productName: product.name,
    ruleId: product.ruleId,
    kind: probe.open ? 'open' : 'identify',
    path: probe.path,
    source: probe.source,
    chain: chainOf(answer),
    shown,
    excerpt: excerptOf(answer.body, json),
    ...(probe.note === undefined ? {} : { note: probe.note }),
    ...(alsoProven ? { alsoRuleId: also.ruleId } : {}),
  };
}

/** `GET https://host/api → 302 → https://host/login → 200 text/html`, with query values and user info left out. */
export function chainOf(answer: HttpAnswer): string {
  const parts = [`GET ${displayUrl(answer.hops[0]?.url ?? answer.url)}`];
  for (const hop of answer.hops) {
    if (hop.location !== undefined) parts.push(`${hop.status}`, displayUrl(hop.location));
  }
  if (answer.unfollowed) parts.push(`(not followed: ${answer.unfollowed.reason})`);
  else parts.push(`${answer.status}${answer.contentType ? ` ${answer.contentType.split(';')[0]}` : ''}${answer.truncated ? ' (body cut at 64 KiB)' : ''}`);
  return parts.join(' → ');
}

function hostOf(location: string): string {
  try {
    return new URL(location).host;
  } catch {
    return 'an unparsable location';
  }
}
