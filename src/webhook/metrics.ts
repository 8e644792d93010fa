import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVED_KINDS } from './kinds.js';

/**
 * Kinds and operations come from the request body, which anyone who can reach the port writes:
 * as label values they would let a caller grow the registry without bound. Values outside these
 * sets are counted as `other`.
 */
const KNOWN_OPERATIONS = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);
const labelKind = (kind: string): string => (kind === 'unknown' || Object.hasOwn(SERVED_KINDS, kind) ? kind : 'other');

interface ReviewSeries {
  readonly requests: { inc(): void };
  readonly latency: { observe(value: number): void };
}

/** Prometheus metrics of one server; a registry per server so tests can run several in a process. */
export class WebhookMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'kind' | 'operation' | 'decision'>;
  readonly latency: Histogram<'kind' | 'decision'>;
  readonly ruleErrors: Counter<'rule'>;
  readonly budgetOverruns: Counter<'rule'>;
  readonly rejected: Counter<'reason'>;
  readonly certReloads: Counter<'result'>;
  private snapshotLoadedAt: number | undefined;
  private inFlightNow: () => number = () => 0;
  /** Bound label children per kind, operation and outcome: prom-client otherwise hashes the label object on every call. */
  private readonly series = new Map<string, ReviewSeries>();

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'kfguard_webhook_requests_total', help: 'Admission reviews answered, by kind, operation and decision', labelNames: ['kind', 'operation', 'decision'], registers });
    // Buckets around the 10 ms p99 target and up to the 5 s webhook timeout.
    this.latency = new Histogram({
      name: 'kfguard_webhook_request_duration_seconds',
      help: 'Time from receiving a review to answering it',
      labelNames: ['kind', 'decision'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.ruleErrors = new Counter({ name: 'kfguard_webhook_rule_errors_total', help: 'Rules that threw while judging a review', labelNames: ['rule'], registers });
    this.budgetOverruns = new Counter({ name: 'kfguard_webhook_budget_overruns_total', help: 'Evaluations cut short by the per-object time or byte budget', labelNames: ['rule'], registers });
    // Read at scrape time from the server's own count: nothing to update per review.
    const inFlight = (): number => this.inFlightNow();
    new Gauge({
      name: 'kfguard_webhook_in_flight_requests',
      help: 'Reviews being judged now',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    this.rejected = new Counter({ name: 'kfguard_webhook_rejected_requests_total', help: 'Requests answered with a 4xx before judging (malformed, too large, wrong version)', labelNames: ['reason'], registers });
    this.certReloads = new Counter({ name: 'kfguard_webhook_cert_reloads_total', help: 'Serving certificate reloads, by result', labelNames: ['result'], registers });
    const loadedAt = (): number | undefined => this.snapshotLoadedAt;
    new Gauge({
      name: 'kfguard_webhook_snapshot_age_seconds',
      help: 'Seconds since the snapshot was loaded (-1 before it is)',
      registers,
      collect() {
        const at = loadedAt();
        this.set(at === undefined ? -1 : (Date.now() - at) / 1000);
      },
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'kfguard_webhook_' });
  }

  /** One answered review: its count and latency. */
  reviewed(kind: string, operation: string, decision: string, seconds: number): void {
    const labels = { kind: labelKind(kind), operation: KNOWN_OPERATIONS.has(operation) ? operation : 'other', decision };
    const key = `${labels.kind}\u0000${labels.operation}\u0000${decision}`;
    let series = this.series.get(key);
    if (!series) {
      series = { requests: this.requests.labels(labels), latency: this.latency.labels({ kind: labels.kind, decision }) };
      this.series.set(key, series);
    }
    series.requests.inc();
    series.latency.observe(seconds);
  }

  /** Where the in-flight gauge reads its value when scraped. */
  countInFlight(count: () => number): void {
    this.inFlightNow = count;
  }

  snapshotLoaded(at: number): void {
    this.snapshotLoadedAt = at;
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
