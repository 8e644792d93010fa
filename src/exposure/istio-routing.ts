import { asArray, asRecord, asString, describeObject, labelsOf, namespaceOf, nameOf } from '../core/object.js';
import type { AttackPathHop, ScannedObject } from '../core/types.js';
import type { Inventory } from '../core/inventory.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { containersOf, imageOf } from '../k8s/workloads.js';
import { notebookControllerRoutes, type ControllerRoute } from './controller-routes.js';
import type { ServiceRef } from './types.js';

type Labels = Readonly<Record<string, string>>;

/** A gateway that fronts many Kubeflow apps at once. */
export type GatewayFlavour =
  | { readonly kind: 'istio'; readonly gateways: readonly ScannedObject[]; readonly podLabels: readonly Labels[] }
  | { readonly kind: 'ambassador' };

/** One VirtualService route from a gateway to a destination Service. */
export interface GatewayRoute {
  readonly hops: readonly AttackPathHop[];
  readonly namespace: string | undefined;
  readonly name: string;
  /** A request path this route serves, to judge path-scoped authorization rules against. */
  readonly requestPath: string;
  /** Set when a controller creates the route (and its Service) at runtime. */
  readonly fromController?: ControllerRoute;
}

export interface RoutingIndex {
  readonly istioGateways: readonly ScannedObject[];
  /** VirtualServices keyed by `namespace/name` of the Gateway they bind to. */
  readonly virtualServicesByGateway: ReadonlyMap<string, readonly ScannedObject[]>;
  /** Routes controllers will create, keyed the same way. */
  readonly controllerRoutesByGateway: ReadonlyMap<string, readonly ControllerRoute[]>;
}

export function buildRoutingIndex(inventory: Inventory): RoutingIndex {
  const byGateway = new Map<string, ScannedObject[]>();
  for (const vs of inventory.ofKind('VirtualService', 'networking.istio.io')) {
    const namespace = namespaceOf(vs.object) ?? '';
    for (const ref of asArray(asRecord(vs.object.spec)?.gateways)) {
      if (typeof ref !== 'string' || ref === 'mesh') continue;
      const key = ref.includes('/') ? ref : `${namespace}/${ref}`;
      const list = byGateway.get(key) ?? [];
      list.push(vs);
      byGateway.set(key, list);
    }
  }
  const controllerRoutes = new Map<string, ControllerRoute[]>();
  for (const route of notebookControllerRoutes(inventory)) {
    const list = controllerRoutes.get(route.gatewayKey) ?? [];
    list.push(route);
    controllerRoutes.set(route.gatewayKey, list);
  }
  return { istioGateways: inventory.ofKind('Gateway', 'networking.istio.io'), virtualServicesByGateway: byGateway, controllerRoutesByGateway: controllerRoutes };
}

function selectorMatches(selector: unknown, labelSets: readonly Labels[]): boolean {
  const wanted = asRecord(selector);
  if (!wanted || Object.keys(wanted).length === 0) return false;
  return labelSets.some((labels) => Object.entries(wanted).every(([key, value]) => labels[key] === value));
}

/** Pod labels behind a Service: its workloads' pod labels, or its selector when they are not scanned. */
/**
 * Facts read from a Service's workloads, kept per workloads list: Services sharing a selector share
 * the list (analysis.ts), so N Services over N workloads cost N, not N² (issue 17).
 */
const labelSetsOfWorkloads = new WeakMap<readonly ScannedObject[], Labels[]>();
const workloadFlags = new WeakMap<readonly ScannedObject[], { readonly ingressGateway: boolean; readonly ambassador: boolean }>();

function flagsOf(workloads: readonly ScannedObject[]): { readonly ingressGateway: boolean; readonly ambassador: boolean } {
  let flags = workloadFlags.get(workloads);
  if (!flags) {
    flags = {
      ingressGateway: workloads.some(({ object }) =>
        containersOf(object).some(({ container }) => /proxyv2/.test(imageOf(container) ?? '') && JSON.stringify(container.args ?? []).includes('router')),
      ),
      ambassador: workloads.some(({ object }) => containersOf(object).some(({ container }) => /datawire\/ambassador/.test(imageOf(container) ?? ''))),
    };
    workloadFlags.set(workloads, flags);
  }
  return flags;
}

/** Label sets are shared per workloads list, so the answer is too. */
const ingressGatewayLabelled = new WeakMap<readonly Labels[], boolean>();

/** The pod label Istio's ingress gateway carries (`istio: ingressgateway`), read by value (the watch relies on the list: reader-visible-change.ts). */
export const INGRESS_GATEWAY_LABEL = 'istio';

function hasIngressGatewayLabel(labelSets: readonly Labels[]): boolean {
  let known = ingressGatewayLabelled.get(labelSets);
  if (known === undefined) {
    known = labelSets.some((labels) => labels[INGRESS_GATEWAY_LABEL] === 'ingressgateway');
    ingressGatewayLabelled.set(labelSets, known);
  }
  return known;
}

export function podLabelSets(backend: ServiceRef): Labels[] {
  let fromWorkloads = labelSetsOfWorkloads.get(backend.workloads);
  if (!fromWorkloads) {
    fromWorkloads = backend.workloads.flatMap(({ object }) => podLabelsOf(object));
    labelSetsOfWorkloads.set(backend.workloads, fromWorkloads);
  }
  if (fromWorkloads.length > 0) return fromWorkloads;
  const selector = asRecord(asRecord(backend.service?.spec)?.selector);
  return selector ? [selector as Labels] : [];
}

function looksLikeIstioIngressGateway(backend: ServiceRef, labelSets: readonly Labels[]): boolean {
  if (backend.name === 'istio-ingressgateway') return true;
  if (hasIngressGatewayLabel(labelSets)) return true;
  if (backend.service && labelsOf(backend.service)[INGRESS_GATEWAY_LABEL] === 'ingressgateway') return true;
  return flagsOf(backend.workloads).ingressGateway;
}

/** Whether a Service is an Istio ingress gateway (or Kubeflow 0.x's Ambassador) rather than one app. */
export function gatewayFlavourOf(index: RoutingIndex, backend: ServiceRef): GatewayFlavour | undefined {
  const labelSets = podLabelSets(backend);
  const gateways = index.istioGateways.filter((g) => selectorMatches(asRecord(g.object.spec)?.selector, labelSets));
  if (gateways.length > 0 || looksLikeIstioIngressGateway(backend, labelSets)) return { kind: 'istio', gateways, podLabels: labelSets };
  const isAmbassador = backend.name === 'ambassador' || flagsOf(backend.workloads).ambassador;
  return isAmbassador ? { kind: 'ambassador' } : undefined;
}

/** `centraldashboard.kubeflow.svc.cluster.local` → kubeflow/centraldashboard; short names use the VirtualService's namespace. */
function serviceOfHost(host: string, vsNamespace: string | undefined): { namespace: string | undefined; name: string } {
  const [name = host, namespace] = host.split('.');
  return { name, namespace: namespace ?? vsNamespace };
}

/** A concrete path under the route's first match: `/pipeline` → `/pipeline/`, exact paths as they are. */
function requestPathOf(httpRoute: Record<string, unknown>): string {
  const uri = asRecord(asRecord(asArray(httpRoute.match)[0])?.uri);
  const exact = asString(uri?.exact);
  if (exact !== undefined) return exact;
  const prefix = asString(uri?.prefix);
  if (prefix === undefined) return '/';
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

function prefixOf(httpRoute: Record<string, unknown>): string {
  const match = asRecord(asArray(httpRoute.match)[0]);
  const uri = asRecord(match?.uri);
  const prefix = asString(uri?.prefix) ?? asString(uri?.exact) ?? asString(uri?.regex);
  return prefix === undefined ? 'all paths' : `prefix ${prefix}`;
}

/**
 * Routes already listed, per routing index and set of its Gateways: the index is a derived analysis
 * kept while no routing object changes, so re-judging a gateway Service change (the webhook) lists
 * the same routes, hop labels included, once instead of per request.
 */
const routeLists = new WeakMap<RoutingIndex, Map<string, readonly GatewayRoute[]>>();
const MAX_GATEWAY_SETS = 64;

/** Every destination the gateway's VirtualServices route to, with the Gateway and VirtualService hops. */
export function routesThrough(index: RoutingIndex, gateways: readonly ScannedObject[]): readonly GatewayRoute[] {
  let bySet = routeLists.get(index);
  if (!bySet) {
    bySet = new Map();
    routeLists.set(index, bySet);
  }
  // Gateways handed in are the index's own (filtered from `istioGateways`); foreign ones are not kept.
  const positions = gateways.map((g) => index.istioGateways.indexOf(g));
  const key = positions.includes(-1) ? undefined : positions.join(',');
  const known = key === undefined ? undefined : bySet.get(key);
  if (known) return known;
  const routes = listRoutes(index, gateways);
  if (key !== undefined) {
    if (bySet.size >= MAX_GATEWAY_SETS) bySet.clear();
    bySet.set(key, routes);
  }
  return routes;
}

function listRoutes(index: RoutingIndex, gateways: readonly ScannedObject[]): GatewayRoute[] {
  const routes: GatewayRoute[] = [];
  const seen = new Set<string>();
  for (const gateway of gateways) {
    const key = `${namespaceOf(gateway.object) ?? ''}/${nameOf(gateway.object)}`;
    for (const vs of index.virtualServicesByGateway.get(key) ?? []) {
      for (const raw of asArray(asRecord(vs.object.spec)?.http)) {
        const http = asRecord(raw);
        if (!http) continue;
        for (const destinationRaw of asArray(http.route)) {
          const host = asString(asRecord(asRecord(destinationRaw)?.destination)?.host);
          if (!host) continue;
          const service = serviceOfHost(host, namespaceOf(vs.object));
          const id = `${key}|${describeObject(vs.object)}|${service.namespace ?? ''}/${service.name}`;
          if (seen.has(id)) continue;
          seen.add(id);
          routes.push({
            ...service,
            requestPath: requestPathOf(http as Record<string, unknown>),
            hops: [
              { kind: 'route', label: describeObject(gateway.object) },
              { kind: 'route', label: `${describeObject(vs.object)} (${prefixOf(http as Record<string, unknown>)})` },
            ],
          });
        }
      }
    }
    for (const route of index.controllerRoutesByGateway.get(key) ?? []) {
      routes.push({
        namespace: route.namespace,
        name: route.name,
        requestPath: route.requestPath,
        hops: [
          { kind: 'route', label: describeObject(gateway.object) },
          { kind: 'route', label: route.label },
        ],
        fromController: route,
      });
    }
  }
  return routes;
}

