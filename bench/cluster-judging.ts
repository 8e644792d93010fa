/**
 * CPU per watched change, in process (no server, no sockets), for profiling `kfguard watch`'s
 * judging apart from the machine's load: the bench cluster's objects (BENCH_CLUSTER_SCALE) in a
 * snapshot, one full evaluation, then BENCH_CHANGES Pod label updates judged as the watch judges
 * queued updates (`judgeStored`) and, every 1,000th change, a new miner Pod judged as the watch
 * judges a new object (`judgeChange`). Reports CPU time (process.cpuUsage), not wall time, and,
 * with --expose-gc, the heap after a full collection at each fifth of the changes (flat = nothing
 * grows with the number of events). Then BENCH_DELETES Pods deleted as the watch judges a delete
 * (`judgeChange` before the snapshot drops it, then `judgeUpdatedDependents` with the deleted copy,
 * BENCH_DELETE_BATCH a slice: the objects that read the Pod are judged again).
 *   node --expose-gc --import tsx bench/cluster-judging.ts
 */
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import type { K8sObject, ScannedObject } from '../src/core/types.js';
import { newSnapshot } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { generateCluster } from './cluster-objects.js';
import { LiveEvaluator } from '../src/watch/live-evaluator.js';
import { labelsOf } from '../src/core/object.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 0.3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 5_000);
/** Every how many changes a new miner Pod appears; 0 for none. */
const NEW_EVERY = Number(process.env.BENCH_NEW_EVERY ?? 1_000);
/** Pods deleted after the changes, each judged as the watch judges a delete; 0 for none. */
const DELETES = Number(process.env.BENCH_DELETES ?? 200);
/** Deletes judged together, as those read in one 20 ms slice are; 1 is the worst case. */
const DELETE_BATCH = Math.max(1, Number(process.env.BENCH_DELETE_BATCH ?? 1));
const origin = { kind: 'cluster', context: 'bench' } as const;
const objects = generateCluster(SCALE);
const snapshot = newSnapshot();
for (const object of objects) snapshot.upsert({ object, origin });
const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
let at = cpu();
evaluator.reconcile(snapshot);
console.log(`${objects.length} objects; full evaluation ${(cpu() - at).toFixed(0)} ms CPU`);
const pods = objects.filter((o) => o.kind === 'Pod');
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): string => {
  gc?.();
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
};
const heaps: string[] = [heapMb()];
let updates = 0;
let creates = 0;
const createCosts: number[] = [];
at = cpu();
for (let done = 0; done < CHANGES; done++) {
  if (gc && done > 0 && done % Math.ceil(CHANGES / 5) === 0) {
    const paused = cpu();
    heaps.push(heapMb());
    at += cpu() - paused;
  }
  if (NEW_EVERY > 0 && done % NEW_EVERY === NEW_EVERY - 1) {
    const miner: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `miner-${done}`, namespace: 'team-0' }, spec: { containers: [{ name: 'c', image: 'xmrig/xmrig:6.21.0', args: ['-o', 'stratum+tcp://pool.supportxmr.com:3333'] }] } };
    const scanned: ScannedObject = { object: miner, origin };
    const started = cpu();
    evaluator.judgeChange({ type: 'upsert', scanned }, snapshot);
    snapshot.upsert(scanned);
    createCosts.push(cpu() - started);
    creates++;
    continue;
  }
  const pod = pods[done % pods.length]!;
  const scanned: ScannedObject = { object: { ...pod, metadata: { ...pod.metadata, labels: { ...labelsOf(pod), revision: String(done) } } }, origin };
  snapshot.upsert(scanned);
  evaluator.judgeStored(scanned, snapshot);
  updates++;
}
const total = cpu() - at;
const createTotal = createCosts.reduce((a, b) => a + b, 0);
console.log(`${updates} updates: ${(((total - createTotal) / updates) * 1000).toFixed(0)} µs CPU each (snapshot upsert and judging); ${creates} new miner Pods: ${createCosts.map((c) => c.toFixed(0)).join(' ')} ms CPU each`);
heaps.push(heapMb());
if (gc) console.log(`heap after full GC at 0%, 20%, 40%, 60%, 80%, 100% of the changes: ${heaps.join(' ')} MB (${snapshot.size} objects held)`);
if (DELETES > 0) {
  // Spread over the cluster: every (pods / DELETES)th Pod, so namespaces and Services vary.
  const step = Math.max(1, Math.floor(pods.length / DELETES));
  const costs: number[] = [];
  let batch: ScannedObject[] = [];
  let batchStarted = cpu();
  for (let i = 0; i < pods.length && costs.length < DELETES; i += step) {
    const stored = snapshot.copiesOf(pods[i]!)[0];
    if (!stored) continue;
    if (batch.length === 0) batchStarted = cpu();
    evaluator.judgeChange({ type: 'delete', object: stored.object }, snapshot);
    snapshot.delete(stored.object);
    batch.push(stored);
    // As the watch does in the next slice, with the deletes read meanwhile (BENCH_DELETE_BATCH).
    if (batch.length >= DELETE_BATCH) {
      evaluator.judgeUpdatedDependents(batch, snapshot);
      const each = (cpu() - batchStarted) / batch.length;
      for (const _ of batch) costs.push(each);
      batch = [];
    }
  }
  costs.sort((a, b) => a - b);
  const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
  console.log(`${costs.length} Pod deletes, ${DELETE_BATCH} a slice: ${(mean * 1000).toFixed(0)} µs CPU each on average, median ${(costs[Math.floor(costs.length / 2)]! * 1000).toFixed(0)} µs, max ${costs[costs.length - 1]!.toFixed(1)} ms`);
}
