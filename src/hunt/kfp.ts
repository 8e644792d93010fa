import { asArray, asRecord, asString } from '../core/object.js';
import type { ApiOrigin, K8sObject } from '../core/types.js';
import { ApiError, getJson, type GetOptions } from './http-get.js';
import { listGap, withHint, type ApiObject, type ApiRead } from './job-object.js';
import { referencedId, runAccountObject } from './kfp-run-account.js';
import { withRunParameters, withRuntimeConfig } from './kfp-run-spec.js';
import { readManifest, readPipelineSpec, type SpecReading } from './kfp-spec.js';
import type { KfpRunKind } from '../platforms/kfp-api-runs.js';
import { readPages, type PagedRead } from './paging.js';

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
  const read: ApiRead = { objects: [], problems: [], gaps: [], listed: {} };
  const client = new KfpClient(options, read);
  // The first list tells the API version apart, and whether this is KFP at all: its errors end the
  // hunt of this API (an input error). Every later list that fails is a gap, the rest still read.
  const { items, error } = await client.list('v2beta1', 'pipelines', 'pipelines');
  if (error !== undefined && items.length === 0) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    await client.readV1();
    return { ...read, version: 'v1beta1' };
  }
  if (error !== undefined) client.gap('v2beta1', 'pipelines', 'pipelines', error, items.length);
  await client.readV2();
  return { ...read, version: 'v2beta1' };
}

class KfpClient {
  private pipelines: unknown[] = [];
  /** Experiment id → namespace, for runs that name only their experiment (v2beta1). */
  private readonly experimentNamespaces = new Map<string, string>();
  /** v2beta1 versions as listed, per pipeline: what a run that references one executes. */
  private readonly versionsByPipeline = new Map<string, { id: string | undefined; createdAt: string; spec: unknown }[]>();
  /** v1beta1 templates fetched for runs that carry no manifest, by the endpoint they came from. */
  private readonly templates = new Map<string, string | undefined>();
  private readonly failedTemplates = new Map<string, unknown>();
  /** Version fetches that failed, by endpoint, with why. */
  private readonly failedFetches = new Map<string, string>();

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

  /** Lists one collection, keeping what was read before a failure; the first call (pipelines) is how the API version is told apart. */
  async list(version: string, collection: string, key: string, extra: Record<string, string> = {}): Promise<PagedRead> {
    const path = `/apis/${version}/${collection}`;
    const scope = this.namespaceQuery(version, collection);
    const read = await readPages(async (token) => {
      const body = asRecord(await getJson(this.url(path, { page_size: PAGE_SIZE, page_token: token, ...scope, ...extra }), this.options));
      // grpc-gateway writes proto names; the v2beta1 swagger spells one list `recurringRuns`.
      const list = body?.[key] ?? body?.[snakeOf(key)];
      return { items: asArray(list), next: asString(body?.next_page_token) || undefined };
    });
    const { items } = read;
    this.read.listed[`${version} ${collection.split('/').pop() ?? collection}`] = (this.read.listed[`${version} ${collection.split('/').pop() ?? collection}`] ?? 0) + items.length;
    if (collection === 'pipelines') this.pipelines = items;
    if (collection === 'experiments') {
      for (const experiment of items.map(asRecord)) {
        const id = asString(experiment?.experiment_id) ?? asString(experiment?.id);
        const namespace = asString(experiment?.namespace) ?? (experiment ? referencedId(experiment, 'NAMESPACE') : undefined);
        if (id && namespace) this.experimentNamespaces.set(id, namespace);
      }
    }
    return read;
  }

  /** A list after the first: what it gave, and a coverage gap naming it when it failed (a 401/403 included). */
  private async listed(label: string, version: string, collection: string, key: string, extra: Record<string, string> = {}): Promise<unknown[]> {
    const { items, error } = await this.list(version, collection, key, extra);
    if (error !== undefined) this.gap(version, collection, label, error, items.length);
    return items;
  }

  gap(version: string, collection: string, label: string, error: unknown, itemsRead: number): void {
    const scoped = this.options.namespace && Object.keys(this.namespaceQuery(version, collection)).length > 0 ? ` in namespace ${this.options.namespace}` : '';
    this.read.gaps.push(listGap(`${version} ${label}${scoped}`, error, itemsRead));
  }

  /**
   * How `-n` reaches each list. v2beta1 takes `namespace`. A multi-user KFP 1.x server answers 400
   * to runs, jobs and experiments listed without `resource_reference_key` naming the namespace
   * (run.swagger.json, job.swagger.json, experiment.swagger.json); v1 pipelines are shared.
   */
  private namespaceQuery(version: string, collection: string): Record<string, string> {
    const namespace = this.options.namespace;
    if (!namespace || collection.includes('/')) return {};
    if (version === 'v2beta1') return { namespace };
    if (collection === 'runs' || collection === 'jobs' || collection === 'experiments') {
      return { 'resource_reference_key.type': 'NAMESPACE', 'resource_reference_key.id': namespace };
    }
    return {};
  }

  /** One fetch of one object: a failure (a 401/403 included) is said and costs that object only. */
  private async guarded(endpoint: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.read.problems.push({ endpoint, message: withHint(error) });
    }
  }

  async readV2(): Promise<void> {
    await this.readV2Versions();
    // Experiments first: they give the namespace of runs that name no service-account namespace.
    await this.listed('experiments', 'v2beta1', 'experiments', 'experiments');
    await this.readV2Runs();
    await this.readV2RecurringRuns();
  }

  private async readV2Versions(): Promise<void> {
    for (const pipeline of this.pipelines.map(asRecord)) {
      const id = asString(pipeline?.pipeline_id);
      if (!id) continue;
      for (const version of (await this.listed(`versions of pipeline ${id}`, 'v2beta1', `pipelines/${id}/versions`, 'pipeline_versions')).map(asRecord)) {
        const versionId = asString(version?.pipeline_version_id);
        const known = this.versionsByPipeline.get(id) ?? [];
        known.push({ id: versionId, createdAt: asString(version?.created_at) ?? '', spec: version?.pipeline_spec });
        this.versionsByPipeline.set(id, known);
        this.add(this.judged(readPipelineSpec(version?.pipeline_spec), `/apis/v2beta1/pipelines/${id}/versions`, `pipeline version ${versionId ?? '(no id)'}`), `/apis/v2beta1/pipelines/${id}/versions`, versionId, asString(version?.display_name) ?? asString(pipeline?.display_name), asString(version?.created_at), undefined, ui`#/pipelines/details/${id}/version/${versionId ?? ''}`);
      }
    }
  }

  private async readV2Runs(): Promise<void> {
    for (const run of (await this.listed('runs', 'v2beta1', 'runs', 'runs')).map(asRecord)) {
      const id = asString(run?.run_id);
      const spec = withRuntimeConfig(this.judged(readPipelineSpec(run?.pipeline_spec ?? (await this.referencedSpec(run, `run ${id ?? '(no id)'}`))), '/apis/v2beta1/runs', `run ${id ?? '(no id)'}`), run?.runtime_config);
      this.add(spec, '/apis/v2beta1/runs', id, asString(run?.display_name), asString(run?.created_at), asString(run?.state), ui`#/runs/details/${id ?? ''}`);
      this.add(this.account(run, 'Run', 'v2beta1'), '/apis/v2beta1/runs', id, asString(run?.display_name), asString(run?.created_at), asString(run?.state), ui`#/runs/details/${id ?? ''}`);
    }
  }

  private async readV2RecurringRuns(): Promise<void> {
    for (const run of (await this.listed('recurring runs', 'v2beta1', 'recurringruns', 'recurringRuns')).map(asRecord)) {
      const id = asString(run?.recurring_run_id);
      const spec = withRuntimeConfig(this.judged(readPipelineSpec(run?.pipeline_spec ?? (await this.referencedSpec(run, `recurring run ${id ?? '(no id)'}`))), '/apis/v2beta1/recurringruns', `recurring run ${id ?? '(no id)'}`), run?.runtime_config);
      this.add(spec, '/apis/v2beta1/recurringruns', id, asString(run?.display_name), asString(run?.created_at), asString(run?.status), ui`#/recurringrun/details/${id ?? ''}`);
      this.add(this.account(run, 'RecurringRun', 'v2beta1'), '/apis/v2beta1/recurringruns', id, asString(run?.display_name), asString(run?.created_at), asString(run?.status), ui`#/recurringrun/details/${id ?? ''}`);
    }
  }

  async readV1(): Promise<void> {
    // After v2beta1's 404 this list tells whether this is KFP at all: its errors end the hunt.
    const first = await this.list('v1beta1', 'pipelines', 'pipelines');
    if (first.error !== undefined && first.items.length === 0) throw first.error;
    if (first.error !== undefined) this.gap('v1beta1', 'pipelines', 'pipelines', first.error, first.items.length);
    await this.readV1Versions();
    await this.listed('experiments', 'v1beta1', 'experiments', 'experiments');
    await this.readV1Runs();
    await this.readV1Jobs();
  }

  private async readV1Versions(): Promise<void> {
    for (const pipeline of this.pipelines.map(asRecord)) {
      const id = asString(pipeline?.id);
      if (!id) continue;
      await this.guarded(`/apis/v1beta1/pipelines/${id}/templates`, async () => {
        const body = asRecord(await getJson(this.url(`/apis/v1beta1/pipelines/${id}/templates`), this.options));
        this.add(this.judged(readManifest(asString(body?.template)), `/apis/v1beta1/pipelines/${id}/templates`, `pipeline ${id}`), `/apis/v1beta1/pipelines/${id}/templates`, id, asString(pipeline?.name), asString(pipeline?.created_at), undefined, ui`#/pipelines/details/${id}`);
      });
      // The template above is the default version's; a miner can sit in any other version.
      const versions = await this.listed(`versions of pipeline ${id}`, 'v1beta1', 'pipeline_versions', 'versions', { 'resource_key.type': 'PIPELINE', 'resource_key.id': id });
      for (const version of versions.map(asRecord)) {
        const versionId = asString(version?.id);
        if (!versionId) continue;
        const endpoint = `/apis/v1beta1/pipeline_versions/${versionId}/templates`;
        await this.guarded(endpoint, async () => {
          this.add(this.judged(readManifest(await this.template(endpoint)), endpoint, `pipeline version ${versionId}`), endpoint, versionId, asString(version?.name) ?? asString(pipeline?.name), asString(version?.created_at), undefined, ui`#/pipelines/details/${id}/version/${versionId}`);
        });
      }
    }
  }

  private async readV1Runs(): Promise<void> {
    for (const run of (await this.listed('runs', 'v1beta1', 'runs', 'runs')).map(asRecord)) {
      const id = asString(run?.id);
      const spec = asRecord(run?.pipeline_spec);
      this.add(withRunParameters(this.judged(readManifest(await this.v1Manifest(run, `run ${id ?? '(no id)'}`)), '/apis/v1beta1/runs', `run ${id ?? '(no id)'}`), spec?.parameters), '/apis/v1beta1/runs', id, asString(run?.name), asString(run?.created_at), asString(run?.status), ui`#/runs/details/${id ?? ''}`);
      this.add(this.account(run, 'Run', 'v1beta1'), '/apis/v1beta1/runs', id, asString(run?.name), asString(run?.created_at), asString(run?.status), ui`#/runs/details/${id ?? ''}`);
    }
  }

  private async readV1Jobs(): Promise<void> {
    for (const job of (await this.listed('recurring runs (jobs)', 'v1beta1', 'jobs', 'jobs')).map(asRecord)) {
      const id = asString(job?.id);
      const spec = asRecord(job?.pipeline_spec);
      this.add(withRunParameters(this.judged(readManifest(await this.v1Manifest(job, `recurring run ${id ?? '(no id)'}`)), '/apis/v1beta1/jobs', `recurring run ${id ?? '(no id)'}`), spec?.parameters), '/apis/v1beta1/jobs', id, asString(job?.name), asString(job?.created_at), asString(job?.status), ui`#/recurringrun/details/${id ?? ''}`);
      this.add(this.account(job, 'Job', 'v1beta1'), '/apis/v1beta1/jobs', id, asString(job?.name), asString(job?.created_at), asString(job?.status), ui`#/recurringrun/details/${id ?? ''}`);
    }
  }

  /**
   * The spec a v2beta1 run executes when the list gives only `pipeline_version_reference` (the KFP
   * server returns runs made from a stored version that way). Without `pipeline_version_id` the
   * latest version is used (run.swagger.json, `v2beta1PipelineVersionReference`). A version the API
   * no longer has leaves the run unjudged, and that is said, never skipped quietly.
   */
  private async referencedSpec(run: Record<string, unknown> | undefined, what: string): Promise<unknown> {
    const reference = asRecord(run?.pipeline_version_reference);
    const pipelineId = asString(reference?.pipeline_id);
    if (!pipelineId) return undefined;
    const versionId = asString(reference?.pipeline_version_id);
    const listed = this.versionsByPipeline.get(pipelineId) ?? [];
    const found = versionId ? listed.find((v) => v.id === versionId) : [...listed].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (found?.spec !== undefined && found.spec !== null) return found.spec;
    const endpoint = `/apis/v2beta1/pipelines/${pipelineId}/versions${versionId ? `/${versionId}` : ''}`;
    let why = 'which the API does not return';
    if (versionId && !found) {
      // A fetch that failed once fails for every run naming the version: asked once, not per run.
      const failure = this.failedFetches.get(endpoint);
      if (failure !== undefined) why = failure;
      else {
        try {
          const version = asRecord(await getJson(this.url(endpoint), this.options));
          listed.push({ id: versionId, createdAt: asString(version?.created_at) ?? '', spec: version?.pipeline_spec });
          this.versionsByPipeline.set(pipelineId, listed);
          if (version?.pipeline_spec !== undefined && version.pipeline_spec !== null) return version.pipeline_spec;
          why = 'whose answer carries no pipeline spec';
        } catch (error) {
          // A refusal (401/403) costs this run's spec only; the reason, with the flag to use, is said.
          if (!(error instanceof ApiError && error.status === 404)) why = `which could not be read (${withHint(error, '; ')})`;
        }
        this.failedFetches.set(endpoint, why);
      }
    } else if (found) why = 'which the API lists without its pipeline spec';
    this.read.problems.push({ endpoint, message: `${what} runs pipeline version ${versionId ?? '(latest)'} of pipeline ${pipelineId}, ${why}: what the run executed was not judged` });
    return undefined;
  }

  /**
   * A v1beta1 run's workflow: inline, or by reference to a stored pipeline (version) when the run
   * carries no manifest; then the template is fetched, once per version.
   */
  private async v1Manifest(run: Record<string, unknown> | undefined, what: string): Promise<string | undefined> {
    const spec = asRecord(run?.pipeline_spec);
    const inline = asString(spec?.workflow_manifest) || asString(spec?.pipeline_manifest);
    if (inline) return inline;
    const versionId = run ? referencedVersionId(run) : undefined;
    const pipelineId = asString(spec?.pipeline_id);
    const endpoint = versionId ? `/apis/v1beta1/pipeline_versions/${versionId}/templates` : pipelineId ? `/apis/v1beta1/pipelines/${pipelineId}/templates` : undefined;
    if (!endpoint) return undefined;
    try {
      return await this.template(endpoint);
    } catch (error) {
      this.read.problems.push({ endpoint, message: `${what}: its pipeline could not be read (${withHint(error, '; ')}): what the run executed was not judged` });
      return undefined;
    }
  }

  private async template(endpoint: string): Promise<string | undefined> {
    const failure = this.failedTemplates.get(endpoint);
    if (failure !== undefined) throw failure;
    if (!this.templates.has(endpoint)) {
      try {
        const body = asRecord(await getJson(this.url(endpoint), this.options));
        this.templates.set(endpoint, asString(body?.template));
      } catch (error) {
        // Every run naming this template would wait out the same timeout: fail them all at once.
        this.failedTemplates.set(endpoint, error);
        throw error;
      }
    }
    return this.templates.get(endpoint);
  }

  /** The object a spec gives, or undefined after saying why a spec that is there was not judged. */
  private judged(reading: SpecReading, endpoint: string, what: string): K8sObject | undefined {
    if (reading === undefined) return undefined;
    if ('object' in reading) return reading.object;
    this.read.problems.push({ endpoint, message: `${what}: ${reading.unread}: not judged` });
    return undefined;
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

/** v1beta1 runs name their pipeline version through a `PIPELINE_VERSION` resource reference. */
function referencedVersionId(run: Record<string, unknown>): string | undefined {
  for (const reference of asArray(run.resource_references)) {
    const key = asRecord(asRecord(reference)?.key);
    if (key?.type === 'PIPELINE_VERSION') return asString(key.id);
  }
  return undefined;
}

function snakeOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A UI fragment whose ids are encoded: an id with `/`, `?` or `#` must not point the link elsewhere. */
function ui(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((out, part, i) => out + part + (i < ids.length ? encodeURIComponent(ids[i] ?? '') : ''), '');
}
