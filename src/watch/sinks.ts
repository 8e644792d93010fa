import type { CoverageEntry, ResourceRef } from '../core/types.js';
import type { FindingChange } from './finding-tracker.js';

/** One line of `kfguard watch` output: a finding's change, or a coverage gap opening or closing. */
export type WatchRecord =
  | { readonly kind: 'finding'; readonly state: FindingChange['state']; readonly observedAt: string; readonly finding: FindingChange['finding']; readonly into?: ResourceRef }
  | { readonly kind: 'coverage'; readonly state: 'open' | 'resolved'; readonly observedAt: string; readonly reason: string };

export interface WatchSink {
  send(record: WatchRecord): void;
  /** Delivers what is queued, within `graceMs`; then gives up and says how much was lost. */
  close(graceMs: number): Promise<void>;
}

export const findingRecord = (change: FindingChange, at: Date): WatchRecord => ({
  kind: 'finding',
  state: change.state,
  observedAt: at.toISOString(),
  finding: change.finding,
  ...(change.into ? { into: change.into } : {}),
});

export const coverageRecord = (entry: CoverageEntry, state: 'open' | 'resolved', at: Date): WatchRecord => ({ kind: 'coverage', state, observedAt: at.toISOString(), reason: entry.reason });

/** JSON lines on stdout: JSON escapes whatever the cluster's objects hold. */
export class JsonLinesSink implements WatchSink {
  constructor(private readonly write: (text: string) => void) {}

  send(record: WatchRecord): void {
    this.write(`${JSON.stringify(record)}\n`);
  }

  async close(): Promise<void> {}
}

export interface AlertWebhookOptions {
  readonly url: string;
  /** Records waiting at most; past it the oldest are dropped and counted, never silently. */
  readonly maxQueue?: number;
  readonly attempts?: number;
  readonly initialBackoffMs?: number;
  readonly timeoutMs?: number;
  readonly onTrouble: (message: string) => void;
  readonly fetch?: typeof fetch;
}

/**
 * `--alert-webhook URL`: each record POSTed as JSON, one at a time in order, retried with
 * exponential backoff and jitter on network errors, 429 and 5xx. Suppressed findings and
 * duplicates folded into an owner are not alerts. A receiver that stays down makes the queue
 * drop its oldest records; each drop is counted and reported.
 */
export class AlertWebhookSink implements WatchSink {
  private readonly queue: WatchRecord[] = [];
  private sending: Promise<void> | undefined;
  private dropped = 0;
  private closing = false;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: AlertWebhookOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  send(record: WatchRecord): void {
    if (record.kind === 'finding' && (record.finding.suppression || record.state === 'folded')) return;
    this.queue.push(record);
    const max = this.options.maxQueue ?? 10_000;
    if (this.queue.length > max) {
      this.queue.splice(0, this.queue.length - max);
      this.dropped++;
      if (this.dropped === 1 || this.dropped % 1_000 === 0) this.options.onTrouble(`alert webhook: ${this.dropped} record(s) dropped, the receiver is not keeping up`);
    }
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    if (this.sending) await Promise.race([this.sending, new Promise((r) => setTimeout(r, graceMs).unref())]);
    if (this.queue.length > 0) this.options.onTrouble(`alert webhook: ${this.queue.length} record(s) not delivered before shutdown`);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const record = this.queue[0]!;
      await this.deliver(record);
      if (this.queue[0] === record) this.queue.shift();
    }
  }

  private async deliver(record: WatchRecord): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    const body = JSON.stringify(record);
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const response = await this.fetchFn(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) {
          this.options.onTrouble(`alert webhook refused a record (${problem}); not retried`);
          return;
        }
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      if (attempt >= attempts || this.closing) {
        this.options.onTrouble(`alert webhook: a record was not delivered after ${attempt} attempt(s): ${problem}`);
        return;
      }
      const base = (this.options.initialBackoffMs ?? 500) * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, Math.round(base * (0.5 + Math.random()))));
    }
  }
}
