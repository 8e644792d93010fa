/**
 * `npm run bench:cluster` helper, test-only code: the fake API server (src/testing/fake-apiserver,
 * not a real API server) serving a generated cluster, in its own process so its memory and CPU are
 * not the scanner's. Prints `READY <kubeconfig path>` once listening. Reads commands on stdin:
 * `churn RATE COUNT [FROM]` makes COUNT changes at RATE per second, numbered from FROM (0: a second
 * churn continues the first): Pod label updates (BENCH_WATCH_CHANGE, see `changedLabels`), and
 * every 1,000th change creates a miner Pod, printing `CREATED <name> <epoch ms>`; then prints
 * `CHURNED <count>`.
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
import type { K8sObject } from '../src/core/types.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);
/** What each Pod change changes: see `changedLabels`. */
const CHANGE = process.env.BENCH_WATCH_CHANGE ?? 'value';
if (CHANGE !== 'value' && CHANGE !== 'label') throw new Error(`BENCH_WATCH_CHANGE is value or label, not ${CHANGE}`);

const objects = generateCluster(SCALE);
const server = await startFakeApiServer({ objects, bookmarkIntervalMs: 5_000, watchWindow: 200_000 });
const dir = mkdtempSync(join(tmpdir(), 'kfguard-bench-cluster-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, kubeconfigFor(server));
const pods = objects.filter((o) => o.kind === 'Pod');
process.stdout.write(`READY ${kubeconfig} ${objects.length}\n`);

/**
 * The labels of a Pod's `done`th change. `value` (the default) rewrites the value of a label every
 * Pod has (`pod-template-hash`, 9 characters) with another of the same size, so the cluster's data
 * stays the same size whatever the number of changes, and what grows is the watch's own. `label`
 * (the bench before 2026-12-04 evening) adds a `revision` label: each Pod grows on its first
 * change, so the first pass over the Pods measures the data growing as well.
 */
function changedLabels(pod: K8sObject, done: number): Record<string, string> {
  if (CHANGE === 'label') return { ...labelsOf(pod), revision: String(done) };
  return { ...labelsOf(pod), 'pod-template-hash': (done % 16 ** 9).toString(16).padStart(9, '0') };
}

async function churn(rate: number, total: number, from = 0): Promise<void> {
  const started = Date.now();
  for (let done = from; done < from + total; ) {
    // Paced in 10 ms slices: RATE changes per second on average, in small bursts.
    const due = from + Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    for (; done < due; done++) {
      if (done % 1_000 === 999) {
        const name = `miner-${done}`;
        server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team-0' }, spec: { containers: [{ name: 'c', image: 'xmrig/xmrig:6.21.0', args: ['-o', 'stratum+tcp://pool.supportxmr.com:3333'] }] } });
        process.stdout.write(`CREATED ${name} ${Date.now()}\n`);
        continue;
      }
      const pod = pods[done % pods.length]!;
      server.update({ ...pod, metadata: { ...pod.metadata, labels: changedLabels(pod, done) } });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  process.stdout.write(`CHURNED ${total}\n`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, rate, total, from] = line.trim().split(' ');
  if (command === 'churn') void churn(Number(rate), Number(total), Number(from ?? 0));
  if (command === 'exit') void server.close().then(() => process.exit(0));
});
