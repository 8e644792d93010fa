import type { FakeRoute } from './server.js';
import { pageOf } from './server.js';

/**
 * An Argo Server's answers (test-only). Shapes follow argo-workflows api/openapi-spec/swagger.json:
 * `io.argoproj.workflow.v1alpha1.WorkflowList` (items without apiVersion/kind, `metadata.continue`),
 * `WorkflowTemplateList`, `CronWorkflowList`, and `ClusterWorkflowTemplateList` at
 * /api/v1/cluster-workflow-templates (operation ListClusterWorkflowTemplates: cluster-scoped, no
 * namespace in the path, the same `listOptions.limit`/`listOptions.continue` paging); the archive
 * lists summaries and serves each workflow by uid at /api/v1/archived-workflows/{uid}.
 */
export interface ArgoFixture {
  readonly workflows?: readonly Record<string, unknown>[];
  readonly templates?: readonly Record<string, unknown>[];
  readonly cronWorkflows?: readonly Record<string, unknown>[];
  /** Cluster-scoped; undefined lists none (an Argo Server since 2.8 always serves the list). */
  readonly clusterTemplates?: readonly Record<string, unknown>[];
  /** Undefined: the archive is not configured (the server answers 404). */
  readonly archived?: readonly Record<string, unknown>[];
}

const namespaceOf = (item: Record<string, unknown>): string => String((item.metadata as { namespace?: string } | undefined)?.namespace ?? '');

function list(prefix: string, items: () => readonly Record<string, unknown>[] | undefined, summary = false): FakeRoute {
  return (url) => {
    if (!url.pathname.startsWith(prefix)) return undefined;
    const rest = url.pathname.slice(prefix.length).replace(/^\//, '');
    const all = items();
    if (!all) return { status: 404, body: { code: 5, message: 'archive not configured' } };
    const namespace = prefix.includes('archived') ? (url.searchParams.get('namespace') ?? '') : rest;
    if (prefix.includes('archived') && rest !== '') {
      const found = all.find((w) => (w.metadata as { uid?: string }).uid === rest);
      return found ? { status: 200, body: found } : { status: 404, body: { code: 5, message: 'not found' } };
    }
    const inNamespace = all.filter((item) => namespace === '' || namespaceOf(item) === namespace).map((item) => (summary ? { metadata: item.metadata, status: { phase: (item.status as { phase?: string } | undefined)?.phase } } : item));
    const page = pageOf(inNamespace, Number(url.searchParams.get('listOptions.limit') ?? '500'), url.searchParams.get('listOptions.continue'));
    return { status: 200, body: { metadata: { resourceVersion: '1', ...(page.next ? { continue: page.next } : {}) }, items: page.items } };
  };
}

export function argoRoutes(fixture: ArgoFixture): FakeRoute[] {
  return [
    list('/api/v1/workflows', () => fixture.workflows ?? []),
    list('/api/v1/workflow-templates', () => fixture.templates ?? []),
    list('/api/v1/cron-workflows', () => fixture.cronWorkflows ?? []),
    list('/api/v1/cluster-workflow-templates', () => fixture.clusterTemplates ?? []),
    list('/api/v1/archived-workflows', () => fixture.archived, true),
  ];
}
