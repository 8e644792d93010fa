import type { K8sObject } from '../core/types.js';
import type { GeneratedObject } from './types.js';

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kfguard' } as const;
const GATEWAY_SELECTOR = { matchLabels: { app: 'istio-ingressgateway' } } as const;
// Dex's own login flow and oauth2-proxy's callback must stay reachable without a session.
const LOGIN_PATHS = ['/dex/*', '/dex/**', '/oauth2/*'] as const;
const DEX_ISSUER = 'http://dex.auth.svc.cluster.local:5556/dex';

function meta(name: string, namespace: string): K8sObject['metadata'] {
  return { name, namespace, labels: MANAGED_BY };
}

/**
 * The Kubeflow ≥ 1.9 ingress auth chain (kubeflow/manifests common/oauth2-proxy/components/
 * istio-external-auth): oauth2-proxy checks browser sessions, Dex JWTs become the user-id header,
 * and anything without a verified principal is denied.
 */
export function oauth2ProxyAuthChain(namespace: string): GeneratedObject[] {
  const review =
    'oauth2-proxy auth chain for the Istio ingress gateway. Requires oauth2-proxy registered as the ' +
    '"oauth2-proxy" extensionProvider in the Istio mesh config, and Dex at the issuer below.';
  return [
    {
      review,
      object: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: meta('istio-ingressgateway-oauth2-proxy', namespace),
        spec: {
          action: 'CUSTOM',
          provider: { name: 'oauth2-proxy' },
          selector: GATEWAY_SELECTOR,
          rules: [
            {
              to: [{ operation: { notPaths: [...LOGIN_PATHS] } }],
              when: [{ key: 'request.headers[authorization]', notValues: ['*'] }],
            },
          ],
        },
      },
    },
    {
      review: `${review} Check that the issuer matches your Dex.`,
      object: {
        apiVersion: 'security.istio.io/v1',
        kind: 'RequestAuthentication',
        metadata: meta('dex-jwt', namespace),
        spec: {
          selector: GATEWAY_SELECTOR,
          jwtRules: [
            {
              issuer: DEX_ISSUER,
              forwardOriginalToken: true,
              fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
              outputClaimToHeaders: [
                { claim: 'email', header: 'kubeflow-userid' },
                { claim: 'groups', header: 'kubeflow-groups' },
              ],
            },
          ],
        },
      },
    },
    {
      review,
      object: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: meta('istio-ingressgateway-require-jwt', namespace),
        spec: {
          action: 'DENY',
          selector: GATEWAY_SELECTOR,
          rules: [
            {
              from: [{ source: { notRequestPrincipals: ['*'] } }],
              to: [{ operation: { notPaths: [...LOGIN_PATHS] } }],
            },
          ],
        },
      },
    },
  ];
}

/** Denies egress by default but keeps DNS, the API server and in-cluster traffic working. */
export function defaultDenyEgressPolicy(namespace: string, apiServerCidr: string): GeneratedObject {
  return {
    review:
      `Default-deny egress. Replace the API server placeholder ${apiServerCidr} with your API server ` +
      'endpoint addresses (kubectl get endpoints kubernetes -n default); add rules for registries, ' +
      'object stores or other external services your pipelines really need.',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('kfguard-default-deny-egress', namespace),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          {
            to: [{ ipBlock: { cidr: apiServerCidr } }],
            ports: [
              { protocol: 'TCP', port: 443 },
              { protocol: 'TCP', port: 6443 },
            ],
          },
          { to: [{ namespaceSelector: {} }] },
        ],
      },
    },
  };
}

/** Caps what one profile namespace can take, GPUs included, so a hijacked notebook cannot mine on the whole cluster. */
export function resourceQuota(namespace: string): GeneratedObject {
  return {
    review: 'Starting quota: size cpu, memory, GPU and pod counts to the team that owns this namespace.',
    object: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('kfguard-compute-quota', namespace),
      spec: {
        hard: {
          'requests.cpu': '16',
          'requests.memory': '64Gi',
          'limits.cpu': '32',
          'limits.memory': '128Gi',
          'requests.nvidia.com/gpu': '2',
          pods: '50',
        },
      },
    },
  };
}

/** Gives containers without requests/limits sane defaults, which a quota on limits needs. */
export function limitRange(namespace: string): GeneratedObject {
  return {
    review: 'Default container requests/limits and a per-container ceiling: adjust to your workloads.',
    object: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('kfguard-container-limits', namespace),
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '1', memory: '2Gi' },
            defaultRequest: { cpu: '100m', memory: '256Mi' },
            max: { cpu: '16', memory: '64Gi' },
          },
        ],
      },
    },
  };
}
