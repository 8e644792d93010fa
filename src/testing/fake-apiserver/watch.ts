/**
 * Test-only: the watch half of the fake API server, as a real one streams it. A `?watch=1` request
 * gets `200` and a chunked body of JSON lines `{"type": ..., "object": ...}`:
 * - from `resourceVersion=N`, every change after N, then changes as they happen;
 * - with no resourceVersion (or `0`), an ADDED event per stored object first;
 * - from a version older than the changes kept (compaction), one ERROR event carrying a
 *   `410 Expired` Status, then the end of the stream: the client must list again;
 * - with `allowWatchBookmarks=true`, periodic BOOKMARK events carrying only a resourceVersion;
 * - after `timeoutSeconds`, the server ends the stream (the client watches again from its last
 *   version).
 */
import type { ServerResponse } from 'node:http';
import type { K8sObject } from '../../core/types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One stored change, kept so a watch can resume from any version after the oldest kept. */
export interface StoredChange {
  readonly type: WatchEventType;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly resourceVersion: number;
  readonly object: K8sObject;
}

/** What one watch request asked for: a kind in one version, maybe in one namespace. */
export interface WatchTarget {
  readonly group: string;
  readonly kind: string;
  /** The version the client asked for: events carry it, as the real server converts them. */
  readonly apiVersion: string;
  readonly namespace: string | undefined;
  /** The stored objects in scope now, for a watch without a resourceVersion. */
  readonly current: () => K8sObject[];
  readonly resourceVersion: () => number;
}

interface OpenWatch {
  readonly target: WatchTarget;
  readonly res: ServerResponse;
  readonly timers: NodeJS.Timeout[];
}

export interface WatchHubOptions {
  readonly oldestResourceVersion: number;
  readonly window: number;
  readonly bookmarkIntervalMs: number;
  readonly defaultTimeoutSeconds: number;
}

export class WatchHub {
  private readonly changes: StoredChange[] = [];
  /** Watches from a version below this one get 410: the changes after it are no longer kept. */
  private oldest: number;
  private readonly watches = new Set<OpenWatch>();

  constructor(private readonly options: WatchHubOptions) {
    this.oldest = options.oldestResourceVersion;
  }

  get open(): number {
    return this.watches.size;
  }

  publish(change: StoredChange): void {
    this.changes.push(change);
    if (this.changes.length > this.options.window) this.oldest = this.changes.splice(0, this.changes.length - this.options.window).at(-1)!.resourceVersion;
    for (const watch of this.watches) if (matches(watch.target, change)) write(watch, change.type, watch.target, change.object);
  }

  compact(resourceVersion: number): void {
    this.changes.length = 0;
    this.oldest = resourceVersion;
  }

  dropAll(): void {
    for (const watch of [...this.watches]) {
      this.forget(watch);
      watch.res.socket?.destroy();
    }
  }

  closeAll(): void {
    for (const watch of [...this.watches]) {
      this.forget(watch);
      watch.res.end();
    }
  }

  serve(target: WatchTarget, query: URLSearchParams, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    // Headers now: a client waits for them before reading events.
    res.flushHeaders();
    const watch: OpenWatch = { target, res, timers: [] };
    const from = query.get('resourceVersion');
    if (from !== null && from !== '' && from !== '0') {
      const version = Number(from);
      if (!Number.isFinite(version) || version < this.oldest) {
        const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${this.oldest})`, reason: 'Expired', code: 410 };
        res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        return;
      }
      for (const change of this.changes) if (change.resourceVersion > version && matches(target, change)) write(watch, change.type, target, change.object);
    } else {
      for (const object of target.current()) write(watch, 'ADDED', target, object);
    }
    this.watches.add(watch);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? this.options.defaultTimeoutSeconds);
    watch.timers.push(setTimeout(() => this.end(watch), Math.max(0, timeoutSeconds) * 1000));
    if (query.get('allowWatchBookmarks') === 'true') {
      watch.timers.push(setInterval(() => this.bookmark(watch), this.options.bookmarkIntervalMs));
    }
    res.on('close', () => this.forget(watch));
  }

  private bookmark(watch: OpenWatch): void {
    const { target } = watch;
    watch.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: target.kind, apiVersion: target.apiVersion, metadata: { resourceVersion: String(target.resourceVersion()) } } })}\n`);
  }

  private end(watch: OpenWatch): void {
    this.forget(watch);
    watch.res.end();
  }

  private forget(watch: OpenWatch): void {
    for (const timer of watch.timers) clearTimeout(timer);
    this.watches.delete(watch);
  }
}

function matches(target: WatchTarget, change: StoredChange): boolean {
  return change.group === target.group && change.kind === target.kind && (target.namespace === undefined || change.namespace === target.namespace);
}

function write(watch: OpenWatch, type: string, target: WatchTarget, object: K8sObject): void {
  watch.res.write(`${JSON.stringify({ type, object: { ...object, apiVersion: target.apiVersion, kind: target.kind } })}\n`);
}
