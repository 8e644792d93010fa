import type { KfguardConfig } from '../core/config-types.js';
import type { Rule } from '../core/rule.js';
import type { Snapshot } from '../core/snapshot.js';
import { identityOf } from '../core/snapshot.js';
import type { RuleError, ScannedObject } from '../core/types.js';
import { LiveSnapshot, type LiveChange, type LiveSnapshotOptions } from '../sources/cluster/live-snapshot.js';
import { refOf } from '../core/object.js';
import { unreadKindsOf } from '../core/unread-kinds.js';
import { AUTH_CHAIN_KINDS } from '../exposure/auth-chain-kinds.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { resourceKeyOf, type FindingChange } from './finding-tracker.js';
import { LiveEvaluator } from './live-evaluator.js';
import { coverageRecord, findingRecord, type WatchSink } from './sinks.js';

/** Updates waiting to be judged at most; past it, the next full evaluation judges everything. */
const MAX_PENDING_UPDATES = 100_000;
/**
 * Full evaluations take at most this share of the time: on a large cluster under constant churn
 * one takes seconds of CPU, and running one every `resyncMs` would leave too little for judging
 * the changes themselves.
 */
const MAX_RECONCILE_SHARE = 0.1;
/** Judging queued updates yields to the event loop (watch streams, signals) this often. */
const DRAIN_SLICE_MS = 20;
/** The engine's baselines are brought up to date at most this often (see `warm`). */
const WARM_EVERY_MS = 1_000;
/** The shortest slice of queued updates, however busy reading is: updates still progress. */
const MIN_DRAIN_SLICE_MS = 2;

export interface WatchSessionOptions extends Pick<LiveSnapshotOptions, 'kubeconfig' | 'context' | 'env' | 'serviceAccountRoot' | 'namespaces' | 'client' | 'timing' | 'rediscoverMs'> {
  readonly rules: readonly Rule[];
  readonly config: KfguardConfig;
  readonly knownRuleIds?: readonly string[];
  readonly sinks: readonly WatchSink[];
  /** Full evaluations after changes happen at most this often (what a change resolves elsewhere). */
  readonly resyncMs: number;
  /** Lifecycle messages (synced, retries, rule errors) for stderr. */
  readonly log: (message: string) => void;
  /** After each batch of finding changes, with every open finding (metrics). */
  readonly onFindings?: (evaluator: LiveEvaluator) => void;
  readonly onEvent?: (type: LiveChange['type'] | 'relist') => void;
}

/**
 * `kfguard watch`: a live snapshot whose changes are judged as they arrive, with a full
 * evaluation at sync and, after changes, at most every `resyncMs`; finding and coverage changes go
 * to every sink.
 */
export class WatchSession {
  readonly evaluator: LiveEvaluator;
  private live: LiveSnapshot | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private gapReasons = new Set<string>();
  /** Updates to objects already judged, coalesced by identity, judged in slices between reads. */
  private readonly pending = new Map<string, ScannedObject>();
  /**
   * For each pending update, the copy it replaced (the first, when updates coalesce): the objects
   * that read either are judged again after it (`judgeUpdatedDependents`).
   */
  private readonly replaced = new Map<string, ScannedObject>();
  /** Pods and controllers deleted since the last slice: their readers are judged in the next. */
  private readonly deleted: ScannedObject[] = [];
  private draining = false;
  private lastSliceEnd = 0;
  private warmTimer: NodeJS.Timeout | undefined;
  /** While a sliced full evaluation runs: the resources changed since it started. */
  private touched: Set<string> | undefined;
  private reconciling: Promise<void> | undefined;
  private stopped = false;
  /** No sliced full evaluation starts before this (epoch ms): see MAX_RECONCILE_SHARE. */
  private nextReconcileAt = 0;
  /** One changed object per kind since the engine's baselines were last brought up to date. */
  private readonly toWarm = new Map<string, ScannedObject>();

  constructor(private readonly options: WatchSessionOptions) {
    this.evaluator = new LiveEvaluator({
      rules: options.rules,
      config: options.config,
      ...(options.knownRuleIds ? { knownRuleIds: options.knownRuleIds } : {}),
      unreadKinds: () => unreadKindsOf(this.live?.coverage ?? []),
    });
  }

  get snapshot(): LiveSnapshot | undefined {
    return this.live;
  }

  /** Connects and starts watching; resolves once synced and the first evaluation is out. */
  async start(): Promise<void> {
    this.live = await LiveSnapshot.start({
      ...this.options,
      judging: 'cluster',
      beforeChange: (change, snapshot) => this.onChange(change, snapshot),
      onRelist: () => {
        this.dirty = true;
        this.options.onEvent?.('relist');
      },
      onTrouble: (message) => this.options.log(message),
      onNewResources: (added) => this.options.log(`now served, and watched: ${added.join(', ')}`),
    });
    this.options.log(`watching ${this.live.watched.length} resource(s) in context ${this.live.context}`);
    await this.live.whenSynced();
    this.reconcile();
    for (const scanned of this.live.snapshot.all) this.toWarm.set(`${scanned.object.apiVersion}/${scanned.object.kind}`, scanned);
    this.warm();
    this.options.log(`synced: ${this.live.snapshot.size} object(s), ${this.evaluator.tracker.size} open finding(s)`);
    this.timer = setInterval(() => {
      this.publishCoverage();
      if (this.dirty && !this.reconciling && Date.now() >= this.nextReconcileAt) this.reconciling = this.reconcileInSlices().finally(() => (this.reconciling = undefined));
    }, this.options.resyncMs);
  }

  /** True when the first sync found nothing readable at all: every watched kind refused. */
  get nothingReadable(): boolean {
    return this.live !== undefined && this.live.watched.length > 0 && this.live.coverage.filter((c) => c.reason.endsWith(': forbidden')).length >= this.live.watched.length;
  }

  async stop(graceMs: number): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.warmTimer);
    this.stopped = true;
    await this.reconciling;
    this.clearPending();
    await this.live?.stop();
    await Promise.all(this.options.sinks.map((sink) => sink.close(graceMs)));
  }

  private onChange(change: LiveChange, snapshot: Snapshot): void {
    this.options.onEvent?.(change.type);
    this.dirty = true;
    this.touched?.add(resourceKeyOf(refOf(change.type === 'upsert' ? change.scanned.object : change.object)));
    if (change.type === 'upsert') this.toWarm.set(`${change.scanned.object.apiVersion}/${change.scanned.object.kind}`, change.scanned);
    // New objects (a miner Pod appearing) and deletes are judged now. Updates to objects already
    // judged wait in a coalescing queue, so a burst of changes never delays the report of a new
    // object behind it; past the cap the queue is dropped and the next full evaluation, which
    // judges everything, takes its place.
    if (change.type === 'upsert' && snapshot.copiesOf(change.scanned.object).length > 0) {
      const key = identityOf(change.scanned.object);
      if (key !== undefined) {
        this.pending.set(key, change.scanned);
        const previous = snapshot.copiesOf(change.scanned.object)[0];
        if (previous && !this.replaced.has(key)) this.replaced.set(key, previous);
        if (this.pending.size > MAX_PENDING_UPDATES) {
          this.clearPending();
          this.options.log(`more than ${MAX_PENDING_UPDATES} updates waiting: judging everything at the next full evaluation instead`);
        }
        this.scheduleDrain(snapshot);
        return;
      }
    }
    if (change.type === 'delete') {
      const key = identityOf(change.object);
      if (key !== undefined) {
        // The copy an update still queued replaced (its readers read that one), and the one stored.
        const judged = this.replaced.get(key);
        this.pending.delete(key);
        this.replaced.delete(key);
        // A deleted Pod or controller: its readers (a Service it alone backed) are judged in the
        // next slice, with the other deletes and updates of that slice (`judgeChange` leaves them).
        const stored = snapshot.copiesOf(change.object)[0];
        const gone = [judged, stored].filter((copy, i, all): copy is ScannedObject => copy !== undefined && all.indexOf(copy) === i);
        if (gone.length > 0 && podLabelsOf(change.object).length > 0 && !AUTH_CHAIN_KINDS.includes(change.object.kind)) {
          this.deleted.push(...gone);
          if (this.deleted.length > MAX_PENDING_UPDATES) {
            this.deleted.length = 0;
            this.options.log(`more than ${MAX_PENDING_UPDATES} deletes waiting: judging everything at the next full evaluation instead`);
          }
          this.scheduleDrain(snapshot);
        }
      }
    }
    let outcome;
    try {
      outcome = this.evaluator.judgeChange(change, snapshot);
    } catch (error) {
      // A bug in kfguard must not stop the watch; the next full evaluation judges the object again.
      this.options.log(`could not judge a change: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.publish(outcome.changes, outcome.ruleErrors);
    this.logDeferred(outcome.deferred);
  }

  private clearPending(): void {
    this.pending.clear();
    this.replaced.clear();
    this.deleted.length = 0;
  }

  /** A cap on re-judging is said, never silent: the full evaluation judges what it left. */
  private logDeferred(deferred: number | undefined): void {
    if (deferred) this.options.log(`${deferred} object(s) whose findings read a change wait for the next full evaluation`);
  }

  private scheduleDrain(snapshot: Snapshot): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => {
      // Reading the streams comes first: new objects are judged as they are read, queued updates
      // only with what is left. A slice gets at most the time spent outside the previous one
      // (reading), so when both are busy, reading has at least half.
      const started = performance.now();
      const until = started + Math.min(DRAIN_SLICE_MS, Math.max(MIN_DRAIN_SLICE_MS, started - this.lastSliceEnd));
      const changed: ScannedObject[] = this.deleted.splice(0);
      for (const [key, scanned] of this.pending) {
        this.pending.delete(key);
        const previous = this.replaced.get(key);
        this.replaced.delete(key);
        if (previous) changed.push(previous);
        const current = snapshot.copiesOf(scanned.object)[0];
        if (current) changed.push(current);
        try {
          const outcome = this.evaluator.judgeStored(scanned, snapshot);
          this.publish(outcome.changes, outcome.ruleErrors);
        } catch (error) {
          this.options.log(`could not judge a change: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (performance.now() > until) break;
      }
      // Once a slice, not per update: the objects that read what changed (a Service switched to
      // LoadBalancer exposes the Deployment behind it) are judged again with the rules that read it.
      if (changed.length > 0) {
        try {
          const outcome = this.evaluator.judgeUpdatedDependents(changed, snapshot);
          this.publish(outcome.changes, outcome.ruleErrors);
          this.logDeferred(outcome.deferred);
        } catch (error) {
          this.options.log(`could not judge a change: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      this.draining = false;
      this.lastSliceEnd = performance.now();
      if (this.pending.size > 0 || this.deleted.length > 0) this.scheduleDrain(snapshot);
      // Idle: bring the baselines new objects are judged against up to date now, not when one
      // arrives; at most once a second, since a busy stream is idle between bursts many times a
      // second and each warming costs a rule pass over what changed.
      else {
        this.warmTimer ??= setTimeout(() => {
          this.warmTimer = undefined;
          if (this.pending.size === 0) this.warm();
        }, WARM_EVERY_MS);
      }
    });
  }

  /**
   * The periodic full evaluation, judged in slices so that watch streams are read and new objects
   * judged meanwhile (`LiveEvaluator.reconcileInSlices`). Updates queued when it starts are judged
   * by it; those arriving during it are queued and judged as usual.
   */
  private async reconcileInSlices(): Promise<void> {
    if (!this.live) return;
    this.dirty = false;
    this.clearPending();
    const touched = new Set<string>();
    this.touched = touched;
    const started = Date.now();
    let outcome;
    try {
      outcome = await this.evaluator.reconcileInSlices(this.live.snapshot, touched, { sliceMs: DRAIN_SLICE_MS, stopped: () => this.stopped });
    } catch (error) {
      this.dirty = true;
      this.options.log(`could not judge everything again: ${error instanceof Error ? error.message : String(error)}`);
      return;
    } finally {
      this.touched = undefined;
      // Wall time: on a machine short of CPU it is longer, and the evaluations space out more.
      const took = Date.now() - started;
      this.nextReconcileAt = Date.now() + took * (1 / MAX_RECONCILE_SHARE - 1);
    }
    if (!outcome) return;
    this.publishCoverage();
    this.publish(outcome.changes, outcome.ruleErrors);
  }

  private warm(): void {
    if (!this.live || this.stopped) return;
    const snapshot = this.live.snapshot;
    for (const [key, scanned] of this.toWarm) {
      this.toWarm.delete(key);
      // The object as the snapshot holds it now, if it is still there.
      const current = snapshot.copiesOf(scanned.object)[0];
      if (!current) continue;
      try {
        this.evaluator.warm(snapshot, current);
      } catch (error) {
        this.options.log(`could not judge a change: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** The full evaluation at sync, in one go: nothing is being watched for yet. */
  private reconcile(): void {
    if (!this.live) return;
    this.dirty = false;
    // Everything is judged now: queued updates would only repeat it.
    this.clearPending();
    const outcome = this.evaluator.reconcile(this.live.snapshot);
    this.publishCoverage();
    this.publish(outcome.changes, outcome.ruleErrors);
  }

  private publish(changes: readonly FindingChange[], ruleErrors: readonly RuleError[]): void {
    const now = new Date();
    for (const error of ruleErrors) this.options.log(`rule ${error.ruleId} failed: ${error.message}`);
    // A change judged during a sliced full evaluation may have opened findings on other objects
    // (a VirtualService exposing a gateway Service), which slices judged before it cannot know.
    if (this.touched) for (const change of changes) this.touched.add(resourceKeyOf(change.finding.resource));
    for (const change of changes) for (const sink of this.options.sinks) sink.send(findingRecord(change, now));
    if (changes.length > 0) this.options.onFindings?.(this.evaluator);
  }

  /** Coverage gaps that opened or closed since last time, as records. */
  private publishCoverage(): void {
    if (!this.live) return;
    const now = new Date();
    const current = this.live.coverage;
    const reasons = new Set(current.map((c) => c.reason));
    for (const entry of current) if (!this.gapReasons.has(entry.reason)) for (const sink of this.options.sinks) sink.send(coverageRecord(entry, 'open', now));
    for (const reason of this.gapReasons) if (!reasons.has(reason)) for (const sink of this.options.sinks) sink.send(coverageRecord({ ruleId: '*', source: 'cluster', reason }, 'resolved', now));
    this.gapReasons = reasons;
  }
}
