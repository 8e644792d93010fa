import type { FakeRoute } from './server.js';
import { pageOf } from './server.js';

/**
 * A Kubeflow Pipelines API server's answers (test-only). Shapes follow the swagger in
 * kubeflow/pipelines backend/api/{v2beta1,v1beta1}/swagger/kfp_api_single_file.swagger.json
 * (copied in ../shared/schemas/kfp-api/): `v2beta1ListPipelinesResponse`, `v2beta1ListPipelineVersionsResponse`,
 * `v2beta1ListRunsResponse`, `v2beta1ListRecurringRunsResponse`, `v2beta1ListExperimentsResponse`;
 * `apiListPipelinesResponse`, `apiGetTemplateResponse`, `apiListRunsResponse`, `apiListJobsResponse`.
 * Timestamps are RFC 3339 strings and ids UUIDs, as grpc-gateway writes them.
 */
export interface KfpFixture {
  readonly pipelines?: readonly Record<string, unknown>[];
  readonly versions?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly runs?: readonly Record<string, unknown>[];
  readonly recurringRuns?: readonly Record<string, unknown>[];
  readonly experiments?: readonly Record<string, unknown>[];
  /** v1beta1: templates by pipeline id (`apiGetTemplateResponse.template`). */
  readonly templates?: Readonly<Record<string, string>>;
  readonly jobs?: readonly Record<string, unknown>[];
  /** v1beta1: `apiPipelineVersion`s by pipeline id, and their templates by version id. */
  readonly v1Versions?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly versionTemplates?: Readonly<Record<string, string>>;
  /**
   * v1beta1 multi-user mode: runs, jobs and experiments listed without a NAMESPACE
   * `resource_reference_key` get KFP's 400 (`{error, code: 3, message}`, error.swagger.json).
   */
  readonly multiUser?: boolean;
}

const NOT_FOUND = { status: 404, body: { error: 'not found', code: 5 } };

/**
 * How KFP 1.x's multi-user API server refuses an unscoped list: a 400 in the grpc-gateway error
 * shape of error.swagger.json. The wording is this fake's; KFP's starts "Invalid input error".
 */
function requiresNamespace(route: FakeRoute, fixture: KfpFixture): FakeRoute {
  return (url) => {
    const answer = route(url);
    if (!answer || !fixture.multiUser) return answer;
    if (url.searchParams.get('resource_reference_key.type') === 'NAMESPACE' && url.searchParams.get('resource_reference_key.id')) return answer;
    const message = 'Invalid input error: in multi-user mode, list requests must name a namespace';
    return { status: 400, body: { error: message, code: 3, message, details: [] } };
  };
}

function listRoute(path: RegExp, key: string, items: (match: RegExpExecArray) => readonly unknown[] | undefined): FakeRoute {
  return (url) => {
    const match = path.exec(url.pathname);
    if (!match) return undefined;
    const all = items(match);
    if (!all) return { status: 404, body: { error: 'not found', code: 5 } };
    const size = Number(url.searchParams.get('page_size') ?? '20');
    const page = pageOf(all, size, url.searchParams.get('page_token'));
    return { status: 200, body: { [key]: page.items, total_size: all.length, next_page_token: page.next } };
  };
}

export function kfpV2Routes(fixture: KfpFixture): FakeRoute[] {
  return [
    listRoute(/^\/apis\/v2beta1\/pipelines$/, 'pipelines', () => fixture.pipelines ?? []),
    listRoute(/^\/apis\/v2beta1\/pipelines\/([^/]+)\/versions$/, 'pipeline_versions', (m) => fixture.versions?.[m[1] ?? '']),
    (url) => {
      const match = /^\/apis\/v2beta1\/pipelines\/([^/]+)\/versions\/([^/]+)$/.exec(url.pathname);
      if (!match) return undefined;
      const version = fixture.versions?.[match[1] ?? '']?.find((v) => v.pipeline_version_id === match[2]);
      return version ? { status: 200, body: version } : NOT_FOUND;
    },
    listRoute(/^\/apis\/v2beta1\/runs$/, 'runs', () => fixture.runs ?? []),
    listRoute(/^\/apis\/v2beta1\/recurringruns$/, 'recurringRuns', () => fixture.recurringRuns ?? []),
    listRoute(/^\/apis\/v2beta1\/experiments$/, 'experiments', () => fixture.experiments ?? []),
  ];
}

/** A KFP 1.x server: no v2beta1 routes, so `/apis/v2beta1/...` answers 404. */
export function kfpV1Routes(fixture: KfpFixture): FakeRoute[] {
  return [
    listRoute(/^\/apis\/v1beta1\/pipelines$/, 'pipelines', () => fixture.pipelines ?? []),
    (url) => {
      const match = /^\/apis\/v1beta1\/pipelines\/([^/]+)\/templates$/.exec(url.pathname);
      if (!match) return undefined;
      const template = fixture.templates?.[match[1] ?? ''];
      return template === undefined ? NOT_FOUND : { status: 200, body: { template } };
    },
    (url) => {
      if (url.pathname !== '/apis/v1beta1/pipeline_versions') return undefined;
      if (url.searchParams.get('resource_key.type') !== 'PIPELINE') return { status: 400, body: { error: 'Invalid input error: resource_key.type must be PIPELINE', code: 3 } };
      return listRoute(/^/, 'versions', () => fixture.v1Versions?.[url.searchParams.get('resource_key.id') ?? ''] ?? [])(url);
    },
    (url) => {
      const match = /^\/apis\/v1beta1\/pipeline_versions\/([^/]+)\/templates$/.exec(url.pathname);
      if (!match) return undefined;
      const template = fixture.versionTemplates?.[match[1] ?? ''];
      return template === undefined ? NOT_FOUND : { status: 200, body: { template } };
    },
    requiresNamespace(listRoute(/^\/apis\/v1beta1\/runs$/, 'runs', () => fixture.runs ?? []), fixture),
    requiresNamespace(listRoute(/^\/apis\/v1beta1\/jobs$/, 'jobs', () => fixture.jobs ?? []), fixture),
    requiresNamespace(listRoute(/^\/apis\/v1beta1\/experiments$/, 'experiments', () => fixture.experiments ?? []), fixture),
  ];
}
