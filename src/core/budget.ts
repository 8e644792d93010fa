/**
 * The work one object may cost. Every evaluation of one object (all its rules together) gets a
 * budget; analyses that can grow with hostile input (decoding, nested scripts, bcrypt) draw from it.
 * Running out never drops what was already found: the engine turns `exhausted` into a coverage
 * entry on the object, so a reader sees that the verdict is partial and why.
 */
export interface EvaluationLimits {
  /** Wall-clock milliseconds for all rules on one object. */
  readonly timeMs: number;
  /** Bytes of derived text (decoded layers, expanded scripts) one object may produce. */
  readonly bytes: number;
}

export const DEFAULT_LIMITS: EvaluationLimits = { timeMs: 2_000, bytes: 4 * 1024 * 1024 };

export interface Budget {
  readonly limits: EvaluationLimits;
  /** Takes `bytes` from the byte budget; false (and nothing taken) when that would overrun it. */
  take(bytes: number): boolean;
  readonly remainingBytes: number;
  /** True once the time limit has passed. Cheap enough to call in inner loops. */
  timeUp(): boolean;
  /**
   * Records that work was cut short, with a reason a reader understands ("decoding stopped after
   * 4 MB of derived text"). The first reason per rule is kept.
   */
  exhaust(reason: string): void;
  /** Reasons recorded so far, in order. */
  readonly exhausted: readonly string[];
}

export function createBudget(limits: EvaluationLimits = DEFAULT_LIMITS, now: () => number = clock): Budget {
  return new ObjectBudget(limits, now);
}

/** The default clock, made once: a default parameter's arrow would be a new closure per object judged. */
const clock = (): number => performance.now();

/**
 * A class, not a closure per method: the engine makes one budget per object judged (and per
 * object re-judged when an admitted change touches it), so its methods live on the prototype.
 */
class ObjectBudget implements Budget {
  // The clock starts at the first check: most objects never ask, and reading it costs.
  private deadline: number | undefined;
  private remaining: number;
  private readonly reasons: string[] = [];
  // performance.now() costs ~30 ns; checking the clock every call would still dominate tight loops.
  private calls = 0;
  private late = false;

  constructor(
    readonly limits: EvaluationLimits,
    private readonly now: () => number,
  ) {
    this.remaining = limits.bytes;
  }

  take(bytes: number): boolean {
    if (bytes > this.remaining) return false;
    this.remaining -= bytes;
    return true;
  }

  get remainingBytes(): number {
    return this.remaining;
  }

  timeUp(): boolean {
    if (this.late) return true;
    if ((++this.calls & 63) !== 1) return false;
    this.deadline ??= this.now() + this.limits.timeMs;
    this.late = this.now() > this.deadline;
    return this.late;
  }

  exhaust(reason: string): void {
    if (!this.reasons.includes(reason)) this.reasons.push(reason);
  }

  get exhausted(): readonly string[] {
    return this.reasons;
  }
}

/**
 * A budget that notes whether a rule asked anything of it. Judging ahead (see `prejudged.ts`) runs
 * an object's rules in two sittings, each with its own budget; that equals one budget shared in
 * order only when the rules of one sitting left it untouched, which this tells.
 */
export class WatchedBudget implements Budget {
  touched = false;

  constructor(private readonly inner: Budget) {}

  get limits(): EvaluationLimits {
    return this.inner.limits;
  }

  take(bytes: number): boolean {
    this.touched = true;
    return this.inner.take(bytes);
  }

  get remainingBytes(): number {
    this.touched = true;
    return this.inner.remainingBytes;
  }

  timeUp(): boolean {
    this.touched = true;
    return this.inner.timeUp();
  }

  exhaust(reason: string): void {
    this.touched = true;
    this.inner.exhaust(reason);
  }

  get exhausted(): readonly string[] {
    this.touched = true;
    return this.inner.exhausted;
  }
}

/** A budget that never runs out, for callers outside the engine (tests, one-off tools). */
export function unlimitedBudget(): Budget {
  return createBudget({ timeMs: Number.POSITIVE_INFINITY, bytes: Number.MAX_SAFE_INTEGER });
}

/**
 * How deep the searches of one object (its containers, a custom resource's text) follow nested
 * fields. It matches the file readers' own limit (`MAX_READABLE_DEPTH`), so every field of a
 * document kfguard could read is searched; only an object that arrives already parsed (an
 * admission review, a cluster list) can go deeper, and there the search reports that it stopped.
 * Depth does not bound the work (the number of fields does); this only keeps recursion off the stack's edge.
 */
export const MAX_SEARCH_DEPTH = 500;
