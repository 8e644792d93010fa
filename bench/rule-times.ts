/**
 * `node --import tsx bench/rule-times.ts [FILE]`: per-rule cost on one input, first run (caches
 * cold, JIT cold) and second run, to find which rule a slow scan spends its time in.
 */
import { runRules } from '../src/core/engine.js';
import { buildInventory } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { collectManifests } from '../src/sources/manifest.js';
import { sharedPath } from '../src/testing/shared.js';

const file = process.argv[2] ?? sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
const { objects } = await collectManifests({ paths: [file], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
const inventory = buildInventory(objects);
const rows: [string, number, number][] = [];
for (const rule of ALL_RULES) {
  const timeOnce = (): number => {
    const started = performance.now();
    runRules(objects, { rules: [rule], inventory });
    return performance.now() - started;
  };
  rows.push([rule.meta.id, timeOnce(), timeOnce()]);
}
rows.sort((a, b) => b[1] - a[1]);
console.log('   first   second  rule (ms)');
for (const [id, first, second] of rows) console.log(`${first.toFixed(1).padStart(8)} ${second.toFixed(1).padStart(8)}  ${id}`);
