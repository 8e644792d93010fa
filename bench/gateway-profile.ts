/** Ad-hoc: evaluates the gateway change N times (for --cpu-prof / --heap-prof), prints CPU ms per evaluation and allocation. */
import { evaluateObject } from '../src/core/engine.js';
import type { K8sObject, ScannedObject } from '../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { collectManifests } from '../src/sources/manifest.js';
import { sharedPath } from '../src/testing/shared.js';
import { labelsOf } from '../src/core/object.js';
import { Session } from 'node:inspector';

const N = Number(process.argv[2] ?? 2000);
const which = process.argv[3] ?? 'gateway';
const { objects } = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
const snapshot = newSnapshot();
for (const scanned of objects) snapshot.upsert(scanned);
const only = process.env.ONLY_RULES?.split(',');
const rules = ALL_RULES.filter((rule) => rule.meta.sources.includes('admission') && (!only || only.includes(rule.meta.id)));
const options = { rules, podLabelsOf };
const admission = { kind: 'admission' as const, uid: 'bench', operation: 'CREATE', user: 'bench', groups: [], dryRun: false };
const gateway = objects.find((s) => s.object.kind === 'Service' && s.object.metadata?.name === 'istio-ingressgateway')!.object;
const gatewayChange = (i: number): K8sObject => ({ ...gateway, metadata: { ...gateway.metadata, labels: { ...labelsOf(gateway), revision: String(i) } }, spec: { ...(gateway.spec as object), type: 'LoadBalancer' } });
/** The KFP v2 pipeline step of bench/per-object.ts. */
const pod = (i: number): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `train-pipeline-${i}-system-container-impl-${1000 + i}`,
    namespace: 'kubeflow-user-example-com',
    labels: { 'workflows.argoproj.io/workflow': `train-pipeline-${i}`, 'pipelines.kubeflow.org/v2_component': 'true' },
    annotations: { 'workflows.argoproj.io/node-name': `train-pipeline-${i}.root-driver`, 'pipelines.kubeflow.org/v2_pipeline': 'true' },
  },
  spec: {
    serviceAccountName: 'default-editor',
    initContainers: [{ name: 'init', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'init', '--loglevel', 'info'], volumeMounts: [{ name: 'var-run-argo', mountPath: '/var/run/argo' }] }],
    containers: [
      { name: 'wait', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'wait', '--loglevel', 'info'] },
      {
        name: 'main',
        image: 'python:3.9',
        command: ['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c'],
        args: [`python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main --component_module_path /tmp/ephemeral_component.py --executor_input '{"inputs":{"parameterValues":{"epochs":${i % 10}}}}'`],
        env: [{ name: 'KFP_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'ML_PIPELINE_SERVICE_HOST', value: 'ml-pipeline.kubeflow.svc.cluster.local' }],
        volumeMounts: [{ name: 'var-run-argo', mountPath: '/var/run/argo' }, { name: 'kfp-launcher', mountPath: '/kfp-launcher' }],
      },
    ],
    volumes: [{ name: 'var-run-argo', emptyDir: {} }, { name: 'kfp-launcher', emptyDir: {} }],
  },
});
const make = which === 'pod' ? pod : gatewayChange;
let out = '';
const run = (from: number, to: number): void => { for (let i = from; i < to; i++) { const r = evaluateObject(snapshot, { object: make(i), origin: admission } as ScannedObject, options); out = r.findings.map((f) => f.fingerprint).join() + r.introduced.length; } };
run(0, N);
const c0 = process.cpuUsage();
run(N, 2 * N);
const c = process.cpuUsage(c0);
console.log(`${which}: ${((c.user + c.system) / 1000 / N).toFixed(3)} ms CPU per evaluation, ${out.slice(0, 60)}`);

// ALLOC=1: bytes allocated per evaluation by V8's sampling heap profiler, objects either collector freed included.
if (process.env.ALLOC) {
  const session = new Session();
  session.connect();
  interface SampleNode { selfSize: number; children: SampleNode[]; callFrame: { functionName: string; url: string } }
  const post = (method: string, params?: object): Promise<{ profile?: { head: SampleNode } }> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as { profile?: { head: SampleNode } }))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  run(2 * N, 3 * N);
  const { profile } = await post('HeapProfiler.stopSampling');
  if (!profile) throw new Error('no sampling profile');
  let bytes = 0;
  const byFunction = new Map<string, number>();
  const visit = (node: SampleNode): void => {
    bytes += node.selfSize;
    const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(src|node_modules)\//, '$1/')}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  console.log(`${which}: ${(bytes / N / 1024).toFixed(1)} KB allocated per evaluation`);
  for (const [name, size] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.ALLOC_TOP ?? 0))) console.log(`  ${(size / N / 1024).toFixed(1)} KB ${name}`);
}
