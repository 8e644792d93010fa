/**
 * Deterministic generator of KFP v2 / Argo Workflows pipeline Pods as a live cluster returns them,
 * for the pod-heavy benchmark (issue 9: 20,000 pods ≈ 27 MB). Every choice comes from a seeded
 * PRNG, so one seed always gives the same bytes and runs on different days compare.
 *
 * The shape is the Argo emissary executor's: an `init` container and a `wait` sidecar running
 * argoexec, and a `main` container whose command goes through `/var/run/argo/argoexec emissary --`.
 * Steps alternate between the KFP driver, the KFP launcher wrapping a Python component, and plain
 * `sh -c` steps, as a real v2 run does. Objects are dumped by js-yaml with sorted keys and unindented
 * sequences, which is how `kubectl get -o yaml` (go-yaml) lays them out.
 *
 * A real pod of this shape is 6–9 KB, mostly managedFields and per-container env. Env,
 * managedFields and status are cut to one entry or the fields every such pod carries, which gives
 * 2.67 KB a pod (53 MB for 20,000). The 1.35 KB a pod (27 MB) leaves no room for three
 * containers, volumes, owner, labels, annotations and conditions, and the scanner's per-object work
 * scales with that structure rather than with bytes, so the structure is kept.
 *
 *   node --import tsx bench/pipeline-pods.ts 20000 [--seed 9] [--list] > pods.yaml
 */
import yaml from 'js-yaml';

/** mulberry32: small, fast and good enough to vary names and shapes; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PipelinePodOptions {
  readonly seed?: number;
  /** One `kind: List` document (`kubectl get pods -o yaml`) instead of a `---` stream. */
  readonly list?: boolean;
}

const NAMESPACES = ['kubeflow-user-example-com', 'team-vision', 'team-nlp', 'ml-research', 'kubeflow'];
const PIPELINES = ['xgboost-training', 'tfx-taxi', 'data-prep', 'bert-finetune', 'batch-predict', 'feature-store-sync'];
const ARGOEXEC = 'gcr.io/ml-pipeline/argoexec:v3.4.17-license-compliance';
const ALPHANUM = 'bcdfghjklmnpqrstvwxz2456789';

type Step = (r: () => number, pipeline: string) => { image: string; script: string };

// The three kinds of step a KFP v2 run creates. Commands are the real ones, shortened.
const STEPS: readonly Step[] = [
  (r) => ({
    image: 'gcr.io/ml-pipeline/kfp-driver:2.2.0',
    script: `driver --type CONTAINER --pipeline_name ${pick(r, PIPELINES)} --run_id $(KFP_RUN_ID) --dag_execution_id ${int(r, 1, 9999)} --component $(KFP_COMPONENT) --task $(KFP_TASK) --mlmd_server_address metadata-grpc-service.kubeflow`,
  }),
  (r, pipeline) => ({
    image: pick(r, ['python:3.9', 'python:3.11-slim', 'tensorflow/tensorflow:2.15.0', 'pytorch/pytorch:2.2.1-cuda12.1-cudnn8-runtime']),
    script: `/kfp-launcher/launch --pipeline_name ${pipeline} --run_id $(KFP_RUN_ID) --execution_id ${int(r, 1, 9999)} -- sh -ec 'python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main --component_module_path /tmp/ephemeral_component.py --executor_input "$0"'`,
  }),
  (r) => ({
    image: pick(r, ['alpine:3.19', 'google/cloud-sdk:470.0.0-slim', 'busybox:1.36']),
    script: pick(r, [
      'mkdir -p /tmp/outputs && gsutil -m cp -r gs://ml-data/raw/$(date +%F) /tmp/outputs/ && echo done',
      'echo "rows=$(wc -l < /tmp/inputs/data.csv)" > /tmp/outputs/stats && cat /tmp/outputs/stats',
      'tar czf /tmp/outputs/model.tgz -C /tmp/inputs/model . && ls -la /tmp/outputs',
    ]),
  }),
];

function pick<T>(r: () => number, values: readonly T[]): T {
  return values[Math.floor(r() * values.length)]!;
}

function int(r: () => number, low: number, high: number): number {
  return low + Math.floor(r() * (high - low + 1));
}

function suffix(r: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHANUM[Math.floor(r() * ALPHANUM.length)];
  return s;
}

function uid(r: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function timestamp(base: number, offsetSeconds: number): string {
  return new Date(base + offsetSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

const mounts = [{ mountPath: '/var/run/argo', name: 'var-run-argo' }];

/** One pod object. `index` keeps names unique across the set. */
export function pipelinePod(r: () => number, index: number): Record<string, unknown> {
  const namespace = pick(r, NAMESPACES);
  const pipeline = pick(r, PIPELINES);
  const workflow = `${pipeline}-${suffix(r, 5)}`;
  const name = `${workflow}-system-container-impl-${1_000_000_000 + index}`;
  const step = pick(r, STEPS)(r, pipeline);
  const created = Date.UTC(2026, 10, 1) + index * 37_000;
  const phase = r() < 0.85 ? 'Succeeded' : 'Running';
  const node = `gke-ml-pool-${suffix(r, 4)}`;
  const tokenVolume = `kube-api-access-${suffix(r, 5)}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      annotations: { 'pipelines.kubeflow.org/v2_component': 'true', 'workflows.argoproj.io/node-name': `${workflow}.root.${pipeline}` },
      creationTimestamp: timestamp(created, 0),
      labels: {
        'pipeline/runid': uid(r),
        'pipelines.kubeflow.org/v2_component': 'true',
        'workflows.argoproj.io/completed': String(phase === 'Succeeded'),
        'workflows.argoproj.io/workflow': workflow,
      },
      managedFields: [
        { apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, manager: 'kubelet', operation: 'Update', subresource: 'status', time: timestamp(created, 40) },
      ],
      name,
      namespace,
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', blockOwnerDeletion: true, controller: true, kind: 'Workflow', name: workflow, uid: uid(r) }],
      uid: uid(r),
    },
    spec: {
      containers: [
        { command: ['argoexec', 'wait'], env: [{ name: 'ARGO_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], image: ARGOEXEC, name: 'wait', volumeMounts: [{ mountPath: '/mainctrfs/tmp/outputs', name: 'outputs' }, ...mounts] },
        {
          command: ['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c', step.script],
          env: [{ name: 'KFP_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          image: step.image,
          name: 'main',
          volumeMounts: mounts,
        },
      ],
      initContainers: [{ command: ['argoexec', 'init'], image: ARGOEXEC, name: 'init', volumeMounts: mounts }],
      nodeName: node,
      serviceAccountName: 'pipeline-runner',
      volumes: [
        { emptyDir: {}, name: 'var-run-argo' },
        { name: 'mlpipeline-minio-artifact', secret: { secretName: 'mlpipeline-minio-artifact' } },
        { name: tokenVolume, projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      ],
    },
    status: {
      conditions: [{ status: 'True', type: 'PodScheduled' }, { status: phase === 'Running' ? 'True' : 'False', type: 'Ready' }],
      containerStatuses: [{ image: step.image, name: 'main', ready: phase === 'Running', restartCount: 0 }],
      phase,
      startTime: timestamp(created, 2),
    },
  };
}

const DUMP: yaml.DumpOptions = { noArrayIndent: true, sortKeys: true, lineWidth: -1, noRefs: true };

/** `count` pipeline pods as YAML text, either a `---` stream or one `kind: List`. */
export function generatePipelinePods(count: number, options: PipelinePodOptions = {}): string {
  const r = seededRandom(options.seed ?? 9);
  const parts: string[] = [];
  if (options.list) {
    const items = Array.from({ length: count }, (_, i) => pipelinePod(r, i));
    return yaml.dump({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, DUMP);
  }
  for (let i = 0; i < count; i++) parts.push(yaml.dump(pipelinePod(r, i), DUMP));
  return parts.join('---\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 20_000);
  const seedAt = process.argv.indexOf('--seed');
  process.stdout.write(generatePipelinePods(count, { seed: seedAt > 0 ? Number(process.argv[seedAt + 1]) : 9, list: process.argv.includes('--list') }));
}
