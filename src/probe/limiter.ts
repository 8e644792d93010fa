/** At most `limit` tasks at once, the rest queued in order: how `--concurrency` bounds requests in flight. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most tasks that ran at once, so tests can check the bound held. */
  peak = 0;

  constructor(private readonly limit: number) {}

  /**
   * Runs `task` when a slot is free. `first` puts it at the head of the queue: a target's follow-up
   * requests (Argo's managed namespace) must not wait behind every other target's first round.
   */
  async run<T>(task: () => Promise<T>, first = false): Promise<T> {
    if (this.active >= this.limit) {
      // The finishing task hands its slot over, so no newcomer can slip in between.
      await new Promise<void>((resolve) => {
        if (first) this.waiting.unshift(resolve);
        else this.waiting.push(resolve);
      });
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
