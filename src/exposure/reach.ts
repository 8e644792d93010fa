import { annotationsOf, asRecord, asString, asStringArray } from '../core/object.js';
import { isPrivateAddress } from '../core/private-address.js';
import type { K8sObject } from '../core/types.js';
import type { Reach, ReachLevel } from './types.js';

/**
 * Annotations that keep a cloud load balancer off the internet. Values compared lower-case.
 * AWS: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
 * GCP: https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters
 * Azure: https://learn.microsoft.com/azure/aks/internal-lb
 * OCI: https://github.com/oracle/oci-cloud-controller-manager/blob/master/docs/load-balancer-annotations.md
 * OpenStack: https://github.com/kubernetes/cloud-provider-openstack/blob/master/docs/openstack-cloud-controller-manager/expose-applications-using-loadbalancer-type-service.md
 * Alibaba Cloud: https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/add-annotations-to-the-yaml-file-of-a-service-to-configure-clb-instances
 * IBM Cloud: https://cloud.ibm.com/docs/containers?topic=containers-vpclb-about
 */
const INTERNAL_LB_ANNOTATIONS: readonly { key: string; values: readonly string[]; cloud: string }[] = [
  { key: 'service.beta.kubernetes.io/aws-load-balancer-internal', values: ['true', '0.0.0.0/0'], cloud: 'AWS' },
  { key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', values: ['internal'], cloud: 'AWS' },
  { key: 'networking.gke.io/load-balancer-type', values: ['internal'], cloud: 'GCP' },
  { key: 'cloud.google.com/load-balancer-type', values: ['internal'], cloud: 'GCP' },
  { key: 'service.beta.kubernetes.io/azure-load-balancer-internal', values: ['true'], cloud: 'Azure' },
  { key: 'service.beta.kubernetes.io/oci-load-balancer-internal', values: ['true'], cloud: 'OCI' },
  { key: 'oci-network-load-balancer.oraclecloud.com/internal', values: ['true'], cloud: 'OCI' },
  { key: 'service.beta.kubernetes.io/openstack-internal-load-balancer', values: ['true'], cloud: 'OpenStack' },
  { key: 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', values: ['intranet'], cloud: 'Alibaba Cloud' },
  { key: 'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', values: ['private'], cloud: 'IBM Cloud' },
];

const SOURCE_RANGE_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** How an entry Service faces outside, or undefined when it is cluster-internal. */
export function serviceReach(service: K8sObject): { reach: Reach; path: string } | undefined {
  const spec = asRecord(service.spec) ?? {};
  const type = asString(spec.type);
  const externalIPs = asStringArray(spec.externalIPs);
  if (type === 'LoadBalancer') return { reach: loadBalancerReach(service), path: 'spec.type' };
  if (type === 'NodePort') return { reach: { level: 'nodes', how: 'NodePort', caveats: [] }, path: 'spec.type' };
  if (externalIPs.length > 0) {
    const level: ReachLevel = externalIPs.every(isPrivateAddress) ? 'internal' : 'anywhere';
    return { reach: { level, how: `externalIPs ${externalIPs.join(', ')}`, caveats: [] }, path: 'spec.externalIPs' };
  }
  return undefined;
}

function loadBalancerReach(service: K8sObject): Reach {
  const annotations = annotationsOf(service);
  for (const { key, values, cloud } of INTERNAL_LB_ANNOTATIONS) {
    const value = annotations[key]?.toLowerCase();
    if (value !== undefined && values.includes(value)) {
      return { level: 'internal', how: `internal ${cloud} LoadBalancer (${key})`, caveats: [] };
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
