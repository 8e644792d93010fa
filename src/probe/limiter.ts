/** At most `limit` tasks at once, the rest queued in order: how `--concurrency` bounds requests in flight. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most tasks that ran at once, so tests can check the bound held. */
  peak = 0;

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
