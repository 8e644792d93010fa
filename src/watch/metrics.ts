import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Finding } from '../core/types.js';

/** Where the gauges are served, as a URL: an IPv6 address in brackets (`http://[::]:9090/metrics`, not `http://:::9090/metrics`). */
export function metricsUrlOf(address: Pick<AddressInfo, 'address' | 'family' | 'port'>): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/metrics`;
}

/** `--metrics-port`: Prometheus gauges of open findings, and the state of the live snapshot. */
export class WatchMetrics {
  readonly registry = new Registry();
  private readonly findings: Gauge<'rule' | 'severity'>;
  private readonly objects: Gauge;
  private readonly synced: Gauge;
  private readonly age: Gauge;
  private readonly gaps: Gauge;
  readonly events: Counter<'type'>;
  readonly ruleErrors: Counter<'rule'>;
  readonly alertsDropped: Counter;

  constructor(state: { readonly objects: () => number; readonly synced: () => boolean; readonly lastHeardAt: () => number; readonly gaps: () => number }) {
    const registers = [this.registry];
    this.findings = new Gauge({ name: 'kfguard_findings', help: 'Open findings (not suppressed, not folded into an owner), by rule and severity', labelNames: ['rule', 'severity'], registers });
    this.objects = new Gauge({ name: 'kfguard_snapshot_objects', help: 'Objects in the live snapshot', registers, collect: () => this.objects.set(state.objects()) });
    this.synced = new Gauge({ name: 'kfguard_snapshot_synced', help: '1 once every watched kind has been listed or found refused', registers, collect: () => this.synced.set(state.synced() ? 1 : 0) });
    this.age = new Gauge({
      name: 'kfguard_snapshot_age_seconds',
      help: 'Seconds since the API server last showed the snapshot current (an event, a bookmark or a list)',
      registers,
      collect: () => this.age.set(state.lastHeardAt() === 0 ? -1 : (Date.now() - state.lastHeardAt()) / 1000),
    });
    this.gaps = new Gauge({ name: 'kfguard_coverage_gaps', help: 'Kinds the snapshot cannot see now (refused, not served)', registers, collect: () => this.gaps.set(state.gaps()) });
    this.events = new Counter({ name: 'kfguard_watch_events_total', help: 'Changes received from the API server, by type', labelNames: ['type'], registers });
    this.ruleErrors = new Counter({ name: 'kfguard_rule_errors_total', help: 'Rules that threw while judging', labelNames: ['rule'], registers });
    this.alertsDropped = new Counter({ name: 'kfguard_alert_records_dropped_total', help: 'Alert webhook records dropped from a full queue (least severe first)', registers });
  }

  /** Sets the gauges from the open findings, dropping series for rules with none left. */
  setFindings(findings: readonly Finding[]): void {
    const counts = new Map<string, { rule: string; severity: string; n: number }>();
    for (const finding of findings) {
      if (finding.suppression) continue;
      const key = `${finding.ruleId}\u0000${finding.severity}`;
      const entry = counts.get(key) ?? { rule: finding.ruleId, severity: finding.severity, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
    this.findings.reset();
    for (const { rule, severity, n } of counts.values()) this.findings.set({ rule, severity }, n);
  }

  /** Serves /metrics, /healthz and /readyz (200 once synced). */
  async listen(port: number, address: string | undefined, ready: () => boolean): Promise<{ server: Server; address: AddressInfo }> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }
      if (path === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
        return;
      }
      if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      if (path === '/readyz') return void res.writeHead(ready() ? 200 : 503, { 'content-type': 'text/plain' }).end(ready() ? 'synced\n' : 'syncing\n');
      res.writeHead(404, { 'content-type': 'text/plain' }).end('endpoints: /metrics, /healthz, /readyz\n');
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 15_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
    return { server, address: server.address() as AddressInfo };
  }
}
