import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_LIMITS } from '../core/budget.js';
import { evaluateObject, evaluateRemoval, type ObjectEvaluation } from '../core/engine.js';
import { errorMessage } from '../core/errors.js';
import { atLeast } from '../core/severity.js';
import type { Rule } from '../core/rule.js';
import type { Snapshot } from '../core/snapshot.js';
import type { AdmissionOrigin, Finding, K8sObject, ScannedObject } from '../core/types.js';
import { AUTH_CHAIN_KINDS } from '../exposure/auth-chain-kinds.js';
import { newSnapshot, podLabelsOf } from '../k8s/inventory.js';
import { applySuppressions } from '../suppress/apply.js';
import { inlineIgnoreRefused } from '../suppress/untrusted-annotations.js';
import { decide, failureDecision, type AdmissionDecision } from './decision.js';
import { exemptionsFor } from './exemptions.js';
import { kindJudgedBy } from './kinds.js';
import type { Logger } from './logging.js';
import type { WebhookMetrics } from './metrics.js';
import { parseReview, reviewResponse, type AdmissionRequest } from './review.js';
import type { DecisionSettings } from './settings.js';

export interface JudgeContext {
  readonly rules: readonly Rule[];
  readonly config: KfguardConfig;
  readonly settings: DecisionSettings;
  /** The snapshot once loaded; undefined before. */
  readonly snapshot: () => Snapshot | undefined;
  readonly metrics: WebhookMetrics;
  readonly logger: Logger;
  /**
   * Awaited before judging. Tests use it to make the slow path (past the deadline) reachable
   * without a slow rule; the product leaves it unset.
   */
  readonly beforeJudge?: (request: AdmissionRequest) => Promise<void>;
}

export interface HandlerResult {
  readonly status: number;
  readonly body: unknown;
}

/** Categories whose verdict, when a budget cuts it short, is a failure to judge (see cutShortJudgement). */
const MUST_FINISH = new Set(['threat', 'exposure']);

/**
 * POST /validate: a request body to an HTTP status and AdmissionReview. Never throws. Synchronous
 * unless the test hook is set: a promise per review is work the API server waits for.
 */
export function handleReview(body: string, context: JudgeContext, receivedAt: number): HandlerResult | Promise<HandlerResult> {
  const parsed = parseReview(body);
  if (!parsed.ok) {
    context.metrics.rejected.inc({ reason: parsed.message.startsWith('malformed JSON') ? 'malformed' : 'invalid' });
    return { status: 400, body: { error: parsed.message } };
  }
  const { request } = parsed;
  const decision = judgeWithDeadline(request, context, receivedAt);
  return decision instanceof Promise ? decision.then((d) => answer(request, d, context, receivedAt)) : answer(request, decision, context, receivedAt);
}

/** Counts, logs and wraps a decision. */
function answer(request: AdmissionRequest, decision: AdmissionDecision, context: JudgeContext, receivedAt: number): HandlerResult {
  const latencyMs = performance.now() - receivedAt;
  const kind = request.kind.kind || 'unknown';
  context.metrics.reviewed(kind, request.operation, decision.outcome, latencyMs / 1000);
  context.logger.info(
    {
      uid: request.uid,
      kind,
      namespace: request.object?.metadata?.namespace ?? request.namespace,
      name: request.object?.metadata?.name ?? request.name,
      operation: request.operation,
      user: request.user,
      dryRun: request.dryRun,
      decision: decision.outcome,
      allowed: decision.allowed,
      rules: decision.ruleIds,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
    },
    'admission review',
  );
  return { status: 200, body: reviewResponse(request.uid, decision) };
}

/** Judges the request, or answers by the failure policy once the internal deadline passes. */
function judgeWithDeadline(request: AdmissionRequest, context: JudgeContext, receivedAt: number): AdmissionDecision | Promise<AdmissionDecision> {
  const { settings } = context;
  const remaining = settings.deadlineMs - (performance.now() - receivedAt);
  if (remaining <= 0) return failureDecision(settings, `deadline of ${settings.deadlineMs} ms passed before judging`);
  // Judging is synchronous (the engine never awaits), so no timer could fire before it ends: the
  // deadline is checked once it returns. A timer and a promise race per review cost more than the
  // rest of the webhook's own work; they are kept for the asynchronous hook only.
  if (!context.beforeJudge) {
    try {
      return judge(request, context, receivedAt);
    } catch (error) {
      return internalError(request, context, error);
    }
  }
  return judgeAfterHook(request, context, context.beforeJudge, receivedAt, remaining);
}

async function judgeAfterHook(request: AdmissionRequest, context: JudgeContext, hook: NonNullable<JudgeContext['beforeJudge']>, receivedAt: number, remaining: number): Promise<AdmissionDecision> {
  const { settings } = context;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<AdmissionDecision>((resolve) => {
    timer = setTimeout(() => resolve(failureDecision(settings, `no decision within the ${settings.deadlineMs} ms deadline`)), remaining);
  });
  try {
    return await Promise.race([hook(request).then(() => judge(request, context, receivedAt)), deadline]);
  } catch (error) {
    return internalError(request, context, error);
  } finally {
    clearTimeout(timer);
  }
}

/** judge() catches what rules throw; this is a bug in kfguard itself, still never a crash. */
function internalError(request: AdmissionRequest, context: JudgeContext, error: unknown): AdmissionDecision {
  context.logger.error({ uid: request.uid, err: errorMessage(error) }, 'admission review failed');
  return failureDecision(context.settings, 'internal error');
}

const judgedKinds = new WeakMap<readonly Rule[], (kind: string) => boolean>();

/** Whether any of the context's rules can find something on an admitted object of this kind; cached per rule list. */
function isJudged(kind: string, rules: readonly Rule[]): boolean {
  let judged = judgedKinds.get(rules);
  if (!judged) {
    judged = kindJudgedBy(rules);
    judgedKinds.set(rules, judged);
  }
  return judged(kind);
}

function judge(request: AdmissionRequest, context: JudgeContext, receivedAt: number): AdmissionDecision {
  const { settings } = context;
  if (request.operation === 'DELETE') return judgeRemoval(request, context, receivedAt);
  if (!request.object) return decide([], settings, subjectOf(request));
  // A kind no rule matches or reads cannot be denied: answer before exemptions and the snapshot.
  // The object's own kind, not request.kind, which the API server may report as an equivalent version.
  if (!isJudged(request.object.kind, context.rules)) return { allowed: true, warnings: [], auditAnnotations: { decision: 'allow' }, outcome: 'skipped', ruleIds: [] };
  const exemptions = exemptionsFor(request, settings.exemptions);
  if (exemptions.some((e) => e.rules === undefined)) {
    return { allowed: true, warnings: [], auditAnnotations: { decision: 'exempt', reason: exemptions[0]?.reason ?? '' }, outcome: 'exempted', ruleIds: [] };
  }
  const snapshot = context.snapshot();
  const origin: AdmissionOrigin = { kind: 'admission', uid: request.uid, operation: request.operation, user: request.user, groups: request.groups, dryRun: request.dryRun };
  const scanned: ScannedObject = { object: request.object, origin };
  if (!snapshot) return judgeBeforeSync(scanned, request, context, exemptions, receivedAt);
  const remaining = Math.max(1, settings.deadlineMs - (performance.now() - receivedAt));
  const evaluation = evaluateObject(snapshot, scanned, {
    rules: context.rules,
    config: context.config,
    podLabelsOf,
    // The engine's per-object budget, never beyond what the deadline leaves.
    limits: { ...DEFAULT_LIMITS, timeMs: Math.min(DEFAULT_LIMITS.timeMs, remaining) },
  });
  record(evaluation, request, context);
  if (performance.now() - receivedAt > settings.deadlineMs) return failureDecision(settings, `judging took longer than the ${settings.deadlineMs} ms deadline`);
  if (evaluation.ruleErrors.length > 0) {
    const ids = [...new Set(evaluation.ruleErrors.map((e) => e.ruleId))];
    return failureDecision(settings, `rule ${ids.join(', ')} failed`, ids);
  }
  const found = evaluation.introduced.length > 0 ? [...evaluation.findings, ...evaluation.introduced] : evaluation.findings;
  const exemptRules = new Set(exemptions.flatMap((e) => e.rules ?? []));
  const findings = found.length === 0 ? found : activeFindings(found, scanned, context.config).filter((f) => !exemptRules.has(f.ruleId));
  const unfinished = cutShortJudgement(evaluation, context.rules, exemptRules);
  if (unfinished && !findings.some((f) => atLeast(f.severity, settings.denySeverity))) {
    return failureDecision(settings, `judging was cut short (${unfinished.ruleId}: ${unfinished.reason})`, [unfinished.ruleId]);
  }
  return decide(findings, settings, subjectOf(request));
}

/**
 * A threat or exposure verdict that a budget or cap cut short is no verdict: its author can nest
 * a payload one layer past any limit, and a warning would let it in. It is answered as any other
 * failure to judge, by the failure policy, unless what was found already denies.
 */
function cutShortJudgement(evaluation: ObjectEvaluation, rules: readonly Rule[], exemptRules: ReadonlySet<string>): { ruleId: string; reason: string } | undefined {
  for (const entry of evaluation.coverage) {
    if (entry.resource === undefined || exemptRules.has(entry.ruleId)) continue;
    const category = rules.find((rule) => rule.meta.id === entry.ruleId)?.meta.category;
    if (category !== undefined && MUST_FINISH.has(category)) return { ruleId: entry.ruleId, reason: entry.reason };
  }
  return undefined;
}

/** Rules that can judge an object with no snapshot at all: the threat rule on the object itself. */
const objectLocalRules = new WeakMap<readonly Rule[], readonly Rule[]>();
let emptySnapshot: Snapshot | undefined;

/**
 * Before the snapshot syncs, cross-object rules cannot judge; the failure policy decides for them.
 * A miner needs no snapshot to be seen, and with `--failure-policy ignore` it would pass in that
 * window: the object-local rules judge it over an empty snapshot, and a finding at the deny
 * severity is decided as usual. Anything else follows the failure policy.
 */
function judgeBeforeSync(scanned: ScannedObject, request: AdmissionRequest, context: JudgeContext, exemptions: readonly { readonly rules?: readonly string[] }[], receivedAt: number): AdmissionDecision {
  const { settings } = context;
  let rules = objectLocalRules.get(context.rules);
  if (!rules) {
    rules = context.rules.filter((rule) => rule.meta.needs.snapshot !== 'required');
    objectLocalRules.set(context.rules, rules);
  }
  emptySnapshot ??= newSnapshot();
  const remaining = Math.max(1, settings.deadlineMs - (performance.now() - receivedAt));
  const evaluation = evaluateObject(emptySnapshot, scanned, { rules, config: context.config, podLabelsOf, limits: { ...DEFAULT_LIMITS, timeMs: Math.min(DEFAULT_LIMITS.timeMs, remaining) } });
  record(evaluation, request, context);
  const exemptRules = new Set(exemptions.flatMap((e) => e.rules ?? []));
  const blocking = activeFindings(evaluation.findings, scanned, context.config).filter((f) => !exemptRules.has(f.ruleId) && atLeast(f.severity, settings.denySeverity));
  if (blocking.length > 0) return decide(blocking, settings, subjectOf(request));
  return failureDecision(settings, 'the snapshot is not loaded yet');
}

/**
 * A deletion removes what could be exposed or mined, so it is allowed, except of the objects that
 * authenticate the gateway: that is judged as the snapshot without the object, and denied for the
 * exposure findings the removal introduces on other objects (the gateway Service).
 */
function judgeRemoval(request: AdmissionRequest, context: JudgeContext, receivedAt: number): AdmissionDecision {
  const { settings } = context;
  const kind = request.oldObject?.kind ?? request.kind.kind;
  if (!AUTH_CHAIN_KINDS.includes(kind)) return decide([], settings, subjectOf(request));
  const exemptions = exemptionsFor(request, settings.exemptions);
  if (exemptions.some((e) => e.rules === undefined)) {
    return { allowed: true, warnings: [], auditAnnotations: { decision: 'exempt', reason: exemptions[0]?.reason ?? '' }, outcome: 'exempted', ruleIds: [] };
  }
  const snapshot = context.snapshot();
  if (!snapshot) return failureDecision(settings, 'the snapshot is not loaded yet');
  const stored = request.oldObject ?? storedObject(snapshot, request, kind);
  // Not in the snapshot: removing it changes nothing kfguard can see.
  if (!stored) return decide([], settings, subjectOf(request));
  const origin: AdmissionOrigin = { kind: 'admission', uid: request.uid, operation: request.operation, user: request.user, groups: request.groups, dryRun: request.dryRun };
  const removed: ScannedObject = { object: stored, origin };
  const remaining = Math.max(1, settings.deadlineMs - (performance.now() - receivedAt));
  const evaluation = evaluateRemoval(snapshot, removed, {
    rules: context.rules,
    config: context.config,
    podLabelsOf,
    limits: { ...DEFAULT_LIMITS, timeMs: Math.min(DEFAULT_LIMITS.timeMs, remaining) },
  });
  record(evaluation, request, context);
  if (performance.now() - receivedAt > settings.deadlineMs) return failureDecision(settings, `judging took longer than the ${settings.deadlineMs} ms deadline`);
  if (evaluation.ruleErrors.length > 0) {
    const ids = [...new Set(evaluation.ruleErrors.map((e) => e.ruleId))];
    return failureDecision(settings, `rule ${ids.join(', ')} failed`, ids);
  }
  const exemptRules = new Set(exemptions.flatMap((e) => e.rules ?? []));
  const findings = activeFindings(evaluation.introduced, removed, context.config).filter((f) => !exemptRules.has(f.ruleId));
  const unfinished = cutShortJudgement(evaluation, context.rules, exemptRules);
  if (unfinished && !findings.some((f) => atLeast(f.severity, settings.denySeverity))) {
    return failureDecision(settings, `judging was cut short (${unfinished.ruleId}: ${unfinished.reason})`, [unfinished.ruleId]);
  }
  return decide(findings, settings, subjectOf(request));
}

/** The snapshot's copy of the object a DELETE names, when the request carries no oldObject. */
function storedObject(snapshot: Snapshot, request: AdmissionRequest, kind: string): K8sObject | undefined {
  if (request.name === undefined) return undefined;
  return snapshot.get(kind, request.namespace || undefined, request.name, request.kind.group)?.object;
}

/** Rule errors and budget overruns: counted and logged, never with the object. */
function record(evaluation: ObjectEvaluation, request: AdmissionRequest, context: JudgeContext): void {
  for (const error of evaluation.ruleErrors) {
    context.metrics.ruleErrors.inc({ rule: error.ruleId });
    context.logger.error({ uid: request.uid, rule: error.ruleId, err: error.message }, 'rule failed');
  }
  for (const entry of evaluation.coverage) {
    if (entry.resource === undefined) continue;
    context.metrics.budgetOverruns.inc({ rule: entry.ruleId });
    context.logger.warn({ uid: request.uid, rule: entry.ruleId, reason: entry.reason }, 'evaluation cut short by its budget');
  }
}

/**
 * Findings that still count: config suppressions apply (the server's file); the author's inline
 * annotation applies only where the server's config opts in (`liveInlineIgnores`), never for the
 * threat and exposure categories or the rules an intruder would hide: the person creating the
 * object is the one the rule is about (in the 2021 campaign, the attacker). `applySuppressions`
 * refuses those already; an inline suppression it let through on them would still count here.
 */
function activeFindings(findings: readonly Finding[], scanned: ScannedObject, config: KfguardConfig): Finding[] {
  const { findings: marked } = applySuppressions(findings, [scanned], config, today());
  return marked.filter((f) => !f.suppression || (f.suppression.kind === 'inline' && inlineIgnoreRefused(f, config.liveInlineIgnores) !== undefined));
}

let todayCache = { until: 0, day: '' };

/** Today's UTC date for suppression expiry, formatted once per day rather than per review. */
function today(): string {
  const now = Date.now();
  if (now >= todayCache.until) {
    const day = new Date(now).toISOString().slice(0, 10);
    todayCache = { until: Date.parse(`${day}T00:00:00Z`) + 86_400_000, day };
  }
  return todayCache.day;
}

function subjectOf(request: AdmissionRequest): string {
  const namespace = request.object?.metadata?.namespace ?? request.oldObject?.metadata?.namespace ?? request.namespace;
  const name = request.object?.metadata?.name ?? request.oldObject?.metadata?.name ?? request.name ?? '(generated name)';
  return `${request.kind.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
