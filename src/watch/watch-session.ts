import type { KfguardConfig } from '../core/config-types.js';
import type { Rule } from '../core/rule.js';
import type { Snapshot } from '../core/snapshot.js';
import type { RuleError } from '../core/types.js';
import { LiveSnapshot, type LiveChange, type LiveSnapshotOptions } from '../sources/cluster/live-snapshot.js';
import type { FindingChange } from './finding-tracker.js';
import { LiveEvaluator } from './live-evaluator.js';
import { coverageRecord, findingRecord, type WatchSink } from './sinks.js';

export interface WatchSessionOptions extends Pick<LiveSnapshotOptions, 'kubeconfig' | 'context' | 'env' | 'namespaces' | 'client' | 'timing'> {
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

  constructor(private readonly options: WatchSessionOptions) {
    this.evaluator = new LiveEvaluator({ rules: options.rules, config: options.config, ...(options.knownRuleIds ? { knownRuleIds: options.knownRuleIds } : {}) });
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
    });
    this.options.log(`watching ${this.live.watched.length} resource(s) in context ${this.live.context}`);
    await this.live.whenSynced();
    this.reconcile();
    this.options.log(`synced: ${this.live.snapshot.size} object(s), ${this.evaluator.tracker.size} open finding(s)`);
    this.timer = setInterval(() => {
      this.publishCoverage();
      if (this.dirty) this.reconcile();
    }, this.options.resyncMs);
  }

  /** True when the first sync found nothing readable at all: every watched kind refused. */
  get nothingReadable(): boolean {
    return this.live !== undefined && this.live.watched.length > 0 && this.live.coverage.filter((c) => c.reason.endsWith(': forbidden')).length >= this.live.watched.length;
  }

  async stop(graceMs: number): Promise<void> {
    clearInterval(this.timer);
    await this.live?.stop();
    await Promise.all(this.options.sinks.map((sink) => sink.close(graceMs)));
  }

  private onChange(change: LiveChange, snapshot: Snapshot): void {
    this.options.onEvent?.(change.type);
    this.dirty = true;
    let outcome;
    try {
      outcome = this.evaluator.judgeChange(change, snapshot);
    } catch (error) {
      // A bug in kfguard must not stop the watch; the next full evaluation judges the object again.
      this.options.log(`could not judge a change: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.publish(outcome.changes, outcome.ruleErrors);
  }

  private reconcile(): void {
    if (!this.live) return;
    this.dirty = false;
    const outcome = this.evaluator.reconcile(this.live.snapshot);
    this.publishCoverage();
    this.publish(outcome.changes, outcome.ruleErrors);
  }

  private publish(changes: readonly FindingChange[], ruleErrors: readonly RuleError[]): void {
    const now = new Date();
    for (const error of ruleErrors) this.options.log(`rule ${error.ruleId} failed: ${error.message}`);
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
