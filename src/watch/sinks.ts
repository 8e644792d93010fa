import type { CoverageEntry, ResourceRef } from '../core/types.js';
import type { FindingChange } from './finding-tracker.js';
import { escapeJsonText } from '../report/terminal-safe.js';

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

/**
 * JSON lines on stdout. JSON.stringify escapes C0 controls only; C1 controls, bidi overrides and
 * invisible characters from the cluster's objects are written as `\uXXXX` too, as `--format json`
 * does, so `kubectl logs` shows no text reordered or hidden. Values parse back unchanged.
 */
export class JsonLinesSink implements WatchSink {
  constructor(private readonly write: (text: string) => void) {}

  send(record: WatchRecord): void {
    this.write(`${escapeJsonText(JSON.stringify(record))}\n`);
  }

  async close(): Promise<void> {}
}

export interface AlertWebhookOptions {
  readonly url: string;
  /** Records waiting at most; past it the least severe, oldest first, are dropped and counted, never silently. */
  readonly maxQueue?: number;
  readonly initialBackoffMs?: number;
  /** The longest wait between two attempts at the record in front. */
  readonly maxBackoffMs?: number;
  readonly timeoutMs?: number;
  readonly onTrouble: (message: string) => void;
  /** Records dropped from a full queue (metrics). */
  readonly onDrop?: (count: number) => void;
  readonly fetch?: typeof fetch;
}

/**
 * A URL as messages show it: no user information and no query (either may hold a password or a
 * token), whether or not it parses.
 */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return text.replace(/\/\/[^/?#]*@/, '//…@').replace(/[?#].*$/, '?…');
  }
}

const RANK: Readonly<Record<string, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** How much a record matters when the queue must lose one: a finding by severity; coverage as medium. */
const rankOf = (record: WatchRecord): number => (record.kind === 'finding' ? (RANK[record.finding.severity] ?? 2) : 2);

/**
 * `--alert-webhook URL`: each record POSTed as JSON, one at a time in order. The record in front
 * is retried, with exponential backoff (capped) and jitter, on network errors, 429 and 5xx for as
 * long as the receiver is down: findings are de-duplicated, so a record given up on is an alert
 * lost for good (a critical miner finding during a 10 s receiver restart). Only a full queue drops
 * records, the least severe and oldest first, each drop said on stderr and counted in metrics.
 * Suppressed findings and duplicates folded into an owner are not alerts. User information in the
 * URL is sent as a Basic Authorization header, and no message shows it or the query.
 */
export class AlertWebhookSink implements WatchSink {
  private readonly queue: WatchRecord[] = [];
  private sending: Promise<void> | undefined;
  private dropped = 0;
  private closing = false;
  private readonly fetchFn: typeof fetch;
  private readonly target: string;
  private readonly shown: string;
  private readonly headers: Record<string, string> = { 'content-type': 'application/json' };
  /** Secrets that must not reach a message, should a fetch error quote the URL. */
  private readonly secrets: string[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly options: AlertWebhookOptions) {
    this.fetchFn = options.fetch ?? fetch;
    const url = new URL(options.url);
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      this.secrets.push(url.username, url.password, decodeURIComponent(url.password));
      url.username = '';
      url.password = '';
    }
    for (const value of url.searchParams.values()) this.secrets.push(value);
    this.target = url.href;
    this.shown = redactUrl(options.url);
  }

  send(record: WatchRecord): void {
    if (record.kind === 'finding' && (record.finding.suppression || record.state === 'folded')) return;
    this.queue.push(record);
    const max = this.options.maxQueue ?? 10_000;
    while (this.queue.length > max) this.dropOne();
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    this.wake?.();
    if (this.sending) await Promise.race([this.sending, new Promise((r) => setTimeout(r, graceMs).unref())]);
    if (this.queue.length > 0) this.options.onTrouble(`alert webhook ${this.shown}: ${this.queue.length} record(s) not delivered before shutdown`);
  }

  /** The least severe record, oldest first; never the one in front while it is being sent. */
  private dropOne(): void {
    let victim = this.queue.length > 1 ? 1 : 0;
    for (let i = victim + 1; i < this.queue.length; i++) if (rankOf(this.queue[i]!) < rankOf(this.queue[victim]!)) victim = i;
    const [lost] = this.queue.splice(victim, 1);
    this.dropped++;
    this.options.onDrop?.(1);
    const what = lost?.kind === 'finding' ? `a ${lost.finding.severity} ${lost.finding.ruleId} finding` : 'a coverage record';
    if (this.dropped === 1 || this.dropped % 100 === 0) {
      this.options.onTrouble(`alert webhook ${this.shown}: queue full (${this.options.maxQueue ?? 10_000}), ${this.dropped} record(s) dropped so far, least severe first (latest: ${what})`);
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const record = this.queue[0]!;
      await this.deliver(record);
      if (this.queue[0] === record) this.queue.shift();
      if (this.closing && this.queue.length > 0 && this.failing) return;
    }
  }

  /** True while the receiver has not taken the last attempt. */
  private failing = false;

  private async deliver(record: WatchRecord): Promise<void> {
    const body = escapeJsonText(JSON.stringify(record));
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const response = await this.fetchFn(this.target, {
          method: 'POST',
          headers: this.headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          if (this.failing) this.options.onTrouble(`alert webhook ${this.shown}: delivering again after ${attempt} attempt(s)`);
          this.failing = false;
          return;
        }
        problem = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) {
          this.options.onTrouble(`alert webhook ${this.shown} refused a record (${problem}); not retried`);
          return;
        }
      } catch (error) {
        problem = this.redact(error instanceof Error ? error.message : String(error));
      }
      this.failing = true;
      if (this.closing) return;
      // Said once when the receiver goes away and then every tenth attempt, not at each retry.
      if (attempt === 1 || attempt % 10 === 0) this.options.onTrouble(`alert webhook ${this.shown}: ${problem}; ${this.queue.length} record(s) waiting, retrying (attempt ${attempt})`);
      const base = Math.min(this.options.maxBackoffMs ?? 30_000, (this.options.initialBackoffMs ?? 500) * 2 ** (attempt - 1));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.round(base * (0.5 + Math.random())));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private redact(message: string): string {
    let text = message.split(this.options.url).join(this.shown).split(this.target).join(this.shown);
    for (const secret of this.secrets) if (secret.length >= 3) text = text.split(secret).join('…');
    return text;
  }
}
