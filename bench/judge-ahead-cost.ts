/**
 * What judging ahead costs per object, in process and without a server: `npm run bench:cluster`'s
 * generated cluster (BENCH_CLUSTER_SCALE, default 1) with the fields a live list adds and the cluster
 * source keeps (uid, resourceVersion, creationTimestamp; it drops managedFields), each object put into a snapshot and then
 * judged as `scan --cluster` judges it while the lists are on the wire (`JudgeAhead.judge`), then
 * the full evaluation replaying those verdicts. Prints CPU time (process.cpuUsage) of both parts.
 * With BENCH_ALLOC=FILE it also writes a sampled allocation profile of the judging ahead, counting
 * objects already collected (what feeds the young-generation collector), for `--heap-prof`-style tools.
 *   node --import tsx bench/judge-ahead-cost.ts
 *   valgrind --tool=callgrind node --import tsx bench/judge-ahead-cost.ts   (BENCH_CLUSTER_SCALE=0.2: a load-independent A/B)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { runRules } from '../src/core/engine.js';
import { JudgeAhead } from '../src/core/judge-ahead.js';
import type { ScannedObject } from '../src/core/types.js';
import { newSnapshot } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { generateCluster } from './cluster-objects.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);
const ALLOC = process.env.BENCH_ALLOC;
let uid = 0;
const live = (object: ScannedObject['object']): ScannedObject['object'] => {
  uid++;
  return { ...object, metadata: { ...object.metadata, uid: `u-${uid}`, resourceVersion: String(1000 + uid), creationTimestamp: '2026-12-04T00:00:00Z' } };
};
const objects: ScannedObject[] = generateCluster(SCALE).map((object) => ({ object: live(object), origin: { kind: 'cluster', context: 'bench' } as const }));
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const snapshot = newSnapshot();
const ahead = new JudgeAhead({ rules: ALL_RULES });
for (const scanned of objects) snapshot.upsert(scanned);
const session = ALLOC ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}
let at = cpu();
for (const scanned of objects) ahead.judge(scanned);
const aheadMs = cpu() - at;
if (session && ALLOC) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(ALLOC, JSON.stringify(profile));
}
at = cpu();
const result = runRules(snapshot.all, { rules: ALL_RULES, inventory: snapshot, prejudged: ahead });
const endMs = cpu() - at;
console.log(`${objects.length} objects: judging ahead ${aheadMs.toFixed(0)} ms CPU (${((aheadMs * 1000) / objects.length).toFixed(1)} µs/object, ${ahead.tally.kept} kept); full evaluation after ${endMs.toFixed(0)} ms CPU; ${result.findings.length} findings`);
