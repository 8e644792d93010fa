import yaml from 'js-yaml';
import { errorMessage } from '../core/errors.js';
import { asArray, asRecord, asString, isK8sObject } from '../core/object.js';
import type { ApiOrigin, K8sObject } from '../core/types.js';
import { asGoDecodedWorkflow } from '../sources/kfp-v1.js';
import { recognizeKfpPipelineSpec } from '../sources/recognizers.js';
import { ApiError, getJson, type GetOptions } from './http-get.js';
import type { ApiObject, ApiRead } from './job-object.js';
import { referencedId, runAccountObject } from './kfp-run-account.js';
import type { KfpRunKind } from '../platforms/kfp-api-runs.js';
import { allPages } from './paging.js';

const PAGE_SIZE = '100';

export interface KfpHuntOptions extends GetOptions {
  readonly base: URL;
  readonly namespace?: string;
}

/**
 * Reads the Kubeflow Pipelines REST API (v2beta1, else v1beta1) the way its UI does, GET only:
 * pipelines and their versions, runs, recurring runs and experiments, following `next_page_token`.
 * Each pipeline spec or workflow manifest becomes an object for the rules.
 * https://github.com/kubeflow/pipelines/tree/master/backend/api (swagger: v2beta1, v1beta1)
 */
export async function readKfp(options: KfpHuntOptions): Promise<ApiRead & { readonly version: 'v2beta1' | 'v1beta1' }> {
  const read: ApiRead = { objects: [], problems: [], listed: {} };
  const client = new KfpClient(options, read);
  try {
    await client.list('v2beta1', 'pipelines', 'pipelines');
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await client.readV1();
    return { ...read, version: 'v1beta1' };
  }
  await client.readV2();
  return { ...read, version: 'v2beta1' };
}

class KfpClient {
  private pipelines: unknown[] = [];
  /** Experiment id → namespace, for runs that name only their experiment (v2beta1). */
  private readonly experimentNamespaces = new Map<string, string>();

  constructor(
    private readonly options: KfpHuntOptions,
    private readonly read: ApiRead,
  ) {}

  private url(path: string, query: Record<string, string | undefined> = {}): URL {
    const base = this.options.base.href.replace(/\/+$/, '');
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
    return url;
  }

  /** Lists one collection; the first call (pipelines) is how the API version is told apart. */
  async list(version: string, collection: string, key: string, extra: Record<string, string> = {}): Promise<unknown[]> {
    const items: unknown[] = [];
    const path = `/apis/${version}/${collection}`;
    const namespace = version === 'v2beta1' && !collection.includes('/') ? this.options.namespace : undefined;
    for await (const item of allPages(async (token) => {
      const body = asRecord(await getJson(this.url(path, { page_size: PAGE_SIZE, page_token: token, namespace, ...extra }), this.options));
      // grpc-gateway writes proto names; the v2beta1 swagger spells one list `recurringRuns`.
      const list = body?.[key] ?? body?.[snakeOf(key)];
      return { items: asArray(list), next: asString(body?.next_page_token) || undefined };
    })) {
      items.push(item);
    }
    this.read.listed[`${version} ${collection.split('/').pop() ?? collection}`] = (this.read.listed[`${version} ${collection.split('/').pop() ?? collection}`] ?? 0) + items.length;
    if (collection === 'pipelines') this.pipelines = items;
    if (collection === 'experiments') {
      for (const experiment of items.map(asRecord)) {
        const id = asString(experiment?.experiment_id) ?? asString(experiment?.id);
        const namespace = asString(experiment?.namespace) ?? (experiment ? referencedId(experiment, 'NAMESPACE') : undefined);
        if (id && namespace) this.experimentNamespaces.set(id, namespace);
      }
    }
    return items;
  }

  private async guarded(endpoint: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // 401/403 stop the hunt with the flag to use; other failures leave the rest readable.
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
      this.read.problems.push({ endpoint, message: errorMessage(error) });
    }
  }

  async readV2(): Promise<void> {
    for (const pipeline of this.pipelines.map(asRecord)) {
      const id = asString(pipeline?.pipeline_id);
      if (!id) continue;
      await this.guarded(`/apis/v2beta1/pipelines/${id}/versions`, async () => {
        for (const version of (await this.list('v2beta1', `pipelines/${id}/versions`, 'pipeline_versions')).map(asRecord)) {
          const versionId = asString(version?.pipeline_version_id);
          this.add(specObject(version?.pipeline_spec), `/apis/v2beta1/pipelines/${id}/versions`, versionId, asString(version?.display_name) ?? asString(pipeline?.display_name), asString(version?.created_at), undefined, `#/pipelines/details/${id}/version/${versionId ?? ''}`);
        }
      });
    }
    // Experiments first: they give the namespace of runs that name no service-account namespace.
    await this.guarded('/apis/v2beta1/experiments', async () => void (await this.list('v2beta1', 'experiments', 'experiments')));
    await this.guarded('/apis/v2beta1/runs', async () => {
      for (const run of (await this.list('v2beta1', 'runs', 'runs')).map(asRecord)) {
        const id = asString(run?.run_id);
        this.add(specObject(run?.pipeline_spec), '/apis/v2beta1/runs', id, asString(run?.display_name), asString(run?.created_at), asString(run?.state), `#/runs/details/${id ?? ''}`);
        this.add(this.account(run, 'Run', 'v2beta1'), '/apis/v2beta1/runs', id, asString(run?.display_name), asString(run?.created_at), asString(run?.state), `#/runs/details/${id ?? ''}`);
      }
    });
    await this.guarded('/apis/v2beta1/recurringruns', async () => {
      for (const run of (await this.list('v2beta1', 'recurringruns', 'recurringRuns')).map(asRecord)) {
        const id = asString(run?.recurring_run_id);
        this.add(specObject(run?.pipeline_spec), '/apis/v2beta1/recurringruns', id, asString(run?.display_name), asString(run?.created_at), asString(run?.status), `#/recurringrun/details/${id ?? ''}`);
        this.add(this.account(run, 'RecurringRun', 'v2beta1'), '/apis/v2beta1/recurringruns', id, asString(run?.display_name), asString(run?.created_at), asString(run?.status), `#/recurringrun/details/${id ?? ''}`);
      }
    });
  }

  async readV1(): Promise<void> {
    await this.list('v1beta1', 'pipelines', 'pipelines');
    for (const pipeline of this.pipelines.map(asRecord)) {
      const id = asString(pipeline?.id);
      if (!id) continue;
      await this.guarded(`/apis/v1beta1/pipelines/${id}/templates`, async () => {
        const body = asRecord(await getJson(this.url(`/apis/v1beta1/pipelines/${id}/templates`), this.options));
        this.add(manifestObject(asString(body?.template)), `/apis/v1beta1/pipelines/${id}/templates`, id, asString(pipeline?.name), asString(pipeline?.created_at), undefined, `#/pipelines/details/${id}`);
      });
    }
    await this.guarded('/apis/v1beta1/experiments', async () => void (await this.list('v1beta1', 'experiments', 'experiments')));
    await this.guarded('/apis/v1beta1/runs', async () => {
      for (const run of (await this.list('v1beta1', 'runs', 'runs')).map(asRecord)) {
        const id = asString(run?.id);
        const spec = asRecord(run?.pipeline_spec);
        this.add(manifestObject(asString(spec?.workflow_manifest) ?? asString(spec?.pipeline_manifest)), '/apis/v1beta1/runs', id, asString(run?.name), asString(run?.created_at), asString(run?.status), `#/runs/details/${id ?? ''}`);
        this.add(this.account(run, 'Run', 'v1beta1'), '/apis/v1beta1/runs', id, asString(run?.name), asString(run?.created_at), asString(run?.status), `#/runs/details/${id ?? ''}`);
      }
    });
    await this.guarded('/apis/v1beta1/jobs', async () => {
      for (const job of (await this.list('v1beta1', 'jobs', 'jobs')).map(asRecord)) {
        const id = asString(job?.id);
        const spec = asRecord(job?.pipeline_spec);
        this.add(manifestObject(asString(spec?.workflow_manifest) ?? asString(spec?.pipeline_manifest)), '/apis/v1beta1/jobs', id, asString(job?.name), asString(job?.created_at), asString(job?.status), `#/recurringrun/details/${id ?? ''}`);
        this.add(this.account(job, 'Job', 'v1beta1'), '/apis/v1beta1/jobs', id, asString(job?.name), asString(job?.created_at), asString(job?.status), `#/recurringrun/details/${id ?? ''}`);
      }
    });
  }

  private account(run: Record<string, unknown> | undefined, kind: KfpRunKind, version: 'v2beta1' | 'v1beta1'): K8sObject | undefined {
    return runAccountObject(run, kind, version, (id) => (id ? this.experimentNamespaces.get(id) : undefined) ?? this.options.namespace);
  }

  private add(object: K8sObject | undefined, endpoint: string, id: string | undefined, displayName: string | undefined, createdAt: string | undefined, status: string | undefined, fragment: string): void {
    if (!object) return;
    const origin: ApiOrigin = {
      kind: 'api',
      api: 'kfp',
      endpoint,
      ...(id ? { id } : {}),
      ...(this.uiBase() ? { uiLink: `${this.uiBase()}/${fragment}` } : {}),
      ...(displayName ? { displayName } : {}),
      ...(createdAt ? { createdAt } : {}),
      ...(status ? { status } : {}),
    };
    const named = object.metadata?.name ? object : { ...object, metadata: { ...object.metadata, name: displayName ?? id ?? 'unnamed' } };
    (this.read.objects as ApiObject[]).push({ object: named, origin });
  }

  /** The UI lives beside the API only behind the dashboard's `/pipeline` prefix. */
  private uiBase(): string | undefined {
    const base = this.options.base.href.replace(/\/+$/, '');
    return /\/pipeline$/.test(base) ? base : undefined;
  }
}

/** A v2 `pipeline_spec` struct: the IR itself, or `{pipeline_spec, platform_spec}` when a platform config is attached. */
function specObject(spec: unknown): K8sObject | undefined {
  const record = asRecord(spec);
  if (!record) return undefined;
  const ir = asRecord(record.pipeline_spec) ?? record;
  return recognizeKfpPipelineSpec(ir, {});
}

/** A v1 workflow manifest (JSON or YAML text of an Argo Workflow, read as Go reads it) or an IR package. */
function manifestObject(text: string | undefined): K8sObject | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = yaml.load(text, { json: true });
  } catch {
    return undefined;
  }
  const decoded = asGoDecodedWorkflow(value);
  if (isK8sObject(decoded)) return decoded;
  return recognizeKfpPipelineSpec(value, {});
}

function snakeOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
