import { collectManifests } from '../src/sources/manifest.js';
import { runRules } from '../src/core/engine.js';
import { buildInventory } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
const { objects } = await collectManifests({ paths: ['/work/shared/corpus/kubeflow/kubeflow-example-install.yaml'], cwd: '/', readStdin: async () => Buffer.alloc(0) });
const inventory = buildInventory(objects);
const rows: [string, number, number][] = [];
for (const rule of ALL_RULES) {
  const t0 = performance.now();
  const r1 = runRules(objects, { rules: [rule], source: 'manifest', inventory });
  const t1 = performance.now();
  runRules(objects, { rules: [rule], source: 'manifest', inventory });
  const t2 = performance.now();
  rows.push([rule.meta.id, t1 - t0, t2 - t1]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [id, first, second] of rows) console.log(first.toFixed(1).padStart(8), second.toFixed(1).padStart(8), id);
