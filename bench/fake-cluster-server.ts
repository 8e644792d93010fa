/**
 * `npm run bench:cluster` helper, test-only code: the fake API server (src/testing/fake-apiserver,
 * not a real API server) serving a generated cluster, in its own process so its memory and CPU are
 * not the scanner's. Prints `READY <kubeconfig path>` once listening. Reads commands on stdin:
 * `churn RATE COUNT` changes COUNT Pods at RATE per second (label updates, and every 1,000th change
 * creates a miner Pod, printing `CREATED <name> <epoch ms>`), then prints `CHURNED <count>`.
 */
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { K8sObject } from '../src/core/types.js';
import { kubeconfigFor } from '../src/testing/fake-apiserver/kubeconfig.js';
import { startFakeApiServer } from '../src/testing/fake-apiserver/server.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);
const count = (n: number): number => Math.max(1, Math.round(n * SCALE));
const NAMESPACES = count(500);
const image = 'registry.example/team/app@sha256:' + 'a'.repeat(64);

function container(name: string): Record<string, unknown> {
  return { name, image, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }, env: [{ name: 'MODE', value: 'serve' }] };
}

function generate(): K8sObject[] {
  const objects: K8sObject[] = [];
  const ns = (i: number): string => `team-${i % NAMESPACES}`;
  for (let i = 0; i < NAMESPACES; i++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` } });
  for (let i = 0; i < count(5_000); i++) {
    objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}`, namespace: ns(i) }, spec: { replicas: 10, selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [container('app')] } } } });
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: ns(i) }, spec: { type: 'ClusterIP', selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  for (let i = 0; i < count(50_000); i++) {
    const owner = i % count(5_000);
    objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${owner}-7d9f8c6b5-${i}`, namespace: ns(owner), labels: { app: `app-${owner}`, 'pod-template-hash': '7d9f8c6b5' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${owner}-7d9f8c6b5`, controller: true, uid: `rs-${owner}` }] }, spec: { serviceAccountName: 'default', containers: [container('app')] } });
  }
  for (let i = 0; i < count(2_000); i++) {
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `edit-${i}`, namespace: ns(i) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: `user-${i}@example.com`, apiGroup: 'rbac.authorization.k8s.io' }] });
  }
  return objects;
}

const objects = generate();
const server = await startFakeApiServer({ objects, bookmarkIntervalMs: 5_000, watchWindow: 200_000 });
const dir = mkdtempSync(join(tmpdir(), 'kfguard-bench-cluster-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, kubeconfigFor(server));
const pods = objects.filter((o) => o.kind === 'Pod');
process.stdout.write(`READY ${kubeconfig} ${objects.length}\n`);

async function churn(rate: number, total: number): Promise<void> {
  const started = Date.now();
  for (let done = 0; done < total; ) {
    // Paced in 10 ms slices: RATE changes per second on average, in small bursts.
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    for (; done < due; done++) {
      if (done % 1_000 === 999) {
        const name = `miner-${done}`;
        server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team-0' }, spec: { containers: [{ name: 'c', image: 'xmrig/xmrig:6.21.0', args: ['-o', 'stratum+tcp://pool.supportxmr.com:3333'] }] } });
        process.stdout.write(`CREATED ${name} ${Date.now()}\n`);
        continue;
      }
      const pod = pods[done % pods.length]!;
      server.update({ ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata?.labels, revision: String(done) } } });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  process.stdout.write(`CHURNED ${total}\n`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, rate, total] = line.trim().split(' ');
  if (command === 'churn') void churn(Number(rate), Number(total));
  if (command === 'exit') void server.close().then(() => process.exit(0));
});
