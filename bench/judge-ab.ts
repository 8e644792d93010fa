/**
 * The judging of `scan --cluster` in one process, for two trees alternately: the bench cluster
 * (`cluster-objects.ts`, BENCH_CLUSTER_SCALE, default 0.3) with a live list's added fields, put
 * in a snapshot, judged ahead object by object (`JudgeAhead.judge`) and then in the full
 * evaluation, once per round with tree A's modules and once with tree B's, in alternating order.
 * Both run under the same load in the same process, so their CPU times (process.cpuUsage) can be
 * compared where separate processes on a shared machine cannot. Prints each round and the medians.
 *   KFGUARD_SRC_A=/path/to/base/src KFGUARD_SRC_B=/path/to/this/src node --expose-gc --import tsx bench/judge-ab.ts [ROUNDS]
 * Each tree must have its own node_modules (a symlink will do).
 */
import type * as EngineModule from '../src/core/engine.js';
import type * as JudgeAheadModule from '../src/core/judge-ahead.js';
import type { ScannedObject } from '../src/core/types.js';
import type * as InventoryModule from '../src/k8s/inventory.js';
import type * as RulesModule from '../src/rules/index.js';
import { generateCluster } from './cluster-objects.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 0.3);
const ROUNDS = Number(process.argv[2] ?? 6);
const own = new URL('../src/', import.meta.url).href;

async function tree(src: string | undefined): Promise<{ JudgeAhead: typeof JudgeAheadModule.JudgeAhead; rules: typeof RulesModule.ALL_RULES; newSnapshot: typeof InventoryModule.newSnapshot; runRules: typeof EngineModule.runRules }> {
  const root = src ? new URL(src.endsWith('/') ? src : `${src}/`, 'file:///').href : own;
  const at = (path: string): string => new URL(path, root).href;
  return {
    JudgeAhead: ((await import(at('core/judge-ahead.ts'))) as typeof JudgeAheadModule).JudgeAhead,
    rules: ((await import(at('rules/index.ts'))) as typeof RulesModule).ALL_RULES,
    newSnapshot: ((await import(at('k8s/inventory.ts'))) as typeof InventoryModule).newSnapshot,
    runRules: ((await import(at('core/engine.ts'))) as typeof EngineModule).runRules,
  };
}

const trees = { A: await tree(process.env.KFGUARD_SRC_A), B: await tree(process.env.KFGUARD_SRC_B) };
let uid = 0;
/** Fresh objects per run, as a live list gives them (the cluster source drops managedFields). */
const listed = (): ScannedObject[] =>
  generateCluster(SCALE).map((object) => {
    uid++;
    return { object: { ...object, metadata: { ...object.metadata, uid: `u-${uid}`, resourceVersion: String(1000 + uid), creationTimestamp: '2026-12-04T00:00:00Z' } }, origin: { kind: 'cluster', context: 'bench' } };
  });
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const gc = (globalThis as { gc?: () => void }).gc;
const totals: Record<'A' | 'B', number[]> = { A: [], B: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
    const { JudgeAhead, rules, newSnapshot, runRules } = trees[name];
    const objects = listed();
    const snapshot = newSnapshot();
    for (const scanned of objects) snapshot.upsert(scanned);
    const ahead = new JudgeAhead({ rules });
    gc?.();
    let at = cpu();
    for (const scanned of objects) ahead.judge(scanned);
    const aheadMs = cpu() - at;
    at = cpu();
    const result = runRules(snapshot.all, { rules, inventory: snapshot, prejudged: ahead });
    const endMs = cpu() - at;
    totals[name].push(aheadMs + endMs);
    console.log(`round ${round} ${name}: ahead ${aheadMs.toFixed(0)} ms, after ${endMs.toFixed(0)} ms CPU, ${result.findings.length} findings`);
  }
}
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
console.log(`${uid / (2 * ROUNDS)} objects, ${ROUNDS} rounds; median judging CPU: A ${median(totals.A).toFixed(0)} ms, B ${median(totals.B).toFixed(0)} ms (B/A ${(median(totals.B) / median(totals.A)).toFixed(3)})`);
