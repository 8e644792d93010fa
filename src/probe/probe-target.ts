import type { Dispatcher } from 'undici';
import { authSignalOf, unjudgedRefusalOf } from './auth-signals.js';
import { displayUrl, excerptOf, shownField } from './excerpt.js';
import type { ProductFingerprint, ProductProbe } from './fingerprints.js';
import { probeGet, type HttpAnswer, type HttpOutcome, type ProbeHttpOptions } from './http-client.js';
import type { Limiter } from './limiter.js';
import { isEmptyListMatch, jsonOf, matches } from './match.js';
import type { AuthSignal, FingerprintHit, ProbeTarget, TargetResult, TargetVerdict } from './types.js';

export interface TargetContext {
  readonly fingerprints: readonly ProductFingerprint[];
  readonly http: ProbeHttpOptions;
  readonly dispatcher: Dispatcher;
  readonly limiter: Limiter;
  /** Aborts when the whole run's budget is spent. */
  readonly totalSignal: AbortSignal;
  readonly targetBudgetMs: number;
  /** `--namespace` values, asked of namespaced APIs (Argo's `/api/v1/workflows/{namespace}`). */
  readonly namespaces?: readonly string[];
}

/** A namespaced path is asked for at most this many namespaces per target. */
export const MAX_NAMESPACES_PER_PROBE = 8;
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NOT_ASKED: HttpOutcome = { ok: false, error: 'not asked: time budget spent', hops: [] };

/** The URL a probe path asks for under the target: the target's path is a prefix (a notebook's, a proxied UI's). */
export function probeUrl(target: string, path: string): string {
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.protocol}//${base.host}${prefix}${path}`;
}

/**
 * A target's own time budget. Its clock starts when its first request starts, not when it is
 * queued: with a small --concurrency, a slow target ahead in the queue must not spend the others'.
 */
class TargetClock {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal;

  constructor(private readonly budgetMs: number) {
    this.signal = this.controller.signal;
  }

  start(): void {
    if (this.timer !== undefined || this.signal.aborted) return;
    this.timer = setTimeout(() => this.controller.abort(new Error('per-target budget spent')), this.budgetMs);
  }

  get ranOut(): boolean {
    return this.signal.aborted;
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

interface Asked {
  readonly product: ProductFingerprint;
  readonly probe: ProductProbe;
  /** The probe's path with `{namespace}` filled in. */
  readonly path: string;
  readonly outcome: HttpOutcome;
  /** For a namespaced path: the answer of the path that named the namespace matched (Argo's info is open). */
  readonly namerOpen?: boolean;
}

/** Asks every fingerprint's paths of one target (each URL once) and judges the answers. */
export async function probeTarget(target: ProbeTarget, context: TargetContext): Promise<TargetResult> {
  const clock = new TargetClock(context.targetBudgetMs);
  const signal = AbortSignal.any([context.totalSignal, clock.signal]);
  const answers = new Map<string, Promise<HttpOutcome>>();
  const ask = (path: string, followUp: boolean): Promise<HttpOutcome> => {
    const url = probeUrl(target.url, path);
    let pending = answers.get(url);
    if (!pending) {
      pending = signal.aborted
        ? Promise.resolve(NOT_ASKED)
        : context.limiter.run(() => {
            if (signal.aborted) return Promise.resolve(NOT_ASKED);
            clock.start();
            return probeGet(url, context.http, context.dispatcher, signal);
          }, followUp);
      answers.set(url, pending);
    }
    return pending;
  };
  let asked: Asked[];
  try {
    const rounds = context.fingerprints.flatMap((product) =>
      product.probes.map(async (probe): Promise<Asked[]> => {
        if (!probe.namespaces) return [{ product, probe, path: probe.path, outcome: await ask(probe.path, false) }];
        const namer = await ask(probe.namespaces.fromPath, false);
        const namerProbe = product.probes.find((p) => p.path === probe.namespaces?.fromPath && !p.namespaces);
        const namerOpen = namer.ok && namerProbe !== undefined && hitOf(product, namerProbe, namer.answer, context.http.headers) !== undefined;
        const paths = namespacesToAsk(probe, namer, context.namespaces ?? []).map((ns) => probe.path.replace('{namespace}', encodeURIComponent(ns)));
        return Promise.all(paths.map(async (path) => ({ product, probe, path, outcome: await ask(path, true), namerOpen })));
      }),
    );
    asked = (await Promise.all(rounds)).flat();
  } finally {
    clock.stop();
  }
  return judge(target, asked, answers.size, context, clock.ranOut);
}

/** The namespace the product itself names (Argo's managedNamespace), then --namespace, then the usual ones; valid names only. */
function namespacesToAsk(probe: ProductProbe, namer: HttpOutcome, given: readonly string[]): string[] {
  const spec = probe.namespaces;
  if (!spec) return [];
  const named = namer.ok ? jsonOf(namer.answer) : undefined;
  const fromAnswer = named !== null && typeof named === 'object' && !Array.isArray(named) ? (named as Record<string, unknown>)[spec.field] : undefined;
  const candidates = [...(typeof fromAnswer === 'string' ? [fromAnswer] : []), ...given, ...spec.defaults];
  return [...new Set(candidates.filter((ns) => NAMESPACE_NAME.test(ns)))].slice(0, MAX_NAMESPACES_PER_PROBE);
}

function judge(target: ProbeTarget, asked: readonly Asked[], requests: number, context: TargetContext, targetRanOut: boolean): TargetResult {
  const hits: FingerprintHit[] = [];
  const authSignals: AuthSignal[] = [];
  const errors: { path: string; error: string }[] = [];
  const unjudgedProducts = new Set<string>();
  const seenPaths = new Set<string>();
  for (const { product, probe, path, outcome, namerOpen } of asked) {
    const firstTimeForPath = !seenPaths.has(path);
    seenPaths.add(path);
    if (!outcome.ok) {
      if (firstTimeForPath) errors.push({ path, error: outcome.error });
      unjudgedProducts.add(product.id);
      continue;
    }
    const hit = hitOf(product, probe, outcome.answer, context.http.headers, path);
    if (hit) hits.push(hit);
    const refusal = unjudgedRefusalOf(outcome.answer);
    if (refusal !== undefined) {
      if (firstTimeForPath) errors.push({ path, error: refusal });
      unjudgedProducts.add(product.id);
      continue;
    }
    // A namespaced Argo Server whose info answers openly refuses other namespaces with 403 in
    // server mode too (its service account may not list there): that is not authentication.
    if (namerOpen === true && outcome.answer.status === 403) {
      if (firstTimeForPath) errors.push({ path, error: `403 for this namespace while ${probe.namespaces?.fromPath ?? ''} answers without credentials: the server's own permissions, not authentication (ask its namespace with --namespace)` });
      unjudgedProducts.add(product.id);
      continue;
    }
    const signalText = authSignalOf(outcome.answer);
    if (signalText !== undefined && firstTimeForPath) authSignals.push({ path, chain: chainOf(outcome.answer), signal: signalText });
    // A redirect to another host proves nothing about authentication (load balancers send bare IPs
    // to the canonical name): the path is left unjudged, so a target that only redirects is an error.
    const away = outcome.answer.unfollowed;
    if (!hit && signalText === undefined && away?.reason === 'cross-host' && firstTimeForPath) {
      errors.push({ path, error: `redirected to another host (${hostOf(away.location)}), not followed: probe that URL, or pass --follow-cross-host` });
    }
  }
  const kept = withoutUnbackedEmptyLists(hits);
  const stopped = context.totalSignal.aborted ? 'the total time budget ran out' : targetRanOut ? `the per-target budget of ${context.targetBudgetMs / 1000} s ran out` : undefined;
  return {
    url: target.url,
    verdict: verdictOf(kept, authSignals, errors.length, seenPaths.size, unjudgedProducts),
    hits: kept.map(({ emptyList: _emptyList, ...hit }) => hit),
    authSignals,
    errors,
    requests,
    ...(stopped === undefined ? {} : { stopped }),
    ...(target.openedBy === undefined ? {} : { openedBy: target.openedBy }),
  };
}

/** An empty list is what any catch-all JSON server answers: it proves a product open only when the product was identified otherwise. */
function withoutUnbackedEmptyLists(hits: readonly (FingerprintHit & { emptyList?: boolean })[]): (FingerprintHit & { emptyList?: boolean })[] {
  const backed = new Set(hits.filter((hit) => hit.emptyList !== true).map((hit) => hit.productId));
  return hits.filter((hit) => hit.emptyList !== true || backed.has(hit.productId));
}

function verdictOf(hits: readonly FingerprintHit[], auth: readonly AuthSignal[], errors: number, paths: number, unjudged: ReadonlySet<string>): TargetVerdict {
  if (hits.some((hit) => hit.kind === 'open')) return 'open';
  if (auth.length > 0) return 'protected';
  // A target that answered nothing at all could not be judged; one that answered without any fingerprint is not one of these products.
  if (errors === paths) return 'error';
  // A product recognised by its public endpoints whose data endpoints could not be judged is neither open nor protected.
  if (hits.some((hit) => unjudged.has(hit.productId))) return 'error';
  return 'not-found';
}

function hitOf(product: ProductFingerprint, probe: ProductProbe, answer: HttpAnswer, sentHeaders: Readonly<Record<string, string>>, path = probe.path): (FingerprintHit & { emptyList?: boolean }) | undefined {
  const json = jsonOf(answer);
  const matcher = probe.open ?? probe.identify;
  if (!matcher || !matches(matcher, answer, json)) return undefined;
  // A server may echo the request: what --header sent is never shown back.
  const hidden = Object.values(sentHeaders);
  const shown = probe.show.flatMap((field) => {
    const value = shownField(json, field, hidden);
    return value === undefined ? [] : [{ field, value }];
  });
  const also = probe.alsoWhen;
  const alsoProven = also !== undefined && json !== null && typeof json === 'object' && (json as Record<string, unknown>)[also.field] === also.equals;
  return {
    productId: product.id,
    productName: product.name,
    ruleId: product.ruleId,
    kind: probe.open ? 'open' : 'identify',
    path,
    source: probe.source,
    chain: chainOf(answer),
    shown,
    excerpt: excerptOf(answer.body, json, hidden),
    ...(isEmptyListMatch(matcher, json) ? { emptyList: true } : {}),
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
