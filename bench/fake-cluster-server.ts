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
import { kubeconfigFor } from '../src/testing/fake-apiserver/kubeconfig.js';
import { startFakeApiServer } from '../src/testing/fake-apiserver/server.js';
import { generateCluster } from './cluster-objects.js';
import { labelsOf } from '../src/core/object.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);

const objects = generateCluster(SCALE);
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
      server.update({ ...pod, metadata: { ...pod.metadata, labels: { ...labelsOf(pod), revision: String(done) } } });
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
