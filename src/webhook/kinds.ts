import type { Rule } from '../core/rule.js';
import { AUTH_CHAIN_KINDS } from '../exposure/auth-chain-kinds.js';
import { WORKLOAD_SHAPES } from '../k8s/workload-shapes.js';
import { EXPOSURE_ENTRY_KINDS } from '../rules/exposure/entry-kinds.js';

/** A kind as the API server serves it: what RBAC and webhook rules name. */
export interface ServedKind {
  readonly group: string;
  readonly resource: string;
  /** Subresources whose requests carry the whole object (sent to the webhook, never granted). */
  readonly subresources?: readonly string[];
}

/**
 * Kinds kfguard reads or that route, expose or protect a UI, and how the API server serves them.
 * Workload kinds come from the workload shapes (`servedWorkloads`), the one place a new one is
 * added. Kinds not here are not served by an API server (a Kustomization is a build file), so
 * neither RBAC nor a webhook rule can name them. Istio's Gateway is keyed `IstioGateway`: the
 * Gateway API's holds the name.
 */
const ROUTING_AND_POLICY_KINDS: Readonly<Record<string, ServedKind>> = {
  Service: { group: '', resource: 'services' },
  ConfigMap: { group: '', resource: 'configmaps' },
  Secret: { group: '', resource: 'secrets' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  Namespace: { group: '', resource: 'namespaces' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  Gateway: { group: 'gateway.networking.k8s.io', resource: 'gateways' },
  HTTPRoute: { group: 'gateway.networking.k8s.io', resource: 'httproutes' },
  GRPCRoute: { group: 'gateway.networking.k8s.io', resource: 'grpcroutes' },
  TLSRoute: { group: 'gateway.networking.k8s.io', resource: 'tlsroutes' },
  TCPRoute: { group: 'gateway.networking.k8s.io', resource: 'tcproutes' },
  Route: { group: 'route.openshift.io', resource: 'routes' },
  VirtualService: { group: 'networking.istio.io', resource: 'virtualservices' },
  IstioGateway: { group: 'networking.istio.io', resource: 'gateways' },
  AuthorizationPolicy: { group: 'security.istio.io', resource: 'authorizationpolicies' },
  RequestAuthentication: { group: 'security.istio.io', resource: 'requestauthentications' },
  EnvoyFilter: { group: 'networking.istio.io', resource: 'envoyfilters' },
  Profile: { group: 'kubeflow.org', resource: 'profiles' },
};

export const SERVED_KINDS: Readonly<Record<string, ServedKind>> = {
  ...ROUTING_AND_POLICY_KINDS,
  ...Object.fromEntries(WORKLOAD_SHAPES.servedWorkloads.map(({ kind, group, resource, subresources }) => [kind, { group, resource, ...(subresources ? { subresources } : {}) }])),
};

/** The Istio hops between an entry and a UI, read by the exposure analysis; neither entries nor auth. */
const ISTIO_ROUTE_KINDS = ['VirtualService', 'IstioGateway'];

/**
 * What the webhook judges at admission (issue 10) for rules over any kind: every served workload
 * kind at its earliest object, the entries the exposure rules report on, the Istio hops they follow,
 * and the auth chain that protects a route.
 */
export const ADMITTED_KINDS: readonly string[] = [
  ...new Set([
    ...WORKLOAD_SHAPES.servedWorkloads.map((w) => w.kind),
    ...EXPOSURE_ENTRY_KINDS.flatMap((m) => (m.kinds === '*' ? [] : m.kinds)),
    ...ISTIO_ROUTE_KINDS,
    ...AUTH_CHAIN_KINDS,
  ]),
].filter((kind) => SERVED_KINDS[kind] !== undefined);

const admissionRules = (rules: readonly Rule[]): Rule[] => rules.filter((rule) => rule.meta.sources.includes('admission'));

/**
 * Kinds the webhook configuration sends: every kind an admission rule matches by name, and for a
 * rule matching (or reading) any kind, the kinds judged at admission above. A rule that reads any
 * kind can take a finding from a change to one (a VirtualService routing a UI out), so those kinds
 * are sent as well; kinds read by name only (ConfigMaps a Pod mounts) are not, unless a rule
 * matches them.
 */
export function webhookKinds(rules: readonly Rule[]): string[] {
  const kinds = new Set<string>();
  for (const rule of admissionRules(rules)) {
    for (const match of rule.meta.match) for (const kind of match.kinds === '*' ? ADMITTED_KINDS : match.kinds) kinds.add(kind);
    if (rule.meta.needs.reads === '*') for (const kind of ADMITTED_KINDS) kinds.add(kind);
  }
  return [...kinds].filter((kind) => SERVED_KINDS[kind] !== undefined).sort();
}

/**
 * Kinds whose DELETE the webhook configuration sends: the auth chain in front of the gateway, when
 * an admission rule reads it (the exposure rules). Every other deletion is allowed unjudged.
 */
export function deletionKinds(rules: readonly Rule[]): string[] {
  const reads = (rule: Rule, kind: string): boolean => rule.meta.needs.reads === '*' || rule.meta.needs.reads.includes(kind);
  return AUTH_CHAIN_KINDS.filter((kind) => SERVED_KINDS[kind] !== undefined && admissionRules(rules).some((rule) => reads(rule, kind))).sort();
}

/**
 * Whether any admission rule can find something when an object of `kind` is admitted: it matches
 * the kind, or reads it (a change to what a rule reads can move findings on other objects). The
 * server answers the rest at once, without the snapshot.
 */
export function kindJudgedBy(rules: readonly Rule[]): (kind: string) => boolean {
  const relevant = admissionRules(rules);
  const any = relevant.some((rule) => rule.meta.needs.reads === '*' || rule.meta.match.some((m) => m.kinds === '*'));
  if (any) return () => true;
  const kinds = new Set(relevant.flatMap((rule) => [...rule.meta.match.flatMap((m) => m.kinds as readonly string[]), ...(rule.meta.needs.reads as readonly string[])]));
  return (kind) => kinds.has(kind);
}

/**
 * Kinds the snapshot must list and watch: every kind an admission rule names in `needs.reads`,
 * plus every kind judged (a rule reading `'*'` reads among those). RBAC grants exactly these.
 */
export function snapshotKinds(rules: readonly Rule[]): string[] {
  const kinds = new Set(ADMITTED_KINDS);
  for (const rule of rules) {
    if (!rule.meta.sources.includes('admission')) continue;
    const reads = rule.meta.needs.reads;
    if (reads !== '*') for (const kind of reads) kinds.add(kind);
    for (const match of rule.meta.match) if (match.kinds !== '*') for (const kind of match.kinds) kinds.add(kind);
  }
  return [...kinds].filter((kind) => SERVED_KINDS[kind] !== undefined).sort();
}

/**
 * Resources per API group, sorted, for RBAC and webhook rules; webhook rules also name the
 * subresources that carry the whole object (`withSubresources`).
 */
export function resourcesByGroup(kinds: readonly string[], withSubresources = false): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const kind of kinds) {
    const served = SERVED_KINDS[kind];
    if (!served) continue;
    const set = groups.get(served.group) ?? new Set<string>();
    set.add(served.resource);
    if (withSubresources) for (const sub of served.subresources ?? []) set.add(`${served.resource}/${sub}`);
    groups.set(served.group, set);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([group, set]) => [group, [...set].sort()]));
}
