import { asArray, asRecord, describeObject } from '../core/object.js';
import { exposuresReaching, resolveService } from './analysis.js';
import { gatewayAuth } from './auth-chain.js';
import { podLabelSets } from './istio-routing.js';
import type { Exposure, ReachLevel } from './types.js';
import type { K8sObject } from '../core/types.js';
import type { UserLists } from '../core/config-types.js';
import type { Inventory } from '../core/inventory.js';
import { containersOf, podSpecsOf } from '../k8s/workloads.js';

/**
 * How a workload can be reached, as authentication rules need it:
 * - `external`: from outside the cluster without passing an authenticating gateway;
 * - `gateway-authenticated`: only through an Istio gateway that enforces login (Kubeflow's);
 * - `internal`: Services exist, none of them reachable from outside;
 * - `unknown`: nothing in the scanned set says how it is reached.
 *
 * The routes themselves come from the exposure analysis (`src/exposure/`); this module only folds
 * them into the one verdict authentication rules need, and adds what routes cannot show: host
 * networking and ports, and Notebook resources whose route the notebook controller creates later.
 */
export type ReachabilityVerdict = 'external' | 'gateway-authenticated' | 'internal' | 'unknown';

export interface Reachability {
  readonly verdict: ReachabilityVerdict;
  /** Human-readable hops that justify the verdict, for evidence. */
  readonly via: readonly string[];
  /** For `external`: true when the widest route is open to anyone (LoadBalancer, public Ingress), not just to node addresses. */
  readonly fromAnywhere?: boolean;
}

/** Reach levels that mean "from outside the cluster" in the exposure analysis. */
const OUTSIDE_LEVELS: ReadonlySet<ReachLevel> = new Set(['anywhere', 'broad', 'nodes']);

export function reachesOutside(level: ReachLevel): boolean {
  return OUTSIDE_LEVELS.has(level);
}

export function reachabilityOf(object: K8sObject, inventory: Inventory, lists: UserLists): Reachability {
  const direct = directHostExposure(object);
  if (direct.length > 0) return { verdict: 'external', via: direct };
  const routed = routedReachability(exposuresReaching(inventory, object, lists));
  if (routed) return routed;
  if (isKubeflowNotebook(object) && kubeflowGatewayAuthenticates(inventory)) {
    return { verdict: 'gateway-authenticated', via: ['Kubeflow notebook controller route on the authenticating Istio gateway'] };
  }
  const services = inventory.servicesSelecting(object).map((s) => s.object);
  if (services.length > 0) return { verdict: 'internal', via: services.map((s) => `${describeObject(s)} (in-cluster only)`) };
  return { verdict: 'unknown', via: [] };
}

/** Folds kept per exposure list: workloads behind the same Services share the list, so N of them fold it once. */
const folded = new WeakMap<readonly Exposure[], Reachability | null>();

function routedReachability(exposures: readonly Exposure[]): Reachability | undefined {
  const known = folded.get(exposures);
  if (known !== undefined) return known ?? undefined;
  const result = foldRoutes(exposures);
  folded.set(exposures, result ?? null);
  return result;
}

function foldRoutes(exposures: readonly Exposure[]): Reachability | undefined {
  const open = exposures.filter((e) => reachesOutside(e.reach.level) && e.auth.state !== 'present');
  if (open.length > 0) {
    const fromAnywhere = open.some((e) => e.reach.level === 'anywhere');
    return { verdict: 'external', via: unique(open.map(describeRoute)), fromAnywhere };
  }
  const gated = exposures.filter((e) => e.auth.state === 'present');
  if (gated.length > 0) return { verdict: 'gateway-authenticated', via: unique(gated.map((e) => e.route)) };
  return undefined;
}

/** The route with how it reaches outside, unless the route already says so. */
export function describeRoute(exposure: Exposure): string {
  return exposure.route.includes(exposure.reach.how) ? exposure.route : `${exposure.route} (${exposure.reach.how})`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function directHostExposure(object: K8sObject): string[] {
  const hops: string[] = [];
  for (const pod of podSpecsOf(object)) if (pod.spec.hostNetwork === true) hops.push(`hostNetwork at ${pod.path}`);
  for (const ref of containersOf(object)) {
    for (const port of asArray(ref.container.ports)) {
      const hostPort = asRecord(port)?.hostPort;
      if (typeof hostPort === 'number') hops.push(`hostPort ${hostPort} on container ${ref.name}`);
    }
  }
  return hops;
}

/** Labels of the stock Kubeflow ingress gateway pods, used when its Deployment is not in the scan. */
const STOCK_GATEWAY_LABELS = { app: 'istio-ingressgateway', istio: 'ingressgateway' };

/** Whether the Kubeflow ingress gateway authenticates, as the exposure analysis judges it. */
function kubeflowGatewayAuthenticates(inventory: Inventory): boolean {
  const gateway = resolveService(inventory, 'istio-system', 'istio-ingressgateway');
  const labels = podLabelSets(gateway);
  return gatewayAuth(inventory, gateway, labels.length > 0 ? labels : [STOCK_GATEWAY_LABELS]).state === 'present';
}

function isKubeflowNotebook(object: K8sObject): boolean {
  return object.kind === 'Notebook' && object.apiVersion.startsWith('kubeflow.org/');
}
