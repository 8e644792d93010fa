import { SourceError } from '../../core/errors.js';
import type { Rule } from '../../core/rule.js';
import type { Source, SourceEvent } from '../../core/source.js';
import type { ClusterOrigin, CoverageEntry, InputError, InputStats, K8sObject } from '../../core/types.js';
import { ApiClient, ApiError, type ApiClientOptions } from './api-client.js';
import { mapBounded } from './bounded.js';
import { kindsToList } from './catalog.js';
import { connect, firstLine, type ConnectionOptions } from './connection.js';
import { discover, type ServedResource } from './discovery.js';
import { listAll } from './list.js';
import { toFileForm } from './normalise.js';

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
    const results = await mapBounded(tasks, concurrency, async (task) => {
      try {
        const listed = task.resource.kind === 'Namespace' && task.namespace !== undefined ? await getNamespace(client, task.namespace) : await listAll(client, task.resource, task.resource.namespaced ? task.namespace : undefined, this.options.pageSize ?? 500);
        objectCount += listed.objects.length;
        return listed;
      } catch (error) {
        gap(`could not list ${describeTask(task)}: ${describe(error)}`);
        return undefined;
      } finally {
        this.options.onProgress?.({ listsDone: ++done, listsTotal: tasks.length, objects: objectCount });
      }
    });
    if (tasks.length > 0 && results.every((r) => r === undefined)) {
      throw new SourceError(`nothing could be listed from context ${connection.context}: ${coverage.map((c) => c.reason).at(-1) ?? 'no answer'}`, 'check the RBAC of the account kfguard runs as; deploy/scanner/ holds a ClusterRole that suffices');
    }
    const objects: K8sObject[] = [];
    for (const listed of results) {
      if (!listed) continue;
      for (const object of listed.objects) {
        objects.push(object);
        const resourceVersion = object.metadata?.resourceVersion;
        const origin: ClusterOrigin = { kind: 'cluster', context: connection.context, ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}) };
        yield { type: 'upsert', object, origin };
      }
    }
    this.collected = {
      errors: [],
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

function planLists(resources: readonly ServedResource[], namespaces: readonly string[]): ListTask[] {
  if (namespaces.length === 0) return resources.map((resource) => ({ resource }));
  const tasks: ListTask[] = [];
  for (const resource of resources) {
    if (resource.namespaced) for (const namespace of namespaces) tasks.push({ resource, namespace });
    // With --namespace, the Namespace objects themselves are read one by one (guardrail rules judge them).
    else if (resource.kind === 'Namespace') for (const namespace of namespaces) tasks.push({ resource, namespace });
  }
  return tasks;
}

async function getNamespace(client: ApiClient, name: string): Promise<{ objects: K8sObject[] }> {
  return { objects: [toFileForm(await client.get(`/api/v1/namespaces/${encodeURIComponent(name)}`), 'v1', 'Namespace')] };
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
