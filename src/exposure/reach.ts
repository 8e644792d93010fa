import { annotationsOf, asRecord, asString, asStringArray } from '../core/object.js';
import { isPrivateAddress } from '../core/private-address.js';
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
  const spec = asRecord(service.spec) ?? {};
  const ranges = [
    ...asStringArray(spec.loadBalancerSourceRanges),
    ...(annotations[SOURCE_RANGE_ANNOTATION]?.split(',').map((r) => r.trim()).filter(Boolean) ?? []),
  ];
  return rangesReach('LoadBalancer', ranges);
}

/** Reach of a public entry narrowed by a CIDR allow-list (none = anywhere). */
export function rangesReach(how: string, ranges: readonly string[]): Reach {
  if (ranges.length === 0) return { level: 'anywhere', how, caveats: [] };
  const described = `${how} limited to ${ranges.join(', ')}`;
  return { level: rangesLevel(ranges), how: described, caveats: [] };
}

function rangesLevel(ranges: readonly string[]): ReachLevel {
  let level: ReachLevel = 'narrow';
  for (const range of ranges) {
    const [address = '', prefixText] = range.split('/');
    const isV6 = address.includes(':');
    const prefix = prefixText === undefined ? (isV6 ? 128 : 32) : Number(prefixText);
    if (prefix === 0) return 'anywhere';
    if (isPrivateAddress(address)) continue;
    // A public /16 or wider admits tens of thousands of hosts: restricted, but not to one office.
    if ((isV6 && prefix <= 48) || (!isV6 && prefix <= 16)) level = 'broad';
  }
  return level;
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
