import type { K8sObject } from '../../core/types.js';
import { ApiError, type ApiClient } from './api-client.js';
import { firstLine, type Connection } from './connection.js';
import type { ServedResource } from './discovery.js';
import { listAll, listPath } from './list.js';
import { toFileForm } from './normalise.js';
import { watchStream, type WatchEvent } from './watch-stream.js';

/** What an informer tells the snapshot it feeds. */
export interface InformerHandlers {
  /** A full list: these objects are what exists now; anything else held for this resource is gone. */
  replace(objects: readonly K8sObject[]): void;
  upsert(object: K8sObject): void;
  delete(object: K8sObject): void;
  /** The resource could not be read (403 and the like), or, with undefined, can again. */
  gap(reason: string | undefined): void;
  /** The server showed it is alive and current: an event, a bookmark, a list. */
  heard(): void;
  /** A retry is coming after this failure. */
  failed(message: string, retryInMs: number): void;
}

export interface InformerTiming {
  readonly pageSize: number;
  /** Asked of the server per watch; it ends the stream then and the informer watches again. */
  readonly watchTimeoutSeconds: number;
  /** No byte (not even a bookmark) for this long means the connection is dead. */
  readonly idleTimeoutMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_INFORMER_TIMING: InformerTiming = {
  pageSize: 500,
  watchTimeoutSeconds: 300,
  idleTimeoutMs: 330_000,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
};

/** The server ended a watch with an ERROR event; 410 means the version is too old to resume from. */
class WatchErrorEvent extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/**
 * List, then watch from the list's resourceVersion with bookmarks, for one resource (in one
 * namespace or all). A stream the server ends is watched again from the last version seen; a
 * `410` (compaction) lists again; any other failure retries with exponential backoff and jitter,
 * so a fleet of watchers does not reconnect in lockstep. A refusal (403) becomes a gap and is
 * retried at the slowest pace: RBAC may be fixed while kfguard runs.
 */
export class Informer {
  private listedOnce = false;

  constructor(
    private readonly connection: Connection,
    private readonly client: ApiClient,
    private readonly resource: ServedResource,
    private readonly namespace: string | undefined,
    private readonly handlers: InformerHandlers,
    private readonly timing: InformerTiming,
  ) {}

  /** True once a list succeeded or the resource was refused: either way, the first answer is in. */
  answered = false;

  get description(): string {
    const name = this.resource.group === '' ? this.resource.plural : `${this.resource.plural}.${this.resource.group}`;
    return this.namespace === undefined ? name : `${name} in namespace ${this.namespace}`;
  }

  /**
   * Lists the resource and hands the objects over. Kept out of `run` because a local in that
   * suspended loop would hold every listed object for the whole life of the watch.
   */
  private async list(): Promise<string> {
    const listed = await listAll(this.client, this.resource, this.namespace, this.timing.pageSize);
    this.listedOnce = true;
    this.answered = true;
    this.handlers.replace(listed.objects);
    this.handlers.gap(undefined);
    this.handlers.heard();
    return listed.resourceVersion ?? '0';
  }

  async run(signal: AbortSignal): Promise<void> {
    const apiVersion = this.resource.group === '' ? this.resource.version : `${this.resource.group}/${this.resource.version}`;
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) resourceVersion = await this.list();
        let ended: WatchErrorEvent | undefined;
        const onEvent = (event: WatchEvent): void => {
          if (event.type === 'ERROR') {
            const status = (event.object ?? {}) as { code?: number; message?: string };
            ended = new WatchErrorEvent(Number(status.code ?? 0), status.message ?? 'the server ended the watch with an error');
            return;
          }
          const object = toFileForm(event.object, apiVersion, this.resource.kind);
          const version = object.metadata?.resourceVersion;
          if (typeof version === 'string' && version !== '') resourceVersion = version;
          if (event.type === 'ADDED' || event.type === 'MODIFIED') this.handlers.upsert(object);
          else if (event.type === 'DELETED') this.handlers.delete(object);
          this.handlers.heard();
          failures = 0;
        };
        await watchStream(this.connection, listPath(this.resource, this.namespace), {
          query: { resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(this.timing.watchTimeoutSeconds) },
          signal,
          idleTimeoutMs: this.timing.idleTimeoutMs,
          onEvent,
        });
        if (ended) throw ended;
      } catch (error) {
        if (signal.aborted) return;
        if (isExpired(error)) {
          // Compaction passed our version: only a new list can say what exists now.
          resourceVersion = undefined;
          continue;
        }
        failures++;
        const forbidden = error instanceof ApiError && (error.status === 403 || error.status === 401);
        if (forbidden) {
          this.answered = true;
          this.handlers.gap(`could not ${this.listedOnce ? 'watch' : 'list'} ${this.description}: forbidden`);
          resourceVersion = undefined;
        } else if (resourceVersion === undefined) {
          // The list itself failed (after the client's own retries): what this kind holds is
          // unknown until a list succeeds, which is a gap, not a reason to stay unsynced forever.
          this.answered = true;
          this.handlers.gap(`could not list ${this.description}: ${firstLine(error)}`);
        }
        const delay = backoff(forbidden ? Number.MAX_SAFE_INTEGER : failures, this.timing);
        this.handlers.failed(`${this.description}: ${firstLine(error)}`, delay);
        await sleep(delay, signal);
      }
    }
  }
}

function isExpired(error: unknown): boolean {
  return (error instanceof WatchErrorEvent && error.code === 410) || (error instanceof ApiError && error.status === 410);
}

/** Exponential, capped, with ±50% jitter. */
export function backoff(failures: number, timing: Pick<InformerTiming, 'initialBackoffMs' | 'maxBackoffMs'>, random: () => number = Math.random): number {
  const base = Math.min(timing.maxBackoffMs, timing.initialBackoffMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(base * (0.5 + random()));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
