import { ruleByRule, type EngineOptions, type RuleByRule } from './engine.js';
import { AlonePlans, judgeAlone } from './judge-alone.js';
import { prejudgedFrom, type Prejudged, type PrejudgedObject } from './prejudged.js';
import type { ArrivalListener } from './source.js';
import type { ScannedObject } from './types.js';

/**
 * Judges objects on this thread while their source is still being read: a cluster's lists are on
 * the wire, the API server is the one working and this thread waits for it about half the time.
 * Each object gets the rules that need nothing but the object (`judgeAlone`, which proves it per
 * rule with a refusing inventory rather than trusting declared needs); `runRules` with
 * `prejudged: this` replays those verdicts in their places, so the report is the one judging
 * everything at the end gives. Outcomes are kept per stored copy (`ScannedObject`): a copy put in
 * later (a list started again after a 410) is a new copy, judged again; one taken out is dropped.
 *
 * Work runs in slices between the source's events (setImmediate), never while a page waits to be
 * put into the snapshot, so the next request of a list goes out as before.
 */
export class JudgeAhead implements Prejudged, ArrivalListener {
  private readonly engine: RuleByRule;
  private readonly plans = new AlonePlans();
  private readonly judged = new Map<ScannedObject, PrejudgedObject>();
  private queue: ScannedObject[] = [];
  private head = 0;
  private slice: ReturnType<typeof setImmediate> | undefined;
  private open = true;
  /** Objects judged ahead, how many of them gave a verdict to replay, and (when `timed`) the CPU it took (benches and tests). */
  readonly tally = { judged: 0, kept: 0, cpuMs: 0 };
  /** Benches: measure the slices' CPU time (process.cpuUsage per slice, itself about 7% of the judging). */
  timed = false;

  /** `options` must be those of the `runRules` that will replay the verdicts (rules, config, limits, locate). */
  constructor(options: EngineOptions) {
    this.engine = ruleByRule(options);
  }

  outcomesOf(scanned: ScannedObject): PrejudgedObject | undefined {
    return this.judged.get(scanned);
  }

  arrived(scanned: ScannedObject): void {
    if (!this.open) return;
    this.queue.push(scanned);
    this.slice ??= setImmediate(this.judgeSlice);
  }

  removed(scanned: ScannedObject): void {
    this.judged.delete(scanned);
    this.gone.add(scanned);
  }

  /** The source is read: what is still queued is judged in the full evaluation, with the rest. */
  ended(): void {
    this.open = false;
    if (this.slice) clearImmediate(this.slice);
    this.slice = undefined;
    this.queue = [];
    this.head = 0;
    this.gone.clear();
  }

  /** Copies taken out while still queued: not worth judging. */
  private readonly gone = new Set<ScannedObject>();

  /** Judges one object now (tests call it directly; the slices call it as objects arrive). */
  judge(scanned: ScannedObject): void {
    this.tally.judged++;
    const verdict = judgeAlone(this.engine, scanned, this.plans);
    if (!verdict) return;
    this.tally.kept++;
    this.judged.set(scanned, prejudgedFrom(verdict));
  }

  /**
   * A few milliseconds of judging, then back to the event loop: a page that arrived meanwhile
   * waits at most one slice.
   */
  private readonly judgeSlice = (): void => {
    this.slice = undefined;
    const cpuBefore = this.timed ? process.cpuUsage() : undefined;
    const until = performance.now() + SLICE_MS;
    while (this.head < this.queue.length) {
      const scanned = this.queue[this.head++]!;
      if (!this.gone.has(scanned)) this.judge(scanned);
      if ((this.head & 7) === 0 && performance.now() > until) break;
    }
    if (cpuBefore) {
      const used = process.cpuUsage(cpuBefore);
      this.tally.cpuMs += (used.user + used.system) / 1000;
    }
    if (this.head < this.queue.length) this.slice = setImmediate(this.judgeSlice);
    else {
      this.queue = [];
      this.head = 0;
    }
  };
}

/** Milliseconds of judging between two looks at the event loop. */
const SLICE_MS = 4;
