import { asArray, asRecord, asString, describeObject, namespaceOf, nameOf } from '../core/object.js';
import type { UserLists } from '../core/config-types.js';
import type { AttackPathHop, K8sObject, ScannedObject } from '../core/types.js';
import type { Inventory } from '../core/inventory.js';
import type { KindMatch } from '../core/rule.js';
import { servicePatchesOf } from './kustomize-patches.js';
import { routePrefixOf } from './route-prefix.js';
import { gatewayApiReach, ingressReach, serviceReach } from './reach.js';
import type { Reach } from './types.js';

/** A door from outside the cluster and the Service it opens onto. */
export interface EntryRoute {
  /** The object that faces outside; findings go on it. */
  readonly entry: ScannedObject;
  readonly path: string;
  readonly reach: Reach;
  readonly hops: readonly AttackPathHop[];
  readonly backendNamespace: string | undefined;
  readonly backendName: string;
  /** Set when the entry is the backend Service itself (or a patch of it). */
  readonly backendService?: K8sObject;
  /** The path prefix the entry routes to the backend (Ingress path, HTTPRoute match), a recognition mark. */
  readonly requestPath?: string;
  /** The Ingress whose controller may authenticate, for Ingress entries. */
  readonly ingress?: K8sObject;
}

function entryHop(object: K8sObject, how: string): AttackPathHop {
  return { kind: 'entry', label: `${describeObject(object)} (${how})` };
}

function serviceEntries(inventory: Inventory, lists: UserLists): EntryRoute[] {
  const routes: EntryRoute[] = [];
  for (const scanned of inventory.ofKind('Service', '')) {
    const facing = serviceReach(scanned.object, lists);
    if (!facing) continue;
    routes.push({
      entry: scanned,
      path: facing.path,
      reach: facing.reach,
      hops: [entryHop(scanned.object, facing.reach.how)],
      backendNamespace: namespaceOf(scanned.object),
      backendName: nameOf(scanned.object),
      backendService: scanned.object,
    });
  }
  return routes;
}

function kustomizationEntries(inventory: Inventory, lists: UserLists): EntryRoute[] {
  const routes: EntryRoute[] = [];
  for (const scanned of inventory.ofKind('Kustomization', 'kustomize.config.k8s.io')) {
    for (const { service, path } of servicePatchesOf(scanned.object)) {
      const facing = serviceReach(service, lists);
      if (!facing) continue;
      const namespace = namespaceOf(service);
      const real = inventory.get('Service', namespace, nameOf(service), '');
      routes.push({
        entry: scanned,
        path,
        reach: facing.reach,
        hops: [{ kind: 'entry', label: `${describeObject(scanned.object)} patches ${describeObject(service)} to ${facing.reach.how}` }],
        backendNamespace: namespace,
        backendName: nameOf(service),
        backendService: real?.object ?? service,
      });
    }
  }
  return routes;
}

/** `networking.k8s.io/v1` backends are `service.name`; `extensions/v1beta1` ones are `serviceName`. */
function ingressBackendName(backend: unknown): string | undefined {
  const record = asRecord(backend);
  return asString(asRecord(record?.service)?.name) ?? asString(record?.serviceName);
}

function ingressEntries(inventory: Inventory): EntryRoute[] {
  const routes: EntryRoute[] = [];
  for (const scanned of inventory.ofKind('Ingress')) {
    const ingress = scanned.object;
    const spec = asRecord(ingress.spec) ?? {};
    const reach = ingressReach(ingress);
    const add = (backend: unknown, path: string, where: string, requestPath?: string): void => {
      const name = ingressBackendName(backend);
      if (!name) return;
      const prefix = routePrefixOf(requestPath);
      routes.push({
        ...(prefix ? { requestPath: prefix } : {}),
        entry: scanned,
        path,
        reach,
        hops: [entryHop(ingress, `${reach.how}, ${where}`)],
        backendNamespace: namespaceOf(ingress),
        backendName: name,
        ingress,
      });
    };
    if (spec.defaultBackend) add(spec.defaultBackend, 'spec.defaultBackend', 'default backend');
    if (spec.backend) add(spec.backend, 'spec.backend', 'default backend');
    asArray(spec.rules).forEach((rawRule, i) => {
      const rule = asRecord(rawRule);
      const host = asString(rule?.host) ?? 'any host';
      asArray(asRecord(rule?.http)?.paths).forEach((rawPath, j) => {
        const httpPath = asRecord(rawPath);
        add(httpPath?.backend, `spec.rules[${i}].http.paths[${j}].backend`, `${host} ${asString(httpPath?.path) ?? '/'}`, asString(httpPath?.path) ?? '/');
      });
    });
  }
  return routes;
}

/**
 * Route kinds that attach to a Gateway and forward to Services. GRPCRoute matters here: the
 * Pipelines API serves gRPC on 8887 as well as HTTP on 8888. TLS passthrough and TCP routes reach
 * a Service without any HTTP-level authentication at all.
 */
const GATEWAY_API_ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'] as const;

function gatewayApiEntries(inventory: Inventory): EntryRoute[] {
  const routes: EntryRoute[] = [];
  const attached = GATEWAY_API_ROUTE_KINDS.flatMap((kind) => inventory.ofKind(kind, 'gateway.networking.k8s.io'));
  for (const route of attached) {
    const routeNamespace = namespaceOf(route.object);
    const spec = asRecord(route.object.spec) ?? {};
    for (const [parentIndex, rawParent] of asArray(spec.parentRefs).entries()) {
      const parent = asRecord(rawParent);
      const parentName = asString(parent?.name);
      if (!parentName || (parent?.kind !== undefined && parent.kind !== 'Gateway')) continue;
      const parentNamespace = asString(parent?.namespace) ?? routeNamespace;
      const gateway = inventory.get('Gateway', parentNamespace, parentName, 'gateway.networking.k8s.io');
      if (!gateway) {
        routes.push(...unseenGatewayRoutes(route, spec, `${parentNamespace ?? ''}/${parentName}`, parentIndex, routeNamespace));
        continue;
      }
      const reach = gatewayApiReach(gateway.object);
      const listenerIndex = asArray(asRecord(gateway.object.spec)?.listeners).findIndex(
        (listener) => parent?.sectionName !== undefined && asRecord(listener)?.name === parent.sectionName,
      );
      const path = listenerIndex === -1 ? 'spec.listeners' : `spec.listeners[${listenerIndex}]`;
      asArray(spec.rules).forEach((rawRule) => {
        const prefix = rulePrefix(rawRule);
        for (const rawBackend of asArray(asRecord(rawRule)?.backendRefs)) {
          const backend = asRecord(rawBackend);
          const name = asString(backend?.name);
          if (!name || (backend?.kind !== undefined && backend.kind !== 'Service')) continue;
          routes.push({
            ...(prefix ? { requestPath: prefix } : {}),
            entry: gateway,
            path,
            reach,
            hops: [entryHop(gateway.object, reach.how), { kind: 'route', label: describeObject(route.object) }],
            backendNamespace: asString(backend?.namespace) ?? routeNamespace,
            backendName: name,
          });
        }
      });
    }
  }
  return routes;
}

/**
 * The path prefix of a Gateway API rule: its first path match (a rule with several matches is
 * usually one prefix in exact and prefix form); no match at all means every path, `/`.
 */
function rulePrefix(rule: unknown): string | undefined {
  const matches = asArray(asRecord(rule)?.matches);
  if (matches.length === 0) return '/';
  for (const match of matches) {
    const prefix = routePrefixOf(asString(asRecord(asRecord(match)?.path)?.value));
    if (prefix) return prefix;
  }
  return undefined;
}

/**
 * A route whose parent Gateway lives outside the scanned files (a shared gateway namespace is the
 * usual set-up) is still a way in: reported on the route, with what could not be seen.
 */
function unseenGatewayRoutes(route: ScannedObject, spec: Record<string, unknown>, gatewayKey: string, parentIndex: number, routeNamespace: string | undefined): EntryRoute[] {
  const reach: Reach = {
    level: 'unseen',
    how: `Gateway ${gatewayKey}`,
    caveats: [`the parent Gateway ${gatewayKey} is not in the scanned files, so whether it faces the internet cannot be seen; if it does, this is as severe as a public load balancer`],
  };
  const routes: EntryRoute[] = [];
  for (const rawRule of asArray(spec.rules)) {
    const prefix = rulePrefix(rawRule);
    for (const rawBackend of asArray(asRecord(rawRule)?.backendRefs)) {
      const backend = asRecord(rawBackend);
      const name = asString(backend?.name);
      if (!name || (backend?.kind !== undefined && backend.kind !== 'Service')) continue;
      routes.push({
        ...(prefix ? { requestPath: prefix } : {}),
        entry: route,
        path: `spec.parentRefs[${parentIndex}]`,
        reach,
        hops: [{ kind: 'entry', label: `Gateway ${gatewayKey} (not in the scanned files)` }, { kind: 'route', label: describeObject(route.object) }],
        backendNamespace: asString(backend?.namespace) ?? routeNamespace,
        backendName: name,
      });
    }
  }
  return routes;
}

function openShiftRouteEntries(inventory: Inventory): EntryRoute[] {
  const routes: EntryRoute[] = [];
  for (const scanned of inventory.ofKind('Route', 'route.openshift.io')) {
    const spec = asRecord(scanned.object.spec) ?? {};
    const host = asString(spec.host) ?? 'router default host';
    const prefix = routePrefixOf(asString(spec.path) ?? '/');
    const reach: Reach = {
      level: 'anywhere',
      how: `OpenShift Route, ${host}`,
      caveats: ['assumes the default OpenShift router faces the internet, as it usually does'],
    };
    const targets: [unknown, string][] = [[spec.to, 'spec.to'], ...asArray(spec.alternateBackends).map((b, i): [unknown, string] => [b, `spec.alternateBackends[${i}]`])];
    for (const [target, path] of targets) {
      const name = asString(asRecord(target)?.name);
      if (!name) continue;
      routes.push({
        ...(prefix ? { requestPath: prefix } : {}),
        entry: scanned,
        path,
        reach,
        hops: [entryHop(scanned.object, reach.how)],
        backendNamespace: namespaceOf(scanned.object),
        backendName: name,
      });
    }
  }
  return routes;
}

/** Objects that can face outside the cluster: every object `entryRoutesOf` makes an entry of. */
export const ENTRY_KINDS: readonly KindMatch[] = [
  { apiGroups: [''], kinds: ['Service'] },
  { apiGroups: ['networking.k8s.io', 'extensions'], kinds: ['Ingress'] },
  // Routes are entries themselves when their parent Gateway is not in the scanned files.
  { apiGroups: ['gateway.networking.k8s.io'], kinds: ['Gateway', ...GATEWAY_API_ROUTE_KINDS] },
  { apiGroups: ['route.openshift.io'], kinds: ['Route'] },
  { apiGroups: ['kustomize.config.k8s.io'], kinds: ['Kustomization'] },
];

/** By kind alone, so a superset: Ingresses are read whatever their group. */
const ENTRY_KIND_NAMES: ReadonlySet<string> = new Set(ENTRY_KINDS.flatMap((match) => (match.kinds === '*' ? [] : match.kinds)));

/**
 * False when the object cannot be the entry of any exposure. A rule that only asks for an object's
 * exposures as an entry can skip the analysis for any other object, and then does not depend on it:
 * a gateway Service change re-judged all 664 objects of the stock install for a rule that read the
 * analysis for each.
 */
export function mayFaceOutside(object: K8sObject): boolean {
  return ENTRY_KIND_NAMES.has(object.kind);
}

/** Every way in: LoadBalancer/NodePort/externalIPs Services (also as kustomize patches), Ingresses, Gateway API routes and OpenShift Routes. */
export function entryRoutesOf(inventory: Inventory, lists: UserLists): EntryRoute[] {
  return [
    ...serviceEntries(inventory, lists),
    ...kustomizationEntries(inventory, lists),
    ...ingressEntries(inventory),
    ...gatewayApiEntries(inventory),
    ...openShiftRouteEntries(inventory),
  ];
}
