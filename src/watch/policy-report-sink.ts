import type { Finding } from '../core/types.js';
import { emptiedPolicyReport, policyReportsOfFindings } from '../report/policyreport.js';
import { putWithConflictRetry, statusOf, WriteTrouble, type ClusterWriter } from './cluster-writes.js';
import type { WatchRecord, WatchSink } from './sinks.js';

export interface PolicyReportSinkOptions {
  /** The API client, once the watch has connected. */
  readonly writer: () => ClusterWriter | undefined;
  /** Changes are gathered this long before reports are written (a sync opens thousands at once). */
  readonly flushMs?: number;
  readonly onTrouble: (message: string) => void;
}

type Document = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string } };

const GROUP_VERSION = 'wgpolicyk8s.io/v1alpha2';
const RETRY_MS = 30_000;
const isEmptied = (doc: Document): boolean => Array.isArray(doc.results) && doc.results.length === 0;
const keyOf = (doc: Document): string => `${doc.kind}\u0000${doc.metadata.namespace ?? ''}\u0000${doc.metadata.name}`;
const collectionOf = (doc: Document): string =>
  doc.kind === 'ClusterPolicyReport' ? `/apis/${GROUP_VERSION}/clusterpolicyreports` : `/apis/${GROUP_VERSION}/namespaces/${encodeURIComponent(doc.metadata.namespace ?? 'default')}/policyreports`;

/**
 * `--write-policyreports`: keeps `wgpolicyk8s.io/v1alpha2` PolicyReports (one per namespace, named
 * `kfguard`, split into `kfguard-2`... past 500 results) and a ClusterPolicyReport `kfguard-cluster`
 * equal to the open findings, suppressed ones as `skip`. Reports whose findings all resolved are
 * kept, empty, so a dashboard shows the namespace clean rather than stale. Each write is a read,
 * then a create or a PUT with the read resourceVersion, retried on 409.
 */
export class PolicyReportSink implements WatchSink {
  private readonly open = new Map<string, Finding>();
  /** What each report held when last written, by report key. */
  private readonly written = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dirty = false;
  private readonly trouble: WriteTrouble;

  constructor(private readonly options: PolicyReportSinkOptions) {
    this.trouble = new WriteTrouble(options.onTrouble);
  }

  send(record: WatchRecord): void {
    if (record.kind !== 'finding') return;
    const { finding } = record;
    if (record.state === 'resolved' || record.state === 'folded') this.open.delete(finding.fingerprint);
    else this.open.set(finding.fingerprint, finding);
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushMs ?? 2_000);
  }

  /** Writes every report whose content changed since it was last written. */
  async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      if (!this.dirty) return;
    }
    this.flushing = this.writeChanged().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async close(graceMs: number): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const done = this.dirty ? this.flush() : (this.flushing ?? Promise.resolve());
    await Promise.race([done, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  private async writeChanged(): Promise<void> {
    const writer = this.options.writer();
    if (!writer) return;
    this.dirty = false;
    const desired = new Map<string, Document>();
    for (const doc of policyReportsOfFindings([...this.open.values()]) as Document[]) desired.set(keyOf(doc), doc);
    // Reports written before and now without results are emptied, not left stale.
    for (const [key, text] of this.written) {
      if (!desired.has(key)) desired.set(key, emptiedPolicyReport(JSON.parse(text) as Document) as Document);
    }
    for (const [key, doc] of desired) {
      const text = JSON.stringify(doc);
      if (this.written.get(key) === text) continue;
      try {
        await putWithConflictRetry(writer, collectionOf(doc), doc.metadata.name, doc);
        this.written.set(key, text);
      } catch (error) {
        // A report emptied because its namespace was deleted (its objects, and so their findings,
        // went with it): the namespace answers 404 and the report is gone with it. Forgotten, not
        // retried every 30 s for as long as the watch runs.
        if (isEmptied(doc) && statusOf(error) === 404) {
          this.written.delete(key);
          continue;
        }
        this.dirty = true;
        this.trouble.report(`${doc.kind} ${doc.metadata.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata.name}`, error);
      }
    }
    // A refused write is tried again later, not only when the next finding changes.
    if (this.dirty) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, RETRY_MS).unref();
    }
  }
}
