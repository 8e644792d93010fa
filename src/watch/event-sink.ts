import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { redactCredentialAssignments, redactUrlCredentials } from '../core/redact.js';
import type { Finding } from '../core/types.js';
import { isClusterScoped } from '../report/cluster-scoped.js';
import { escapeForTerminal } from '../report/terminal-safe.js';
import { statusOf, WriteTrouble, type ClusterWriter } from './cluster-writes.js';
import type { WatchRecord, WatchSink } from './sinks.js';

export interface EventSinkOptions {
  readonly writer: () => ClusterWriter | undefined;
  readonly onTrouble: (message: string) => void;
  /** Events written per minute at most; past it they are dropped and counted, never silently. */
  readonly perMinute?: number;
  readonly now?: () => Date;
}

/** Who reports: events.k8s.io/v1 wants a controller name with a domain, and an instance. */
const REPORTING_CONTROLLER = 'kfguard.io/watch';
/** The API server refuses an Event note over 1 kB. */
const MAX_NOTE_BYTES = 1024;
/** Events remembered for series; past it the oldest get a fresh Event next time. */
const MAX_REMEMBERED = 10_000;

interface Written {
  readonly namespace: string;
  readonly name: string;
  count: number;
}

/**
 * Kubernetes Events (`events.k8s.io/v1`) on the offending object, as `kubectl describe` and
 * `kubectl events --for` show them: `type: Warning`, `reason` the rule in UpperCamelCase, `action`
 * `Detected`, a `note` with severity, rule and message (no evidence, so no values from the object,
 * and credentials in the message masked). One Event per finding (its fingerprint names it); a
 * finding that opens again or changes bumps the Event's `series` (count, lastObservedTime) with a
 * merge patch instead of adding an Event, as the API's de-duplication intends. Suppressed and
 * folded findings and resolutions make no Event.
 * https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
 */
export class EventSink implements WatchSink {
  private readonly queue: Finding[] = [];
  private readonly written = new Map<string, Written>();
  private sending: Promise<void> | undefined;
  private readonly trouble: WriteTrouble;
  private windowStart = 0;
  private inWindow = 0;
  private dropped = 0;
  private dropTimer: NodeJS.Timeout | undefined;
  private readonly instance = hostname();

  constructor(private readonly options: EventSinkOptions) {
    this.trouble = new WriteTrouble(options.onTrouble);
  }

  send(record: WatchRecord): void {
    if (record.kind !== 'finding' || (record.state !== 'open' && record.state !== 'changed') || record.finding.suppression) return;
    this.queue.push(record.finding);
    this.sending ??= this.drain().finally(() => (this.sending = undefined));
  }

  async close(graceMs: number): Promise<void> {
    if (this.sending) await Promise.race([this.sending, new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.reportDropped();
    if (this.queue.length > 0) this.options.onTrouble(`events: ${this.queue.length} Event(s) not written before shutdown`);
  }

  /** Resolves when every queued Event is written (tests). */
  async settled(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async drain(): Promise<void> {
    for (let finding = this.queue.shift(); finding !== undefined; finding = this.queue.shift()) {
      if (!this.withinRate()) continue;
      const writer = this.options.writer();
      if (!writer) continue;
      try {
        await this.record(writer, finding);
      } catch (error) {
        this.trouble.report(`Events in namespace ${eventNamespaceOf(finding)}`, error);
      }
    }
  }

  private withinRate(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      this.reportDropped();
      [this.windowStart, this.inWindow] = [now, 0];
    }
    if (this.inWindow >= (this.options.perMinute ?? 120)) {
      // Counted, and said when the minute ends (or at shutdown), whether or not another finding
      // comes then: the last burst before a quiet spell was otherwise dropped without a word.
      if (this.dropped++ === 0) this.dropTimer = setTimeout(() => this.reportDropped(), this.windowStart + 60_000 - now).unref();
      return false;
    }
    this.inWindow++;
    return true;
  }

  private reportDropped(): void {
    clearTimeout(this.dropTimer);
    this.dropTimer = undefined;
    if (this.dropped > 0) this.options.onTrouble(`events: ${this.dropped} Event(s) dropped over the limit of ${this.options.perMinute ?? 120} a minute`);
    this.dropped = 0;
  }

  private async record(writer: ClusterWriter, finding: Finding): Promise<void> {
    const now = (this.options.now?.() ?? new Date()).toISOString().replace(/Z$/, '000Z');
    const namespace = eventNamespaceOf(finding);
    const name = eventNameOf(finding);
    const path = `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events`;
    const seen = this.written.get(finding.fingerprint);
    if (seen) {
      seen.count++;
      try {
        await writer.write('PATCH', `${path}/${encodeURIComponent(name)}`, { note: noteOf(finding), series: { count: seen.count, lastObservedTime: now } }, 'application/merge-patch+json');
        return;
      } catch (error) {
        // Events expire (one hour by default): a bump of an expired one starts a new Event.
        if (statusOf(error) !== 404) throw error;
      }
    }
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kfguard' } },
      eventTime: now,
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: `kfguard-${this.instance}`.slice(0, 128),
      action: 'Detected',
      reason: reasonOf(finding.ruleId),
      type: 'Warning',
      note: noteOf(finding),
      regarding: { apiVersion: finding.resource.apiVersion, kind: finding.resource.kind, name: finding.resource.name, ...(finding.resource.namespace ? { namespace: finding.resource.namespace } : {}) },
    };
    try {
      await writer.write('POST', path, event);
    } catch (error) {
      // Written by an earlier run of kfguard: this run continues its series.
      if (statusOf(error) !== 409) throw error;
      await writer.write('PATCH', `${path}/${encodeURIComponent(name)}`, { note: event.note, series: { count: 2, lastObservedTime: now } }, 'application/merge-patch+json');
      this.remember(finding.fingerprint, { namespace, name, count: 2 });
      return;
    }
    this.remember(finding.fingerprint, { namespace, name, count: 1 });
  }

  private remember(fingerprint: string, written: Written): void {
    this.written.set(fingerprint, written);
    if (this.written.size > MAX_REMEMBERED) this.written.delete(this.written.keys().next().value as string);
  }
}

/**
 * Events live in the namespace of what they regard; cluster-scoped objects' in `default`, as
 * client-go's events.k8s.io/v1 recorder puts them (an empty regarding namespace becomes
 * `metav1.NamespaceDefault`, makeEvent in
 * https://github.com/kubernetes/client-go/blob/master/tools/events/event_recorder.go), so they are
 * found where other controllers' Events about Nodes or ClusterRoles are.
 */
function eventNamespaceOf(finding: Finding): string {
  return isClusterScoped(finding.resource.kind) ? 'default' : (finding.resource.namespace ?? 'default');
}

/** `<object name>.kfguard-<hash>`, as kubelet names Events `<object>.<hex>`: stable per finding. */
function eventNameOf(finding: Finding): string {
  const hash = createHash('sha256').update(finding.fingerprint).digest('hex').slice(0, 16);
  const base = finding.resource.name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 200).replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return `${base || 'object'}.kfguard-${hash}`;
}

/** `crypto-miner-workload` → `CryptoMinerWorkload`: Event reasons are UpperCamelCase. */
export function reasonOf(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')
    .slice(0, 128);
}

/**
 * Severity, rule and message; never the evidence, which quotes the object. A message still names
 * what the object's creator chose (an Argo template or container name), and `kubectl get events`
 * prints the note as it is: terminal control characters are shown as `\uXXXX`, as in the text report.
 */
export function noteOf(finding: Finding): string {
  const text = escapeForTerminal(redactCredentialAssignments(redactUrlCredentials(`[${finding.severity}] ${finding.ruleId}: ${finding.message}`)));
  if (Buffer.byteLength(text) <= MAX_NOTE_BYTES) return text;
  let cut = text.slice(0, MAX_NOTE_BYTES - 3);
  while (Buffer.byteLength(cut) > MAX_NOTE_BYTES - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}
