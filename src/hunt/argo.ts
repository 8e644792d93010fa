import { errorMessage } from '../core/errors.js';
import { asArray, asRecord, asString } from '../core/object.js';
import type { ApiOrigin, K8sObject } from '../core/types.js';
import { ApiError, getJson, type GetOptions } from './http-get.js';
import { listGap, type ApiObject, type ApiRead } from './job-object.js';
import { readPages, type PagedRead } from './paging.js';

export interface ArgoHuntOptions extends GetOptions {
  readonly base: URL;
  readonly namespace?: string;
}

/** The Argo Server lists it reads, with the kind its items are and the UI page of each. */
const COLLECTIONS = [
  { path: 'workflows', kind: 'Workflow', ui: 'workflows', label: 'workflows' },
  { path: 'workflow-templates', kind: 'WorkflowTemplate', ui: 'workflow-templates', label: 'workflow templates' },
  { path: 'cron-workflows', kind: 'CronWorkflow', ui: 'cron-workflows', label: 'cron workflows' },
] as const;

const LIMIT = '100';

/**
 * Reads the Argo Server REST API, GET only: workflows, workflow templates, cron workflows, cluster
 * workflow templates and archived workflows, following `metadata.continue`. An empty namespace lists every namespace the
 * credentials may read. https://argo-workflows.readthedocs.io/en/latest/rest-api/
 */
export async function readArgo(options: ArgoHuntOptions): Promise<ApiRead> {
  const read: ApiRead = { objects: [], problems: [], gaps: [], listed: {} };
  const base = options.base.href.replace(/\/+$/, '');
  const namespace = options.namespace ?? '';
  const list = (path: string, query: Record<string, string> = {}): Promise<PagedRead> =>
    readPages(async (token) => {
      const url = new URL(`${base}${path}`);
      url.searchParams.set('listOptions.limit', LIMIT);
      if (token) url.searchParams.set('listOptions.continue', token);
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
      const body = asRecord(await getJson(url, options));
      return { items: asArray(body?.items), next: asString(asRecord(body?.metadata)?.continue) || undefined };
    });
  const add = (item: unknown, kind: string, endpoint: string, ui: string, id?: string, clusterScoped = false): void => {
    const record = asRecord(item);
    if (!record) return;
    const metadata = asRecord(record.metadata) ?? {};
    const name = asString(metadata.name) ?? '';
    const ns = clusterScoped ? '' : (asString(metadata.namespace) ?? namespace);
    // List answers leave out apiVersion and kind, as Kubernetes lists do.
    const object = { ...record, apiVersion: asString(record.apiVersion) ?? 'argoproj.io/v1alpha1', kind: asString(record.kind) ?? kind } as K8sObject;
    const status = asString(asRecord(record.status)?.phase);
    const origin: ApiOrigin = {
      kind: 'api',
      api: 'argo',
      endpoint,
      id: id ?? asString(metadata.uid) ?? name,
      // Names and uids come from the API: a `/`, `#` or `?` in one must not point the link elsewhere.
      uiLink: `${base}/${ui}/${ns ? `${encodeURIComponent(ns)}/` : ''}${encodeURIComponent(id ?? name)}`,
      displayName: name,
      ...(asString(metadata.creationTimestamp) ? { createdAt: asString(metadata.creationTimestamp) } : {}),
      ...(status ? { status } : {}),
    };
    (read.objects as ApiObject[]).push({ object, origin });
  };
  const where = namespace ? ` in namespace ${namespace}` : '';
  let answered = false;
  let firstError: unknown;
  for (const [index, collection] of COLLECTIONS.entries()) {
    const endpoint = `/api/v1/${collection.path}/${namespace}`;
    const { items, error } = await list(endpoint);
    if (error === undefined || items.length > 0) read.listed[collection.path] = items.length;
    for (const item of items) add(item, collection.kind, endpoint, collection.ui);
    if (error === undefined || items.length > 0) answered = true;
    if (error === undefined) continue;
    // The first list tells whether this is an Argo Server at all: a 404, a refused connection, a
    // TLS error or a timeout there ends the hunt of this API. A refusal (401/403) may be of that
    // list only (RBAC per resource), so the others are still asked.
    if (index === 0 && items.length === 0 && !isRefusal(error)) throw error;
    firstError ??= error;
    // Any later failure costs that list only: what the others gave is still judged.
    read.gaps.push(listGap(`${collection.label}${where}`, error, items.length));
  }
  if (await readClusterTemplates(read, list, add)) answered = true;
  if (await readArchived(read, list, add, base, namespace, options)) answered = true;
  // Nothing at all could be read: the API failed, as an input error (exit 2), not a gap.
  if (!answered) throw firstError;
  return read;
}

function isRefusal(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

/**
 * ClusterWorkflowTemplates are cluster-scoped (`GET /api/v1/cluster-workflow-templates`, no
 * namespace in the path; swagger operation ListClusterWorkflowTemplates, paged like the others) and
 * any workflow in any namespace may run them (`clusterScope: true` in a templateRef), so they are
 * listed whatever `-n` says: a miner parked in one runs from every namespace. Argo before 2.8 has no
 * such API and answers 404: counted as not served, not a gap; a refusal (403: the token may read one
 * namespace only) is a gap.
 */
async function readClusterTemplates(
  read: ApiRead,
  list: (path: string, query?: Record<string, string>) => Promise<PagedRead>,
  add: (item: unknown, kind: string, endpoint: string, ui: string, id?: string, clusterScoped?: boolean) => void,
): Promise<boolean> {
  const endpoint = '/api/v1/cluster-workflow-templates';
  const { items, error } = await list(endpoint);
  if (error instanceof ApiError && (error.status === 404 || error.status === 501) && items.length === 0) {
    read.listed['cluster-workflow-templates (not served)'] = 0;
    return false;
  }
  if (error !== undefined) read.gaps.push(listGap('cluster workflow templates', error, items.length));
  if (error === undefined || items.length > 0) read.listed['cluster-workflow-templates'] = items.length;
  for (const item of items) add(item, 'ClusterWorkflowTemplate', endpoint, 'cluster-workflow-templates', undefined, true);
  return error === undefined || items.length > 0;
}

/** The archive keeps workflows after their objects are deleted: often the only trace left. The list gives summaries; each is fetched whole. */
async function readArchived(
  read: ApiRead,
  list: (path: string, query?: Record<string, string>) => Promise<PagedRead>,
  add: (item: unknown, kind: string, endpoint: string, ui: string, id?: string, clusterScoped?: boolean) => void,
  base: string,
  namespace: string,
  options: GetOptions,
): Promise<boolean> {
  const endpoint = '/api/v1/archived-workflows';
  const { items: summaries, error } = await list(endpoint, namespace ? { namespace } : {});
  // Argo answers 404 or 501 when the archive is not configured: counted, not a gap of the hunt.
  if (error instanceof ApiError && (error.status === 404 || error.status === 501) && summaries.length === 0) {
    read.listed['archived-workflows (archive not configured)'] = 0;
    // Says nothing of whether the credentials read anything: not counted as an answer.
    return false;
  }
  if (error !== undefined) read.gaps.push(listGap(`archived workflows${namespace ? ` in namespace ${namespace}` : ''}`, error, summaries.length));
  if (error === undefined || summaries.length > 0) read.listed['archived-workflows'] = summaries.length;
  for (const summary of summaries) {
    const uid = asString(asRecord(asRecord(summary)?.metadata)?.uid);
    if (!uid) continue;
    try {
      add(await getJson(new URL(`${base}${endpoint}/${encodeURIComponent(uid)}`), options), 'Workflow', `${endpoint}/{uid}`, 'archived-workflows', uid);
    } catch (fetchError) {
      const hint = (fetchError as { hint?: string }).hint;
      read.problems.push({ endpoint: `${endpoint}/${uid}`, message: `${errorMessage(fetchError)}${hint ? ` (${hint})` : ''}: this archived workflow was not judged` });
    }
  }
  return error === undefined || summaries.length > 0;
}
