/**
 * What a compacting full collection costs the watch's heap, in CPU time (load-independent): the
 * bench cluster (BENCH_CLUSTER_SCALE) in a snapshot judged as the watch judges it, then
 * BENCH_CHANGES Pod updates arriving as the watch reads them (each a fresh JSON parse, so old copies
 * die scattered in the old generation), then full collections with and without
 * `--compact-on-every-full-gc`, each timed in CPU (all threads: process.cpuUsage) and wall.
 *   node --expose-gc --import tsx bench/compaction-cost.ts
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import type { K8sObject, ScannedObject } from '../src/core/types.js';
import { newSnapshot } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { LiveEvaluator } from '../src/watch/live-evaluator.js';
import { generateCluster } from './cluster-objects.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 0.3);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const origin = { kind: 'cluster', context: 'bench' } as const;
const snapshot = newSnapshot();
// The objects arrive as text, as from the API server: nothing is shared with the generator's copies.
const podTexts: string[] = [];
for (const object of generateCluster(SCALE)) {
  const text = JSON.stringify(object);
  if (object.kind === 'Pod') podTexts.push(text);
  snapshot.upsert({ object: JSON.parse(text) as K8sObject, origin });
}
const evaluator = new LiveEvaluator({ rules: ALL_RULES, config: DEFAULT_CONFIG });
evaluator.reconcile(snapshot);
for (let done = 0; done < CHANGES; done++) {
  const object = JSON.parse(podTexts[done % podTexts.length]!) as K8sObject;
  (object.metadata!.labels as Record<string, string>)['pod-template-hash'] = String(1e9 + done).slice(1);
  const scanned: ScannedObject = { object, origin };
  snapshot.upsert(scanned);
  evaluator.judgeStored(scanned, snapshot);
}
const old = (): string => {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!;
  return `old space used ${(space.space_used_size / 2 ** 20).toFixed(0)} MB, committed ${(space.physical_space_size / 2 ** 20).toFixed(0)} MB`;
};
const timed = (label: string): void => {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  gc();
  const { user, system } = process.cpuUsage(cpu);
  console.log(`${label}: ${((user + system) / 1000).toFixed(0)} ms CPU, ${(performance.now() - wall).toFixed(0)} ms wall; ${old()}`);
};
console.log(`scale ${SCALE}, ${snapshot.size} objects, ${CHANGES} changes; before: ${old()}`);
timed('full collection');
timed('full collection');
setFlagsFromString('--compact-on-every-full-gc');
timed('compacting full collection');
setFlagsFromString('--no-compact-on-every-full-gc');
timed('full collection');
setFlagsFromString('--compact-on-every-full-gc');
timed('compacting full collection');
