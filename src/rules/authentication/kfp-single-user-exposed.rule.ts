import { namespaceOf } from '../../core/object.js';
import { defineRule, NO_VIOLATIONS, type RuleContext, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import type { Inventory } from '../../core/inventory.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';
import { kfpComponentOf, kfpNamespaceMode } from '../../platforms/kfp-components.js';
import { reachabilityOf } from '../../exposure/workload-reachability.js';
import { SHOWN_ROUTES, shownWithRest } from '../../exposure/shown.js';
import { ANY_KIND, SPEC_SOURCES } from '../rule-defaults.js';

export default defineRule({
  meta: {
    id: 'kfp-single-user-exposed',
    title: 'Kubeflow Pipelines in single-user mode is reachable from outside',
    severity: 'high',
    category: 'authentication',
    description:
      'The Kubeflow Pipelines API server or UI runs with multi-user mode off (`MULTIUSER` not `"true"` on the API server, as in the standalone install) and a NodePort, LoadBalancer, Ingress or unauthenticated gateway route reaches it.',
    rationale:
      "In single-user mode KFP checks no identity at all: every caller can create, run and delete pipelines, and a pipeline step is an arbitrary container running with the pipeline runner's service account. Standalone KFP is meant to be reached with `kubectl port-forward` or behind your own authenticating proxy; exposing it hands out code execution in the cluster.",
    remediation:
      'Keep `ml-pipeline-ui` and `ml-pipeline` as `ClusterIP` Services and reach them through `kubectl port-forward` or an authenticating proxy, or install the multi-user (full Kubeflow) variant behind the Kubeflow gateway.',
    references: [
      'https://www.kubeflow.org/docs/components/pipelines/operator-guides/installation/',
      'https://www.kubeflow.org/docs/components/pipelines/operator-guides/multi-user/',
      'https://attack.mitre.org/techniques/T1610/',
    ],
    mitre: ['T1133', 'T1610', 'MS-TA9005'],
    match: ANY_KIND,
    sources: SPEC_SOURCES,
    needs: { reads: '*', snapshot: 'optional', request: false, cost: 'moderate' },
  },
  check(object, ctx): Iterable<Violation> {
    const sites = containersOf(object).filter((site) => kfpComponentOf(site) !== undefined);
    const first = sites[0];
    return first ? singleUserExposure(object, ctx, sites, first) : NO_VIOLATIONS;
  },
});


function* singleUserExposure(object: K8sObject, ctx: RuleContext, sites: readonly ContainerRef[], first: ContainerRef): Iterable<Violation> {
  const mode = multiUserMode(object, sites, ctx.inventory);
  if (mode.multiUser) return;
  const reach = reachabilityOf(object, ctx.inventory, ctx.config.lists);
  if (reach.verdict !== 'external') return;
  // Every route was judged; the message and evidence name a few and count the rest (issue 17).
  const via = shownWithRest(reach.via, SHOWN_ROUTES, 'routes');
  yield {
    message: `Kubeflow Pipelines ${kfpComponentOf(first)} "${first.name}" is reachable from outside the cluster via ${via.join(', ')} while multi-user mode is off (${mode.reason}); anyone can run pipelines.`,
    path: first.path,
    evidence: [...via, mode.reason],
  };
}

/**
 * The API server decides multi-user mode from `MULTIUSER`. When the scan lacks the API server,
 * the UI's `KUBEFLOW_USERID_HEADER` (set only by the multi-user manifests) stands in for it.
 */
function multiUserMode(object: K8sObject, sites: readonly ContainerRef[], inventory: Inventory): { multiUser: boolean; reason: string } {
  const namespaceMode = kfpNamespaceMode(inventory, namespaceOf(object));
  const resolved = namespaceMode.multiUserEnv;
  if (resolved.some((env) => env.value.trim().toLowerCase() === 'true')) return { multiUser: true, reason: 'MULTIUSER is true' };
  if (resolved.length > 0) return { multiUser: false, reason: `MULTIUSER is not "true" (${shownWithRest(resolved.map((e) => e.origin), SHOWN_ROUTES, 'settings').join(', ')})` };
  if (namespaceMode.apiServerPresent) return { multiUser: false, reason: 'the API server sets no MULTIUSER, so it runs single-user' };
  const uiHasUserHeader = sites.some((site) => JSON.stringify(site.container.env ?? []).includes('KUBEFLOW_USERID_HEADER'));
  if (uiHasUserHeader) return { multiUser: true, reason: 'the UI reads the Kubeflow user-id header' };
  return { multiUser: false, reason: 'no MULTIUSER setting or user-id header in the scanned files, the standalone default' };
}
