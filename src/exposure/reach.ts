import { annotationsOf, asRecord, asString, asStringArray } from '../core/object.js';
import { isPrivateAddress } from '../core/private-address.js';
import { rangeCoverage } from './source-ranges.js';
import type { UserLists } from '../core/config-types.js';
import type { K8sObject } from '../core/types.js';
import { internalLoadBalancerAnnotations } from './internal-load-balancers.js';
import type { Reach, ReachLevel } from './types.js';

const SOURCE_RANGE_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** How an entry Service faces outside, or undefined when it is cluster-internal. */
export function serviceReach(service: K8sObject, lists: UserLists): { reach: Reach; path: string } | undefined {
  const spec = asRecord(service.spec) ?? {};
  const type = asString(spec.type);
  const externalIPs = asStringArray(spec.externalIPs);
  if (type === 'LoadBalancer') return { reach: loadBalancerReach(service, lists), path: 'spec.type' };
  if (type === 'NodePort') return { reach: { level: 'nodes', how: 'NodePort', caveats: [] }, path: 'spec.type' };
  if (externalIPs.length > 0) {
    const level: ReachLevel = externalIPs.every(isPrivateAddress) ? 'internal' : 'anywhere';
    return { reach: { level, how: `externalIPs ${externalIPs.join(', ')}`, caveats: [] }, path: 'spec.externalIPs' };
  }
  return undefined;
}

function loadBalancerReach(service: K8sObject, lists: UserLists): Reach {
  const annotations = annotationsOf(service);
  for (const { key, values, cloud } of internalLoadBalancerAnnotations(lists['internal-load-balancer-annotations'])) {
    const value = annotations[key]?.toLowerCase();
    if (value !== undefined && values.includes(value)) {
      return { level: 'internal', how: `internal ${cloud === undefined ? '' : `${cloud} `}LoadBalancer (${key})`, caveats: [] };
    }
  }
  // Kubernetes uses the field when it is set and the annotation only otherwise
  // (GetLoadBalancerSourceRanges, https://github.com/kubernetes/cloud-provider/blob/master/service/helpers/helper.go).
  const fieldRanges = asStringArray(asRecord(service.spec)?.loadBalancerSourceRanges);
  const annotationRanges = annotations[SOURCE_RANGE_ANNOTATION]?.split(',').filter((r) => r.trim() !== '') ?? [];
  return rangesReach('LoadBalancer', fieldRanges.length > 0 ? fieldRanges : annotationRanges);
}

/** A public /16 of IPv4, or a /48 of IPv6, admits tens of thousands of hosts: restricted, but not to one office. */
const BROAD_IPV4 = 1n << 16n;
const BROAD_IPV6 = 1n << 80n;

/**
 * Reach of a public entry narrowed by a CIDR allow-list (none = anywhere), judged on the union of
 * the ranges by address math (`source-ranges.ts`). Entries that do not parse are named in the
 * caveats; when none parses, the entry is judged as unrestricted.
 */
export function rangesReach(how: string, ranges: readonly string[]): Reach {
  if (ranges.length === 0) return { level: 'anywhere', how, caveats: [] };
  const described = `${how} limited to ${ranges.map((r) => r.trim()).join(', ')}`;
  const coverage = rangeCoverage(ranges);
  const caveats = [...coverage.notes, ...coverage.invalid.map((why) => `${why}; the API server rejects it, and it is ignored here`)];
  const valid = ranges.length - coverage.invalid.length;
  if (valid === 0) return { level: 'anywhere', how: described, caveats: [...caveats, 'no range parses, so the allow-list is judged as absent'] };
  if (coverage.coversInternet) {
    const literal = ranges.some((r) => /\/0$/.test(r.trim()));
    return { level: 'anywhere', how: described, caveats: literal ? caveats : [...caveats, 'together the ranges admit every public address'] };
  }
  const level: ReachLevel = coverage.publicIPv4 >= BROAD_IPV4 || coverage.publicIPv6 >= BROAD_IPV6 ? 'broad' : 'narrow';
  return { level, how: described, caveats };
}

const ALB_SCHEME = 'alb.ingress.kubernetes.io/scheme';
const INGRESS_RANGE_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/whitelist-source-range',
  'nginx.ingress.kubernetes.io/allowlist-source-range',
  'alb.ingress.kubernetes.io/inbound-cidrs',
];

/** How an Ingress faces outside, from its controller annotations. */
export function ingressReach(ingress: K8sObject): Reach {
  const annotations = annotationsOf(ingress);
  const spec = asRecord(ingress.spec) ?? {};
  const ingressClass = (annotations['kubernetes.io/ingress.class'] ?? asString(spec.ingressClassName) ?? '').toLowerCase();
  const scheme = annotations[ALB_SCHEME];
  if (scheme !== undefined) {
    if (scheme.toLowerCase() === 'internal') return { level: 'internal', how: 'internal ALB Ingress', caveats: [] };
    if (scheme.includes('$(')) {
      return {
        level: 'anywhere',
        how: 'ALB Ingress',
        caveats: [`the ALB scheme is the unresolved variable ${scheme}; assumed internet-facing`],
      };
    }
  } else if (ingressClass === 'alb') {
    // The AWS Load Balancer Controller makes an internal ALB unless told otherwise.
    return { level: 'internal', how: 'ALB Ingress without a scheme (internal by default)', caveats: [] };
  }
  if (ingressClass === 'gce-internal') return { level: 'internal', how: 'internal GCE Ingress', caveats: [] };
  if (annotations['appgw.ingress.kubernetes.io/use-private-ip']?.toLowerCase() === 'true') {
    return { level: 'internal', how: 'Azure Application Gateway Ingress on a private IP', caveats: [] };
  }
  const ranges = INGRESS_RANGE_ANNOTATIONS.flatMap((key) => annotations[key]?.split(',').map((r) => r.trim()).filter(Boolean) ?? []);
  const how = scheme === undefined ? 'Ingress' : `Ingress (${scheme})`;
  return rangesReach(how, ranges);
}

/** Gateway API Gateways: internal GatewayClasses say so in their name (gke-l7-rilb, …-internal). */
export function gatewayApiReach(gateway: K8sObject): Reach {
  const className = asString(asRecord(gateway.spec)?.gatewayClassName) ?? '';
  if (/internal|rilb|private/i.test(className)) return { level: 'internal', how: `Gateway (class ${className})`, caveats: [] };
  return { level: 'anywhere', how: className ? `Gateway (class ${className})` : 'Gateway', caveats: [] };
}
