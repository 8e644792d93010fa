/**
 * `node --import tsx bench/rule-shares.ts FILE|--cluster=SCALE [ROUNDS]`: each rule's share of one combined run of
 * every rule over FILE (the scan's order, caches shared between rules as in a scan), and the
 * engine's own share (forming and locating findings, budgets). Unlike `rule-times.ts`, which runs
 * each rule alone and so charges shared work (the container walk) to whichever rule runs first,
 * this charges each rule only what it adds in a real run. Rounds after the first are warm; the
 * figures printed are each rule's median over the warm rounds, in CPU time (process.cpuUsage around
 * each check, so load on a shared machine does not inflate them as it does wall time).
 * `--cluster=SCALE` judges `npm run bench:cluster`'s generated cluster instead, as a cluster listing
 * (cluster origins, no locator), which is what `scan --cluster` spends its judging on.
 */
import { runRules } from '../src/core/engine.js';
import type { Rule } from '../src/core/rule.js';
import { buildInventory } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { locate } from '../src/sources/locate.js';
import { collectManifests } from '../src/sources/manifest.js';
import type { ScannedObject } from '../src/core/types.js';
import { generateCluster } from './cluster-objects.js';

const [file, roundsText] = process.argv.slice(2);
if (!file) throw new Error('usage: rule-shares.ts FILE|--cluster=SCALE [ROUNDS]');
const rounds = Number(roundsText ?? 3);
const clusterScale = /^--cluster=(.+)$/.exec(file)?.[1];
const objects: readonly ScannedObject[] = clusterScale
  ? generateCluster(Number(clusterScale)).map((object) => ({ object, origin: { kind: 'cluster', context: 'bench' } as const }))
  : (await collectManifests({ paths: [file], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) })).objects;
const inventory = buildInventory(objects);
const spent = new Map<string, number[]>();
let current = new Map<string, number>();
// Each rule's check, timed with its iterable drained: generators do their work while iterated.
const timed: Rule[] = ALL_RULES.map((rule) => {
  if (!rule.check) return rule;
  const check = rule.check.bind(rule);
  return {
    ...rule,
    check(object, ctx) {
      const started = process.cpuUsage();
      const out = [...check(object, ctx)];
      const used = process.cpuUsage(started);
      current.set(rule.meta.id, (current.get(rule.meta.id) ?? 0) + (used.user + used.system) / 1000);
      return out;
    },
  } as Rule;
});
for (let round = 0; round < rounds; round++) {
  current = new Map();
  const started = performance.now();
  const cpu = process.cpuUsage();
  runRules(objects, { rules: timed, inventory, ...(clusterScale ? {} : { locate }) });
  const total = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const inRules = [...current.values()].reduce((a, b) => a + b, 0);
  current.set('(engine, findings, inventory rules, this timing)', (used.user + used.system) / 1000 - inRules);
  current.set('(total wall)', total);
  current.set('(total CPU)', (used.user + used.system) / 1000);
  if (round === 0 && rounds > 1) continue;
  for (const [id, ms] of current) spent.set(id, [...(spent.get(id) ?? []), ms]);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rows = [...spent].map(([id, xs]) => [id, median(xs)] as const).sort((a, b) => b[1] - a[1]);
console.log(`${objects.length} objects; medians of ${Math.max(1, rounds - 1)} warm round(s)`);
console.log('      ms   µs/object  rule');
for (const [id, ms] of rows) console.log(`${ms.toFixed(1).padStart(8)} ${((ms * 1000) / objects.length).toFixed(1).padStart(10)}  ${id}`);
