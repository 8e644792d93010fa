import { errorMessage } from '../core/errors.js';
import { asArray, asRecord, asString } from '../core/object.js';
import type { ApiOrigin, K8sObject } from '../core/types.js';
import { ApiError, getJson, type GetOptions } from './http-get.js';
import type { ApiObject, ApiRead } from './job-object.js';
import { allPages } from './paging.js';

export interface ArgoHuntOptions extends GetOptions {
  readonly base: URL;
  readonly namespace?: string;
}

/** The Argo Server lists it reads, with the kind its items are and the UI page of each. */
const COLLECTIONS = [
  { path: 'workflows', kind: 'Workflow', ui: 'workflows' },
  { path: 'workflow-templates', kind: 'WorkflowTemplate', ui: 'workflow-templates' },
  { path: 'cron-workflows', kind: 'CronWorkflow', ui: 'cron-workflows' },
] as const;

const LIMIT = '100';

/**
 * Reads the Argo Server REST API, GET only: workflows, workflow templates, cron workflows and
 * archived workflows, following `metadata.continue`. An empty namespace lists every namespace the
 * credentials may read. https://argo-workflows.readthedocs.io/en/latest/rest-api/
 */
export async function readArgo(options: ArgoHuntOptions): Promise<ApiRead> {
  const read: ApiRead = { objects: [], problems: [], listed: {} };
  const base = options.base.href.replace(/\/+$/, '');
  const namespace = options.namespace ?? '';
  const list = async (path: string, query: Record<string, string> = {}): Promise<unknown[]> => {
    const items: unknown[] = [];
    for await (const item of allPages(async (token) => {
      const url = new URL(`${base}${path}`);
      url.searchParams.set('listOptions.limit', LIMIT);
      if (token) url.searchParams.set('listOptions.continue', token);
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
      const body = asRecord(await getJson(url, options));
      return { items: asArray(body?.items), next: asString(asRecord(body?.metadata)?.continue) || undefined };
    })) {
      items.push(item);
    }
    return items;
  };
  const add = (item: unknown, kind: string, endpoint: string, ui: string, id?: string): void => {
    const record = asRecord(item);
    if (!record) return;
    const metadata = asRecord(record.metadata) ?? {};
    const name = asString(metadata.name) ?? '';
    const ns = asString(metadata.namespace) ?? namespace;
    // List answers leave out apiVersion and kind, as Kubernetes lists do.
    const object = { ...record, apiVersion: asString(record.apiVersion) ?? 'argoproj.io/v1alpha1', kind: asString(record.kind) ?? kind } as K8sObject;
    const status = asString(asRecord(record.status)?.phase);
    const origin: ApiOrigin = {
      kind: 'api',
      api: 'argo',
      endpoint,
      id: id ?? asString(metadata.uid) ?? name,
      uiLink: `${base}/${ui}/${ns}/${id ?? name}`,
      displayName: name,
      ...(asString(metadata.creationTimestamp) ? { createdAt: asString(metadata.creationTimestamp) } : {}),
      ...(status ? { status } : {}),
    };
    (read.objects as ApiObject[]).push({ object, origin });
  };
  // The first list tells whether this is an Argo Server at all; its errors end the hunt.
  for (const [index, collection] of COLLECTIONS.entries()) {
    const endpoint = `/api/v1/${collection.path}/${namespace}`;
    try {
      const items = await list(endpoint);
      read.listed[collection.path] = items.length;
      for (const item of items) add(item, collection.kind, endpoint, collection.ui);
    } catch (error) {
      if (index === 0 || (error instanceof ApiError && (error.status === 401 || error.status === 403))) throw error;
      read.problems.push({ endpoint, message: errorMessage(error) });
    }
  }
  await readArchived(read, list, add, base, namespace, options);
  return read;
}

/** The archive keeps workflows after their objects are deleted: often the only trace left. The list gives summaries; each is fetched whole. */
async function readArchived(
  read: ApiRead,
  list: (path: string, query?: Record<string, string>) => Promise<unknown[]>,
  add: (item: unknown, kind: string, endpoint: string, ui: string, id?: string) => void,
  base: string,
  namespace: string,
  options: GetOptions,
): Promise<void> {
  const endpoint = '/api/v1/archived-workflows';
  try {
    const summaries = await list(endpoint, namespace ? { namespace } : {});
    read.listed['archived-workflows'] = summaries.length;
    for (const summary of summaries) {
      const uid = asString(asRecord(asRecord(summary)?.metadata)?.uid);
      if (!uid) continue;
      try {
        add(await getJson(new URL(`${base}${endpoint}/${encodeURIComponent(uid)}`), options), 'Workflow', `${endpoint}/{uid}`, 'archived-workflows', uid);
      } catch (error) {
        read.problems.push({ endpoint: `${endpoint}/${uid}`, message: errorMessage(error) });
      }
    }
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
    // Argo answers 404 or 501 when the archive is not configured: counted, not an error of the hunt.
    if (error instanceof ApiError && (error.status === 404 || error.status === 501)) read.listed['archived-workflows (archive not configured)'] = 0;
    else read.problems.push({ endpoint, message: `not read: ${errorMessage(error)}` });
  }
}
