import { sameJson, shareUnchanged } from './share-unchanged.js';
import { SourceError } from '../../core/errors.js';
import type { Rule } from '../../core/rule.js';
import { identityOf, type Snapshot } from '../../core/snapshot.js';
import type { ClusterOrigin, CoverageEntry, K8sObject, ScannedObject, SourceKind } from '../../core/types.js';
import { newSnapshot } from '../../k8s/inventory.js';
import { ApiClient, type ApiClientOptions } from './api-client.js';
import { kindsToList } from './catalog.js';
import { connect, firstLine, type Connection, type ConnectionOptions } from './connection.js';
import { discover, type ServedResource } from './discovery.js';
import { DEFAULT_INFORMER_TIMING, Informer, type InformerTiming } from './informer.js';

/**
 * True when a listed object is the stored copy again: the same non-empty resourceVersion, which
 * the API server changes on every write to an object, and the same content. The version alone is
 * the server's word: one that reuses it with other content (a hostile or broken aggregated API)
 * would have the relist keep the old copy, the change never judged nor stored. The content is
 * compared only when the versions match, and only on a relist (a 410, a refusal lifted), where the
 * copy it spares would have cost more: a new copy stored and the analyses reading it rebuilt.
 */
function unchanged(stored: K8sObject | undefined, listed: K8sObject): boolean {
  const version = listed.metadata?.resourceVersion;
  return stored !== undefined && typeof version === 'string' && version !== '' && stored.metadata?.resourceVersion === version && sameJson(stored, listed);
}

/**
 * Discovery again every minute, as Kubernetes' own garbage collector and namespace controller
 * re-read it every 30 s to learn of CRDs installed since they started.
 * https://github.com/kubernetes/kubernetes/blob/master/cmd/kube-controller-manager/app/core.go (discovery resync)
 */
export const DEFAULT_REDISCOVER_MS = 60_000;

/** A kind watched: the resource discovery named for it, and its informers (one per namespace watched). */
interface Watched {
  readonly resource: ServedResource;
  readonly informers: { readonly namespace: string | undefined; readonly informer: Informer }[];
}

const kindKey = (resource: ServedResource): string => `${resource.group}/${resource.kind}`;

/** One object that changed in the cluster, about to be applied to the snapshot. */
export type LiveChange = { readonly type: 'upsert'; readonly scanned: ScannedObject } | { readonly type: 'delete'; readonly object: K8sObject };

export interface LiveSnapshotOptions extends ConnectionOptions {
  /** The rules that will judge: only the kinds they judge or read are watched. */
  readonly rules: readonly Rule[];
  /** Which of the rules' sources decides the kinds: `cluster` for `watch`, `admission` for the webhook. */
  readonly judging?: SourceKind;
  /** Namespaces to watch; empty for all. With some, cluster-scoped kinds are not watched (a gap). */
  readonly namespaces?: readonly string[];
  readonly client?: ApiClientOptions;
  readonly timing?: Partial<InformerTiming>;
  /**
   * How often discovery runs again after the start, so that a kind served later (a CRD installed
   * after the watch began: Argo, the training operator) is watched too. 0 turns it off.
   */
  readonly rediscoverMs?: number;
  /** Resources watched since a later discovery found them served, for the logs. */
  readonly onNewResources?: (descriptions: readonly string[]) => void;
  /**
   * Called before each change after the first sync is applied, with the snapshot as it was: the
   * place to judge the change incrementally (`evaluateObject` lays the object over the snapshot).
   */
  readonly beforeChange?: (change: LiveChange, snapshot: Snapshot) => void;
  /** A resource was listed again (first sync, 410, reconnect after a refusal): judge everything again. */
  readonly onRelist?: () => void;
  readonly onSynced?: () => void;
  /** Failures the informers retry from, for the logs. */
  readonly onTrouble?: (message: string) => void;
}

/**
 * The cluster as a snapshot kept current: one informer (list, then watch) per kind the rules need,
 * feeding upserts and deletes into a core `Snapshot`. `synced` once every informer has had its
 * first answer (a list, or a refusal that is now a coverage gap); `lastHeardAt` says how fresh it
 * is. Serves `kfguard watch` and the webhook alike.
 */
export class LiveSnapshot {
  readonly snapshot: Snapshot = newSnapshot();
  private readonly informers: Informer[] = [];
  private readonly held = new Map<Informer, Set<string>>();
  private readonly gaps = new Map<string, string>();
  private readonly abort = new AbortController();
  private readonly running: Promise<unknown>[] = [];
  /**
   * Each kind watched (`group/kind`, as discovery names one resource per kind): where it is served
   * and its informers. Keyed by kind, not by resource name: a kind served again under another
   * name or version (its CRD deleted and created again) replaces its informers, where a key by name
   * added one more per name a discovery gave (a hostile server renaming a kind at each discovery
   * grew them without end) and left the old ones failing, a false gap, forever.
   */
  private readonly started = new Map<string, Watched>();
  /** Each informer's own stop: one replaced by a rediscovery is stopped alone. */
  private readonly stops = new Map<Informer, AbortController>();
  private rediscoverTimer: NodeJS.Timeout | undefined;
  private discoveryGaps: string[] = [];
  private discovering = false;
  private syncedFlag = false;
  private syncedWaiters: (() => void)[] = [];
  private heardAt = 0;
  private staticGaps: string[] = [];

  private constructor(
    private readonly options: LiveSnapshotOptions,
    private readonly connection: Connection,
    /** The same credentials, for what `kfguard watch` writes back (Events, PolicyReports). */
    readonly client: ApiClient,
  ) {}

  /** Connects, discovers what the cluster serves, and starts the informers. Throws when the cluster cannot be reached. */
  static async start(options: LiveSnapshotOptions): Promise<LiveSnapshot> {
    const connection = await connect(options);
    const client = new ApiClient(connection, options.client);
    let discovered;
    try {
      discovered = await discover(client, kindsToList(options.rules, options.judging ?? 'cluster'), 4);
    } catch (error) {
      throw new SourceError(`cannot read the API of ${connection.server} (context ${connection.context}): ${firstLine(error)}`);
    }
    const live = new LiveSnapshot(options, connection, client);
    live.discoveryGaps = discovered.failures.map((failure) => `could not discover ${failure.groupVersion}: ${failure.message}`);
    live.startInformers(discovered.resources);
    if (live.informers.length === 0) live.markSynced();
    const every = options.rediscoverMs ?? DEFAULT_REDISCOVER_MS;
    if (every > 0) {
      live.rediscoverTimer = setInterval(() => void live.rediscover(), every);
      live.rediscoverTimer.unref();
    }
    return live;
  }

  /**
   * Discovery again: informers for wanted kinds served since, their objects judged as they arrive
   * (a first list after the sync is a relist). A kind no longer served keeps its informer, whose
   * failures are a coverage gap. A failed discovery keeps what is watched and is a gap itself.
   */
  async rediscover(): Promise<void> {
    if (this.abort.signal.aborted || this.discovering) return;
    this.discovering = true;
    let discovered;
    try {
      discovered = await discover(this.client, kindsToList(this.options.rules, this.options.judging ?? 'cluster'), 4);
    } catch (error) {
      this.discoveryGaps = [`could not discover the API again: ${firstLine(error)}`];
      return;
    } finally {
      this.discovering = false;
    }
    if (this.abort.signal.aborted) return;
    this.discoveryGaps = discovered.failures.map((failure) => `could not discover ${failure.groupVersion}: ${failure.message}`);
    const moved = discovered.resources.filter((resource) => {
      const watched = this.started.get(kindKey(resource));
      return watched === undefined || watched.resource.version !== resource.version || watched.resource.plural !== resource.plural || watched.resource.namespaced !== resource.namespaced;
    });
    const added = this.startInformers(moved).map((informer) => informer.description);
    if (added.length > 0) this.options.onNewResources?.(added);
  }

  get context(): string {
    return this.connection.context;
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  /** Resolves once every informer has had its first answer. */
  whenSynced(): Promise<void> {
    if (this.syncedFlag) return Promise.resolve();
    return new Promise((resolve) => this.syncedWaiters.push(resolve));
  }

  /** When the server last showed the snapshot is current (an event, a bookmark, a list); 0 before. */
  get lastHeardAt(): number {
    return this.heardAt;
  }

  /** What the snapshot cannot see now: refused resources, failed discovery, kinds skipped by scope. */
  get coverage(): CoverageEntry[] {
    return [...this.discoveryGaps, ...this.staticGaps, ...this.gaps.values()].map((reason) => ({ ruleId: '*', source: 'cluster' as const, reason }));
  }

  get watched(): readonly string[] {
    return this.informers.map((informer) => informer.description);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const stop of this.stops.values()) stop.abort();
    clearInterval(this.rediscoverTimer);
    await Promise.all(this.running);
  }

  /** Starts informers for these resources, replacing those of the same kinds; returns the new ones. */
  private startInformers(resources: readonly ServedResource[]): Informer[] {
    // Each namespace once: two informers of one namespace would take back each other's objects.
    const namespaces = [...new Set(this.options.namespaces ?? [])];
    const timing = { ...DEFAULT_INFORMER_TIMING, ...this.options.timing };
    const skipped: string[] = [];
    const added: Informer[] = [];
    for (const resource of resources) {
      const previous = this.started.get(kindKey(resource));
      // What the replaced informers held passes to their successors (same namespace): the first
      // list of these is a relist, which judges and removes what is no longer there.
      const taken = previous === undefined ? new Map<string | undefined, Set<string>>() : this.retire(previous);
      const scopes: (string | undefined)[] = namespaces.length === 0 ? [undefined] : resource.namespaced ? [...namespaces] : [];
      // Named once: again only if it was watched until now (its scope changed to the cluster).
      if (scopes.length === 0 && (previous === undefined || previous.informers.length > 0)) skipped.push(resource.kind);
      const watched: Watched = { resource, informers: [] };
      this.started.set(kindKey(resource), watched);
      for (const namespace of scopes) {
        const informer: Informer = new Informer(this.connection, this.client, resource, namespace, this.handlersFor(() => informer), timing);
        this.informers.push(informer);
        this.held.set(informer, taken.get(namespace) ?? new Set());
        taken.delete(namespace);
        watched.informers.push({ namespace, informer });
        added.push(informer);
      }
      // Held by an informer with no successor (the kind's scope changed): no longer watched.
      for (const identities of taken.values()) for (const identity of identities) this.deleteByIdentity(identity, this.syncedFlag);
    }
    if (skipped.length > 0) this.staticGaps.push(`cluster-scoped kinds not watched with --namespace: ${skipped.join(', ')}`);
    for (const informer of added) {
      // Its own signal: at most three listeners at once (its watch request, the stream, a backoff sleep).
      const stop = new AbortController();
      this.stops.set(informer, stop);
      if (this.abort.signal.aborted) stop.abort();
      this.running.push(informer.run(stop.signal));
    }
    return added;
  }

  /** Stops a kind's informers and forgets them (and their gaps); returns what each held, by namespace. */
  private retire(watched: Watched): Map<string | undefined, Set<string>> {
    const held = new Map<string | undefined, Set<string>>();
    for (const { namespace, informer } of watched.informers) {
      this.stops.get(informer)?.abort();
      this.stops.delete(informer);
      const at = this.informers.indexOf(informer);
      if (at !== -1) this.informers.splice(at, 1);
      held.set(namespace, this.held.get(informer) ?? new Set());
      // Its handlers do nothing from now on (a list it had in flight still answers).
      this.held.delete(informer);
      this.gaps.delete(informer.description);
    }
    return held;
  }

  private handlersFor(informerOf: () => Informer): ConstructorParameters<typeof Informer>[4] {
    const origin = (object: K8sObject): ClusterOrigin => {
      const resourceVersion = object.metadata?.resourceVersion;
      return { kind: 'cluster', context: this.connection.context, ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}) };
    };
    return {
      replace: (objects) => {
        const informer = informerOf();
        const held = this.held.get(informer);
        // A replaced informer's late answer.
        if (held === undefined) return;
        const present = new Set<string>();
        // After the first sync a list is a relist (410, a refusal lifted): what it brings is judged
        // as the watch events it stands for would have been, at once, not at the next full
        // evaluation (`onRelist`), which on a large cluster can be a minute away. An object whose
        // resourceVersion is the stored one has not changed and keeps its stored copy.
        const relist = this.syncedFlag;
        for (const object of objects) {
          const identity = identityOf(object);
          if (identity === undefined) continue;
          present.add(identity);
          // The identity rides on the copy: per-copy caches (the engine's baselines) key by it.
          if (!relist) this.snapshot.upsert({ object, origin: origin(object), identity }, identity);
          else if (!unchanged(this.snapshot.copiesOf(object)[0]?.object, object)) this.applyUpsert(object, identity, held, origin);
        }
        for (const identity of held) if (!present.has(identity)) this.deleteByIdentity(identity, relist);
        this.held.set(informer, present);
        if (this.syncedFlag) this.options.onRelist?.();
        this.checkSynced();
      },
      upsert: (update) => {
        const identity = identityOf(update);
        const held = this.held.get(informerOf());
        if (identity === undefined || held === undefined) return;
        this.applyUpsert(update, identity, held, origin);
      },
      delete: (object) => {
        const identity = identityOf(object);
        const held = this.held.get(informerOf());
        if (identity === undefined || held === undefined) return;
        this.applyDelete(object, identity, held);
      },
      gap: (reason) => {
        if (!this.held.has(informerOf())) return;
        const key = informerOf().description;
        if (reason === undefined) this.gaps.delete(key);
        else this.gaps.set(key, reason);
        this.checkSynced();
      },
      heard: () => {
        this.heardAt = Date.now();
      },
      failed: (message, retryInMs) => this.options.onTrouble?.(`${message}; retrying in ${(retryInMs / 1000).toFixed(1)} s`),
    };
  }

  private applyUpsert(update: K8sObject, built: string, held: Set<string>, origin: (object: K8sObject) => ClusterOrigin): void {
    const stored = this.snapshot.copiesOf(update)[0];
    // The stored copy's identity string, equal to the one just built: every copy of an object
    // shares one (per-copy caches, the engine's baselines, key by it), and the one built dies young.
    const identity = stored?.identity ?? built;
    const object = shareUnchanged(stored?.object, update);
    const scanned: ScannedObject = { object, origin: origin(object), identity };
    if (this.syncedFlag) this.options.beforeChange?.({ type: 'upsert', scanned }, this.snapshot);
    held.add(identity);
    this.snapshot.upsert(scanned, identity);
  }

  private applyDelete(object: K8sObject, identity: string, held: Set<string>): void {
    if (this.syncedFlag) this.options.beforeChange?.({ type: 'delete', object }, this.snapshot);
    held.delete(identity);
    this.snapshot.delete(object);
  }

  /** An object a list no longer holds; on a relist judged as a delete (`beforeChange`). */
  private deleteByIdentity(identity: string, judge: boolean): void {
    // By the identity itself: split back at its NULs, a name holding one named another object.
    const copy = this.snapshot.copiesWithIdentity(identity)[0];
    if (!copy) return;
    if (judge) this.options.beforeChange?.({ type: 'delete', object: copy.object }, this.snapshot);
    this.snapshot.delete(copy.object);
  }

  private checkSynced(): void {
    if (this.syncedFlag || !this.informers.every((informer) => informer.answered)) return;
    this.markSynced();
  }

  private markSynced(): void {
    this.syncedFlag = true;
    this.options.onSynced?.();
    for (const resolve of this.syncedWaiters.splice(0)) resolve();
  }
}
