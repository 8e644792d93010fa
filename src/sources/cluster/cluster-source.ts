import { SourceError } from '../../core/errors.js';
import type { Rule } from '../../core/rule.js';
import type { Source, SourceEvent } from '../../core/source.js';
import type { ClusterOrigin, CoverageEntry, InputError, InputStats, K8sObject } from '../../core/types.js';
import { ApiClient, ApiError, type ApiClientOptions } from './api-client.js';
import { mapBounded } from './bounded.js';
import { kindsToList } from './catalog.js';
import { connect, firstLine, type ConnectionOptions } from './connection.js';
import { discover, type ServedResource } from './discovery.js';
import { listAll, MAX_LIST_PAGES } from './list.js';
import { ListFeed, readFeed } from './list-feed.js';
import { ListHolders } from './list-holders.js';
import { toFileForm } from './normalise.js';
import { SharedParts } from './shared-parts.js';

export interface ClusterSourceOptions extends ConnectionOptions {
  /** The rules that will run: only the kinds they judge or read are listed. */
  readonly rules: readonly Rule[];
  /** Namespaces to list; empty for all namespaces. */
  readonly namespaces: readonly string[];
  readonly pageSize?: number;
  readonly concurrency?: number;
  readonly client?: ApiClientOptions;
  /** Called as lists finish, for a progress display. */
  readonly onProgress?: (progress: ClusterProgress) => void;
}

export interface ClusterProgress {
  readonly listsDone: number;
  readonly listsTotal: number;
  readonly objects: number;
}

interface ListTask {
  readonly resource: ServedResource;
  readonly namespace?: string;
}

/** What a cluster scan read, in the shape the report takes from every batch source. */
export interface ClusterResult {
  readonly errors: InputError[];
  readonly stats: InputStats;
  readonly coverage: CoverageEntry[];
  /** Everything listed, in file form (Secret values included: for the rules, in memory only). */
  readonly objects: readonly K8sObject[];
  readonly context: string;
}

/**
 * A live cluster as a source: discovery, then paginated lists of the kinds the rules need, a few at
 * a time. A list the server refuses (403) or that fails becomes a coverage entry naming it; the
 * scan goes on. Only when nothing at all could be listed is it an error.
 */
export class ClusterSource implements Source {
  readonly kind = 'cluster' as const;
  private collected: ClusterResult | undefined;

  constructor(private readonly options: ClusterSourceOptions) {}

  get result(): ClusterResult {
    if (!this.collected) throw new Error('ClusterSource.result read before its events were drained');
    return this.collected;
  }

  async *events(): AsyncIterable<SourceEvent> {
    const connection = await connect(this.options);
    const client = new ApiClient(connection, this.options.client);
    const concurrency = this.options.concurrency ?? 4;
    const coverage: CoverageEntry[] = [];
    const gap = (reason: string): void => void coverage.push({ ruleId: '*', source: 'cluster', reason });
    let discovered;
    try {
      discovered = await discover(client, kindsToList(this.options.rules), concurrency);
    } catch (error) {
      throw new SourceError(`cannot read the API of ${connection.server} (context ${connection.context}): ${describe(error, connection.server)}`);
    }
    for (const failure of discovered.failures) gap(`could not discover ${failure.groupVersion}: ${failure.message}`);
    const tasks = planLists(discovered.resources, this.options.namespaces);
    const skipped = discovered.resources.filter((r) => !r.namespaced && this.options.namespaces.length > 0 && r.kind !== 'Namespace');
    if (skipped.length > 0) gap(`cluster-scoped kinds not listed with --namespace: ${skipped.map((r) => r.kind).join(', ')}`);
    let done = 0;
    let objectCount = 0;
    const feeds = tasks.map(() => new ListFeed());
    // One table for the scan: replicas in different lists (namespaces) share their parts too.
    const parts = new SharedParts();
    // Not awaited here: the lists run (a few at a time) while their pages are yielded below.
    const listing = mapBounded(
      tasks.map((task, index) => ({ task, feed: feeds[index]! })),
      concurrency,
      async ({ task, feed }) => {
        let failed = true;
        try {
          const listed = task.resource.kind === 'Namespace' && task.namespace !== undefined ? await getNamespace(client, task.namespace, feed) : await listAll(client, task.resource, task.resource.namespaced ? task.namespace : undefined, this.options.pageSize ?? 500, feed, MAX_LIST_PAGES, parts);
          objectCount += listed.objects.length;
          failed = false;
          return listed;
        } catch (error) {
          gap(`could not list ${describeTask(task)}: ${describe(error)}`);
          return undefined;
        } finally {
          feed.finish(failed);
          this.options.onProgress?.({ listsDone: ++done, listsTotal: tasks.length, objects: objectCount });
        }
      },
    );
    const objects: K8sObject[] = [];
    const context = connection.context;
    // Built whole, not by spreading a conditional object: one object per listed object, not two.
    const originOf = (object: K8sObject): ClusterOrigin => {
      const resourceVersion = object.metadata?.resourceVersion;
      return typeof resourceVersion === 'string' ? { kind: 'cluster', context, resourceVersion } : { kind: 'cluster', context };
    };
    // Lists are read in order and each list's pages as they come, so the snapshot fills in the same
    // order as when every list was awaited first. What a list gave before it started again (410) or
    // failed is taken back at its end, so the snapshot holds what waiting for it would have held.
    const holders = new ListHolders();
    const errors: InputError[] = [];
    for (const [index, feed] of feeds.entries()) {
      const task = tasks[index]!;
      const changes = readFeed(feed, { holders, list: index, originOf });
      let next = await changes.next();
      for (; !next.done; next = await changes.next()) yield { type: 'batch', changes: next.value };
      for (const object of next.value.kept) objects.push(object);
      // Judged like an unnamed object in a file, but said: a real API server never answers one.
      const { incomplete } = next.value;
      if (incomplete > 0) {
        const problem: InputError = { file: `cluster context ${connection.context}`, message: `${describeTask(task)}: ${incomplete} object(s) without a name, which a real API server always sets; judged, but they cannot be told apart from other objects` };
        errors.push(problem);
        yield { type: 'problem', problem };
      }
    }
    const results = await listing;
    if (tasks.length > 0 && results.every((r) => r === undefined)) {
      throw new SourceError(`nothing could be listed from context ${connection.context}: ${coverage.map((c) => c.reason).at(-1) ?? 'no answer'}`, 'check the RBAC of the account kfguard runs as; deploy/scanner/ holds a ClusterRole that suffices');
    }
    this.collected = {
      errors,
      stats: {
        files: 0,
        documents: objects.length,
        skipped: 0,
        skippedFiles: 0,
        skippedDocuments: 0,
        readAs: `${results.filter((r) => r !== undefined).length} list(s) from cluster context ${connection.context}, ${objects.length} object(s)`,
      },
      coverage,
      objects,
      context: connection.context,
    };
  }
}

function planLists(resources: readonly ServedResource[], given: readonly string[]): ListTask[] {
  // A namespace named twice is listed once: two lists of it would double every object.
  const namespaces = [...new Set(given)];
  if (namespaces.length === 0) return resources.map((resource) => ({ resource }));
  const tasks: ListTask[] = [];
  for (const resource of resources) {
    if (resource.namespaced) for (const namespace of namespaces) tasks.push({ resource, namespace });
    // With --namespace, the Namespace objects themselves are read one by one (guardrail rules judge them).
    else if (resource.kind === 'Namespace') for (const namespace of namespaces) tasks.push({ resource, namespace });
  }
  return tasks;
}

async function getNamespace(client: ApiClient, name: string, feed: ListFeed): Promise<{ objects: K8sObject[] }> {
  const objects = [toFileForm(await client.get(`/api/v1/namespaces/${encodeURIComponent(name)}`), 'v1', 'Namespace')];
  feed.page(objects);
  return { objects };
}

function describeTask(task: ListTask): string {
  const { resource, namespace } = task;
  const name = resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
  if (resource.kind === 'Namespace' && namespace !== undefined) return `namespace ${namespace}`;
  return namespace === undefined ? `${name} (all namespaces)` : `${name} in namespace ${namespace}`;
}

function describe(error: unknown, server?: string): string {
  // An https server URL to a port that answers plain http: OpenSSL reads the reply as a bad TLS record.
  const code = (error as { code?: unknown } | undefined)?.code;
  if (server !== undefined && (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/.test(firstLine(error)))) {
    return `the server does not speak TLS on port ${new URL(server).port || '443'} (is the kubeconfig's server http://?)`;
  }
  if (error instanceof ApiError) {
    const word = error.status === 403 ? 'forbidden' : error.status === 401 ? 'unauthorized (the credentials were refused)' : error.reason;
    return `${word} (HTTP ${error.status})${error.status === 401 ? '' : `: ${error.message}`}`;
  }
  return firstLine(error);
}
