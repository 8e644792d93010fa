import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Why: every change a watch reads replaces an object the snapshot held for seconds or minutes, so
 * the old copy dies in the old generation, scattered among live objects. V8 empties at most a few
 * MB of such part-used pages per full collection outside its idle-time mode (which a watch at
 * 1,000 changes a second never reaches), so committed old space climbs in steps at each full
 * collection while the live set stays flat (docs/benchmarks.md, "Live clusters"). This policy
 * makes the next full collection compact every page, once, when committed old space has drifted
 * well past what the last collection kept: RSS then has a ceiling set by the live set, not by how
 * long the watch has run. Compacting moves every live object: about 5 ms of CPU per MB kept
 * (measured at 62,500 objects), hence the factor (not at every collection) and the interval; the
 * pause it takes is why it is asked for, not on by default (`compactionWanted`).
 */
export interface CompactionPolicyOptions {
  /** Compact when old space committed exceeds this multiple of what the last full collection left in use. */
  readonly factor: number;
  /** ... and by at least this many bytes: a small heap's slack is not worth a pause. */
  readonly minSlackBytes: number;
  /** At most one compaction per this many milliseconds: bounds the CPU and the pauses. */
  readonly minIntervalMs: number;
}

/**
 * 1.7: with the heap growing factor of 1.5 (heap-growth.ts) a heap that compacts nothing still
 * commits about 1.5× its live set just before each collection, so below that a compaction would
 * give back only what the next cycle takes again.
 */
export const WATCH_COMPACTION: CompactionPolicyOptions = { factor: 1.7, minSlackBytes: 32 * 2 ** 20, minIntervalMs: 60_000 };

const COMPACT = '--compact-on-every-full-gc';
const NO_COMPACT = '--no-compact-on-every-full-gc';
/** A user's own compaction flag stands, as their heap growing factor does. */
const USER_FLAG = /--(no[-_])?compact([-_]on[-_]every[-_]full[-_]gc)?\b|--never[-_]compact\b/;

export type CompactionStep = 'none' | 'armed' | 'compacted';

/** The decision, apart from V8: fed the old space after each full collection, it says when to set the flag and clear it. */
export class CompactionPolicy {
  private armed = false;
  private lastArmedAt = Number.NEGATIVE_INFINITY;
  compactions = 0;
  /** Pause of the last compacting collection, ms. */
  lastPauseMs = 0;

  constructor(
    private readonly options: CompactionPolicyOptions,
    private readonly setFlag: (flag: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** After a full collection: what it left in use of old space, what old space commits, its pause. */
  afterFullCollection(usedBytes: number, committedBytes: number, pauseMs: number): CompactionStep {
    if (this.armed) {
      // V8 picks the pages to evacuate when marking starts, so the flag set after the previous
      // collection applied to this one; cleared now, the next one compacts as V8 chooses.
      this.setFlag(NO_COMPACT);
      this.armed = false;
      this.compactions++;
      this.lastPauseMs = pauseMs;
      return 'compacted';
    }
    const { factor, minSlackBytes, minIntervalMs } = this.options;
    if (committedBytes <= factor * usedBytes || committedBytes - usedBytes < minSlackBytes) return 'none';
    if (this.now() - this.lastArmedAt < minIntervalMs) return 'none';
    this.setFlag(COMPACT);
    this.armed = true;
    this.lastArmedAt = this.now();
    return 'armed';
  }
}

/** True when the user set a compaction flag of their own (node's arguments or NODE_OPTIONS). */
export function userChoseCompaction(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return execArgv.some((arg) => USER_FLAG.test(arg)) || USER_FLAG.test(nodeOptions ?? '');
}

/**
 * Whether the watch compacts: only when `KFGUARD_WATCH_COMPACTION=on`, and never when the user set
 * a compaction flag of their own. Off by default because a compacting collection stops the process
 * while it moves every live object: 1.5–2.2 s at 18,750 objects on the loaded bench machine, over
 * the 2 s a new miner's finding may take (docs/benchmarks.md, "Compacting old space when it drifts").
 */
export function compactionWanted(env: NodeJS.ProcessEnv, execArgv: readonly string[]): boolean {
  return env.KFGUARD_WATCH_COMPACTION === 'on' && !userChoseCompaction(execArgv, env.NODE_OPTIONS);
}

/**
 * Watches full collections for the rest of this process's life and applies the policy; returns
 * the policy (its counts) and a stop function, or undefined when compaction is not wanted.
 * Only for processes that do nothing but watch: the flag applies to the whole process.
 */
export function startHeapCompaction(env: NodeJS.ProcessEnv = process.env, options: CompactionPolicyOptions = WATCH_COMPACTION): { policy: CompactionPolicy; stop: () => void } | undefined {
  if (!compactionWanted(env, process.execArgv)) return undefined;
  const policy = new CompactionPolicy(options, setFlagsFromString);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      const old = getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
      if (old) policy.afterFullCollection(old.space_used_size, old.physical_space_size, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    policy,
    stop: () => {
      observer.disconnect();
      // An armed flag would otherwise compact every collection to come.
      setFlagsFromString(NO_COMPACT);
    },
  };
}
