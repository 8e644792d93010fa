/**
 * `npm run bench:webhook`: the real webhook server (stock-install snapshot, every admission rule)
 * against a minimal Node HTTPS server that only answers `allowed: true`, both driven in the same
 * run with the same ~2 KB pipeline-Pod AdmissionReview from a keep-alive client on loopback.
 * Reports the throughput ratio (closed loop, fixed concurrency) and p99 at 500 requests/s.
 * Known flaw: client and both servers share one process and event loop, so the open-loop p99 is
 * dominated by the client itself (the baseline shows it); the load generator belongs in a worker.
 */
import { Agent, createServer, request } from 'node:https';
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import { newSnapshot } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { collectManifests } from '../src/sources/manifest.js';
import { sharedAvailable, sharedPath } from '../src/testing/shared.js';
import { generateCertificates } from '../src/webhook/certs.js';
import { silentLogger } from '../src/webhook/logging.js';
import { WebhookMetrics } from '../src/webhook/metrics.js';
import { WebhookServer } from '../src/webhook/server.js';
import { DEFAULT_DECISION_SETTINGS } from '../src/webhook/settings.js';

if (!sharedAvailable) {
  console.log('bench:webhook skipped: ../shared (the stock install) is missing');
  process.exit(0);
}
const DURATION_MS = Number(process.env.BENCH_WEBHOOK_MS ?? 5_000);
const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] });
const { objects } = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
const snapshot = newSnapshot();
for (const scanned of objects) snapshot.upsert(scanned);

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'train-pipeline-system-container-impl-1', namespace: 'kubeflow-user-example-com', labels: { 'workflows.argoproj.io/workflow': 'train-pipeline', 'pipelines.kubeflow.org/v2_component': 'true' }, annotations: { 'workflows.argoproj.io/node-name': 'train-pipeline.root-driver' } },
  spec: {
    serviceAccountName: 'default-editor',
    initContainers: [{ name: 'init', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'init', '--loglevel', 'info'] }],
    containers: [
      { name: 'wait', image: 'quay.io/argoproj/argoexec:v3.4.17', command: ['argoexec', 'wait', '--loglevel', 'info'] },
      { name: 'main', image: 'python:3.9', command: ['/var/run/argo/argoexec', 'emissary', '--', 'sh', '-c'], args: ["python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main --component_module_path /tmp/ephemeral_component.py --executor_input '{\"inputs\":{\"parameterValues\":{\"epochs\":3}}}'"], env: [{ name: 'ML_PIPELINE_SERVICE_HOST', value: 'ml-pipeline.kubeflow.svc.cluster.local' }] },
    ],
  },
};
const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'bench', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', namespace: pod.metadata.namespace, userInfo: { username: 'system:serviceaccount:kubeflow:argo', groups: [] }, object: pod } });

const real = new WebhookServer({ tls: { cert: Buffer.from(certs.cert), key: Buffer.from(certs.key) }, snapshotSource: 'bench', context: { rules: ALL_RULES, config: DEFAULT_CONFIG, settings: DEFAULT_DECISION_SETTINGS, metrics: new WebhookMetrics(), logger: silentLogger() } });
const realPort = (await real.listen(0, '127.0.0.1')).port;
real.setSnapshot({ snapshot, objects: objects.length, problems: [], loadedAt: Date.now() });
const baseline = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const uid = (JSON.parse(Buffer.concat(chunks).toString()) as { request: { uid: string } }).request.uid;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } }));
  });
});
await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
const basePort = (baseline.address() as { port: number }).port;

function post(port: number, agent: Agent): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/validate', ca: certs.caCert, agent, servername: 'kfguard-webhook.kfguard.svc', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Closed loop: `concurrency` clients each sending the next review when the last is answered. */
async function throughput(port: number, concurrency = 16): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const end = performance.now() + DURATION_MS;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      await post(port, agent);
      done += 1;
    }
  }));
  agent.destroy();
  return (done / DURATION_MS) * 1000;
}

/** Open loop at `rps`: latencies of reviews sent on a fixed schedule. */
async function latencyAt(port: number, rps: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round((rps * DURATION_MS) / 1000);
  const start = performance.now();
  const pending: Promise<number>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(post(port, agent));
  }
  const latencies = await Promise.all(pending);
  agent.destroy();
  return latencies.sort((a, b) => a - b);
}

const p = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
for (const port of [basePort, realPort]) await throughput(port, 4); // warm-up: JIT, TLS sessions
const baseRps = await throughput(basePort);
const realRps = await throughput(realPort);
const baseLat = await latencyAt(basePort, 500);
const realLat = await latencyAt(realPort, 500);
const ratio = realRps / baseRps;
console.log('| server | throughput (16 clients) | p50 at 500 rps | p99 at 500 rps |');
console.log('|---|---:|---:|---:|');
console.log(`| minimal HTTPS, allowed: true | ${baseRps.toFixed(0)}/s | ${p(baseLat, 0.5).toFixed(2)} ms | ${p(baseLat, 0.99).toFixed(2)} ms |`);
console.log(`| kfguard webhook, stock snapshot, every rule | ${realRps.toFixed(0)}/s | ${p(realLat, 0.5).toFixed(2)} ms | ${p(realLat, 0.99).toFixed(2)} ms |`);
console.log(`\nthroughput ratio ${(ratio * 100).toFixed(0)}% (target ≥ 70%: ${ratio >= 0.7 ? 'met' : 'not met'}); p99 at 500 rps ${p(realLat, 0.99).toFixed(2)} ms (target ≤ 10 ms: ${p(realLat, 0.99) <= 10 ? 'met' : 'not met'})`);
await real.drain(1_000);
baseline.close();
baseline.closeAllConnections();
