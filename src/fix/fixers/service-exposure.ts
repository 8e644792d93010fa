import yaml from 'js-yaml';
import { stringify } from 'yaml';
import { asArray, asRecord, asString, asStringArray } from '../../core/object.js';
import { getAt, parsePath } from '../../core/path.js';
import type { K8sObject } from '../../core/types.js';
import { oauth2ProxyAuthChain } from '../generated-objects.js';
import { planOf, type FixOptions, type FixPlan, type Fixer, type ObjectEdit } from '../types.js';

/** Fields that only exist for NodePort/LoadBalancer Services; the API server rejects them on ClusterIP. */
const EXTERNAL_ONLY_FIELDS = [
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'loadBalancerClass',
  'allocateLoadBalancerNodePorts',
  'externalIPs',
] as const;

const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0']);
const GATEWAY_SERVICE = 'istio-ingressgateway';

function toClusterIp(service: K8sObject): ObjectEdit[] {
  const spec = asRecord(service.spec) ?? {};
  const edits: ObjectEdit[] = [{ op: 'set', path: ['spec', 'type'], value: 'ClusterIP' }];
  asArray(spec.ports).forEach((port, i) => {
    if (asRecord(port)?.nodePort !== undefined) edits.push({ op: 'delete', path: ['spec', 'ports', i, 'nodePort'] });
  });
  for (const field of EXTERNAL_ONLY_FIELDS) {
    if (spec[field] !== undefined) edits.push({ op: 'delete', path: ['spec', field] });
  }
  return edits;
}

const AUTH_CHAIN_NOTE = 'the oauth2-proxy chain needs oauth2-proxy and Dex installed (kubeflow/manifests common/oauth2-proxy)';

function isIstioGateway(service: K8sObject): boolean {
  const selector = asRecord(asRecord(service.spec)?.selector) ?? {};
  return service.metadata?.name === GATEWAY_SERVICE || selector.app === GATEWAY_SERVICE || selector.istio === 'ingressgateway';
}

/** Keeps the gateway's load balancer, admits only the placeholder range, and authenticates what comes in. */
function restrictGateway(service: K8sObject, options: FixOptions): FixPlan {
  const ranges = asStringArray(asRecord(service.spec)?.loadBalancerSourceRanges);
  const kept = ranges.filter((r) => !OPEN_RANGES.has(r));
  const edit: ObjectEdit =
    kept.length > 0
      ? { op: 'set', path: ['spec', 'loadBalancerSourceRanges'], value: kept }
      : {
          op: 'set',
          path: ['spec', 'loadBalancerSourceRanges'],
          value: [options.placeholderCidr],
          comment: ' kfguard: placeholder, put the CIDRs allowed to reach this load balancer',
        };
  const notes = kept.length > 0 ? [AUTH_CHAIN_NOTE] : [`replace the placeholder CIDR ${options.placeholderCidr} in loadBalancerSourceRanges with your own ranges`, AUTH_CHAIN_NOTE];
  return planOf({ edits: [edit], creates: oauth2ProxyAuthChain(service.metadata?.namespace ?? 'istio-system'), notes });
}

const PATCHED_TYPE = /(\btype"?\s*:\s*|\bvalue"?\s*:\s*)(["']?)(LoadBalancer|NodePort)\2/g;
const PATCHED_NODE_PORT = /^[ \t]*"?nodePort"?\s*:\s*\d+,?[ \t]*\r?\n/gm;

/** An inline kustomize patch that opens a Service: the patch now sets ClusterIP (and drops node ports). */
function kustomizePatchPlan(kustomization: K8sObject, path: string | undefined): FixPlan | undefined {
  if (path === undefined) return undefined;
  const segments = parsePath(path);
  const patch = getAt(kustomization, segments);
  if (typeof patch !== 'string') return undefined;
  const byText = patch.replace(PATCHED_TYPE, '$1$2ClusterIP$2').replace(PATCHED_NODE_PORT, '');
  const fixed = withoutExternalOnlyFields(byText);
  return fixed === patch ? undefined : planOf({ edits: [{ op: 'set', path: segments, value: fixed }] });
}

const EXTERNAL_ONLY_PATH = new RegExp(`^/spec/(?:ports/\\d+/nodePort|${EXTERNAL_ONLY_FIELDS.join('|')})(?:/|$)`);

/**
 * What a text edit cannot reach: JSON 6902 ops that add node ports or load balancer fields, and
 * those fields in a strategic-merge patch. Left in, they make the API server refuse the ClusterIP
 * Service. The patch is rewritten only when such fields are there (its comments are then lost).
 */
function withoutExternalOnlyFields(patch: string): string {
  let parsed: unknown;
  try {
    parsed = yaml.load(patch);
  } catch {
    return patch;
  }
  if (Array.isArray(parsed)) {
    const kept = parsed.filter((op) => !EXTERNAL_ONLY_PATH.test(asString(asRecord(op)?.path) ?? ''));
    return kept.length === parsed.length ? patch : stringify(kept);
  }
  const spec = asRecord(asRecord(parsed)?.spec);
  if (!spec) return patch;
  const ports = asArray(spec.ports);
  const external = EXTERNAL_ONLY_FIELDS.filter((field) => spec[field] !== undefined);
  const nodePorts = ports.some((port) => asRecord(port)?.nodePort !== undefined);
  if (external.length === 0 && !nodePorts) return patch;
  const cleanSpec: Record<string, unknown> = { ...spec };
  for (const field of external) delete cleanSpec[field];
  if (nodePorts) {
    cleanSpec.ports = ports.map((port) => {
      const { nodePort: _dropped, ...rest } = (asRecord(port) ?? {}) as Record<string, unknown>;
      return rest;
    });
  }
  return stringify({ ...(parsed as Record<string, unknown>), spec: cleanSpec });
}

/** An Ingress or route whose backend is the Istio gateway: protect the gateway instead of the route. */
function routesToGateway(object: K8sObject): boolean {
  return JSON.stringify(object.spec ?? {}).includes(`"${GATEWAY_SERVICE}"`);
}

/**
 * A Service exposing a dashboard goes back to ClusterIP (kubeflow/manifests patches the gateway to
 * ClusterIP for this reason). With --keep-load-balancer the Istio gateway keeps its load balancer,
 * limited by loadBalancerSourceRanges and behind the oauth2-proxy chain. An Ingress in front of the
 * gateway gets the auth chain; one that bypasses the gateway has no automatic fix.
 */
export const serviceExposureFixer: Fixer = {
  summary: 'make the Service ClusterIP, or restrict the gateway load balancer and add the oauth2-proxy chain',
  plan({ object, finding, options, lookup }) {
    if (object.kind === 'Service') {
      const type = asString(asRecord(object.spec)?.type);
      if (options.keepLoadBalancer && type === 'LoadBalancer' && isIstioGateway(object)) return restrictGateway(object, options);
      return planOf({ edits: toClusterIp(object) });
    }
    if (object.kind === 'Kustomization') return kustomizePatchPlan(object, finding.path);
    if (routesToGateway(object)) {
      const namespace = object.metadata?.namespace ?? 'istio-system';
      // The chain selects the gateway pods by label; without the Service its effect cannot be checked.
      if (!lookup('Service', namespace, GATEWAY_SERVICE)) {
        return `the ${GATEWAY_SERVICE} Service is not in the scanned files; scan it together with this ${object.kind} so the oauth2-proxy chain can be added`;
      }
      return planOf({
        creates: oauth2ProxyAuthChain(namespace),
        notes: [AUTH_CHAIN_NOTE, `${object.kind} ${object.metadata?.name ?? ''} stays public: the login page faces the internet`],
        residualSeverity: 'low',
      });
    }
    return 'the entry bypasses the Istio gateway; route it to the gateway or remove it (see the remediation)';
  },
};
