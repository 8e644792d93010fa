import { stringify } from 'yaml';
import { ALL_RULES } from '../rules/index.js';
import { VERSION } from '../version.js';
import type { Rule } from '../core/rule.js';
import { deletionKinds, resourcesByGroup, snapshotKinds, webhookKinds } from './kinds.js';
import { DEFAULT_SHUTDOWN_DELAY_SECONDS, DRAIN_GRACE_MS, type FailurePolicy } from './settings.js';

export interface ManifestOptions {
  readonly namespace: string;
  readonly tls: 'cert-manager' | 'self-signed';
  readonly failurePolicy: FailurePolicy;
  /** Base64 PEM of the CA from `kfguard webhook certs`, for --self-signed. */
  readonly caBundle?: string;
  readonly image?: string;
  /** The rules the server runs (enabled in its config); default every rule. They decide what is sent and what RBAC grants. */
  readonly rules?: readonly Rule[];
  /**
   * Where the server's snapshot comes from: `live` (default) lists and watches the cluster with the
   * ClusterRole below; `configmap` reads manifests mounted from a ConfigMap (GitOps clusters that
   * would rather not grant list/watch).
   */
  readonly snapshot?: 'live' | 'configmap';
}

const NAME = 'kfguard-webhook';
const TLS_SECRET = 'kfguard-webhook-tls';
const SNAPSHOT_CONFIGMAP = 'kfguard-webhook-snapshot';
/** Shutdown delay, drain grace and a margin for the process to flush its logs and exit. */
const TERMINATION_GRACE_SECONDS = DEFAULT_SHUTDOWN_DELAY_SECONDS + DRAIN_GRACE_MS / 1000 + 5;
const LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'kfguard' };
type Manifest = Record<string, unknown>;

/** Every object of a webhook install, as one multi-document YAML stream. */
export function renderManifests(options: ManifestOptions): string {
  return webhookManifests(options)
    .map((object) => `---\n${stringify(object, { lineWidth: 0 })}`)
    .join('');
}

export function webhookManifests(options: ManifestOptions): Manifest[] {
  const ns = options.namespace;
  const meta = (name: string, namespaced = true): Manifest => ({ name, ...(namespaced ? { namespace: ns } : {}), labels: LABELS });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME), automountServiceAccountToken: true },
    clusterRole(meta(NAME, false), options.rules ?? ALL_RULES),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(NAME, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
    },
    ...(fromConfigMap(options)
      ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(SNAPSHOT_CONFIGMAP), data: { 'README.txt': 'Put the cluster manifests (YAML) kfguard judges admitted objects against in this ConfigMap.\n' } }]
      : []),
    deployment(meta(NAME), options),
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(NAME),
      spec: { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': NAME } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(NAME),
      spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': NAME }, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
    },
    networkPolicy(meta(NAME)),
    ...(options.tls === 'cert-manager' ? certManager(meta, ns) : []),
    validatingWebhook(meta(NAME, false), options),
  ];
}

function clusterRole(metadata: Manifest, ruleSet: readonly Rule[]): Manifest {
  const rules = [...resourcesByGroup(snapshotKinds(ruleSet))].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: ['get', 'list', 'watch'] }));
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata, rules };
}

function fromConfigMap(options: ManifestOptions): boolean {
  return options.snapshot === 'configmap';
}

function deployment(metadata: Manifest, options: ManifestOptions): Manifest {
  const files = fromConfigMap(options);
  const image = options.image ?? `kfguard:${VERSION}`;
  const probe = (path: string): Manifest => ({ httpGet: { path, port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, timeoutSeconds: 2 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': NAME } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: true,
          priorityClassName: 'system-cluster-critical',
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': NAME } } } },
              ],
            },
          },
          containers: [
            {
              name: 'webhook',
              image,
              imagePullPolicy: 'IfNotPresent',
              args: ['webhook', 'serve', '--tls-cert', '/tls/tls.crt', '--tls-key', '/tls/tls.key', '--port', '8443', ...(files ? ['--snapshot-from', '/snapshot'] : []), '--failure-policy', options.failurePolicy, '--timeout-ms', '4000'],
              ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
              readinessProbe: probe('/readyz'),
              livenessProbe: probe('/healthz'),
              // The live snapshot holds the kinds the admission rules read; a large cluster needs room for it.
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [
                { name: 'tls', mountPath: '/tls', readOnly: true },
                ...(files ? [{ name: 'snapshot', mountPath: '/snapshot', readOnly: true }] : []),
              ],
            },
          ],
          // The shutdown delay and the drain must both fit before the kubelet kills the container.
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          volumes: [
            { name: 'tls', secret: { secretName: TLS_SECRET } },
            ...(files ? [{ name: 'snapshot', configMap: { name: SNAPSHOT_CONFIGMAP, optional: true } }] : []),
          ],
        },
      },
    },
  };
}

function networkPolicy(metadata: Manifest): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata,
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': NAME } },
      policyTypes: ['Ingress', 'Egress'],
      // The API server's address differs per cluster (and is often outside the pod network): the
      // webhook port is open, nothing else is.
      ingress: [{ ports: [{ port: 8443, protocol: 'TCP' }] }],
      egress: [
        { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      ],
    },
  };
}

function certManager(meta: (name: string) => Manifest, ns: string): Manifest[] {
  return [
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(`${NAME}-selfsigned`), spec: { selfSigned: {} } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta(NAME),
      spec: {
        secretName: TLS_SECRET,
        dnsNames: [`${NAME}.${ns}.svc`, `${NAME}.${ns}.svc.cluster.local`],
        issuerRef: { name: `${NAME}-selfsigned`, kind: 'Issuer' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        duration: '2160h',
        renewBefore: '360h',
      },
    },
  ];
}

function validatingWebhook(metadata: Manifest, options: ManifestOptions): Manifest {
  const ns = options.namespace;
  // Only what some rule can judge: every other request would cost the API server a round trip for nothing.
  const ruleSet = options.rules ?? ALL_RULES;
  const operationRules = (kinds: readonly string[], operations: readonly string[]): Manifest[] =>
    [...resourcesByGroup(kinds, true)].map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources, operations: [...operations], scope: '*' }));
  // Deletions only of the auth chain: deleting it can expose the gateway; any other deletion is cleanup.
  const rules = [...operationRules(webhookKinds(ruleSet), ['CREATE', 'UPDATE']), ...operationRules(deletionKinds(ruleSet), ['DELETE'])];
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      ...metadata,
      ...(options.tls === 'cert-manager' ? { annotations: { 'cert-manager.io/inject-ca-from': `${ns}/${NAME}` } } : {}),
    },
    webhooks: [
      {
        name: 'validate.kfguard.io',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        timeoutSeconds: 5,
        failurePolicy: options.failurePolicy === 'fail' ? 'Fail' : 'Ignore',
        matchPolicy: 'Equivalent',
        clientConfig: {
          service: { name: NAME, namespace: ns, path: '/validate', port: 443 },
          ...(options.caBundle !== undefined ? { caBundle: options.caBundle } : {}),
        },
        // Never judge the control plane or kfguard itself: a broken webhook must not lock out its own repair.
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', ns] }] },
        matchConditions: [
          { name: 'not-kfguard-itself', expression: `request.userInfo.username != 'system:serviceaccount:${ns}:${NAME}'` },
          { name: 'not-node-status', expression: "!request.userInfo.username.startsWith('system:node:')" },
        ],
        rules,
      },
    ],
  };
}
