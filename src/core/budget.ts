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

export function createBudget(limits: EvaluationLimits = DEFAULT_LIMITS, now: () => number = () => performance.now()): Budget {
  // The clock starts at the first check: most objects never ask, and reading it costs.
  let deadline: number | undefined;
  let remaining = limits.bytes;
  const reasons: string[] = [];
  // performance.now() costs ~30 ns; checking the clock every call would still dominate tight loops.
  let calls = 0;
  let late = false;
  return {
    limits,
    take(bytes) {
      if (bytes > remaining) return false;
      remaining -= bytes;
      return true;
    },
    get remainingBytes() {
      return remaining;
    },
    timeUp() {
      if (late) return true;
      if ((++calls & 63) !== 1) return false;
      deadline ??= now() + limits.timeMs;
      late = now() > deadline;
      return late;
    },
    exhaust(reason) {
      if (!reasons.includes(reason)) reasons.push(reason);
    },
    get exhausted() {
      return reasons;
    },
  };
}

/** A budget that never runs out, for callers outside the engine (tests, one-off tools). */
export function unlimitedBudget(): Budget {
  return createBudget({ timeMs: Number.POSITIVE_INFINITY, bytes: Number.MAX_SAFE_INTEGER });
}
