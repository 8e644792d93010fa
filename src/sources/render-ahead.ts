import { availableParallelism } from 'node:os';

/**
 * Renders kustomize directories ahead of the traversal that reads them, at most `limit` at once.
 * The traversal still takes each render in its own order, so findings, errors and file counts
 * come out exactly as a one-at-a-time scan gives them; only the waiting for kubectl overlaps.
 *
 * Memory stays bounded: a render counts against the limit from its start until the traversal
 * takes it, so at most `limit` outputs wait in memory.
 */
export class RenderAhead {
  private readonly queue: string[] = [];
  private readonly started = new Map<string, Promise<string>>();
  private readonly taken = new Set<string>();
  private outstanding = 0;
  private closed = false;
  /** The most renders that ran or waited at once, so tests can check the bound held. */
  peak = 0;

  constructor(
    private readonly render: (dir: string) => Promise<string>,
    private readonly limit: number,
  ) {}

  /** A directory the traversal is expected to render later; started when a slot is free. */
  expect(dir: string): void {
    if (this.closed || this.limit <= 1 || this.started.has(dir) || this.taken.has(dir)) return;
    this.queue.push(dir);
    this.fill();
  }

  /**
   * The render of `dir`: the one started ahead if there is one, else a fresh one (a directory
   * the look-ahead did not predict, or one scanned a second time). A render taken once is never
   * handed out again, so a second scan of a directory renders it again, as it always did.
   */
  take(dir: string): Promise<string> {
    const ahead = this.started.get(dir);
    if (ahead && !this.taken.has(dir)) {
      this.taken.add(dir);
      this.started.delete(dir);
      // The slot frees when the output changes hands, not when the process ends: that bounds memory.
      void ahead.then(this.release, this.release);
      return ahead;
    }
    this.taken.add(dir);
    return this.render(dir);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** No new renders start after this; ones already running finish and are dropped. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private readonly release = (): void => {
    this.outstanding--;
    this.fill();
  };

  private fill(): void {
    while (!this.closed && this.outstanding < this.limit && this.queue.length > 0) {
      const dir = this.queue.shift()!;
      if (this.taken.has(dir) || this.started.has(dir)) continue;
      this.outstanding++;
      this.peak = Math.max(this.peak, this.outstanding);
      const promise = this.render(dir);
      // Failures are reported when the traversal takes the render; until then nothing is unhandled.
      promise.catch(() => undefined);
      this.started.set(dir, promise);
    }
  }
}

/** kubectl kustomize is mostly CPU: one render per core, and two even on one core, to overlap its start-up. */
export function defaultRenderConcurrency(): number {
  return Math.max(2, availableParallelism());
}
