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
      return template === undefined ? { status: 404, body: { error: 'not found', code: 5 } } : { status: 200, body: { template } };
    },
    listRoute(/^\/apis\/v1beta1\/runs$/, 'runs', () => fixture.runs ?? []),
    listRoute(/^\/apis\/v1beta1\/jobs$/, 'jobs', () => fixture.jobs ?? []),
    listRoute(/^\/apis\/v1beta1\/experiments$/, 'experiments', () => fixture.experiments ?? []),
  ];
}
