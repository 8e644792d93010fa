/**
 * Where `kfguard scan --cluster` spends CPU beyond fetching and parsing: the scan's stages run in
 * process against a cluster served elsewhere (`bench/fake-cluster-server.ts`, test-only), each
 * stage's CPU time (process.cpuUsage) reported apart: loading client-node, listing (fetch, JSON
 * parse, normalisation) and the snapshot, the rules (all of them, then each rule alone over the
 * same snapshot for the costliest), suppressions, the report. Another helper's work on the rules
 * shows in the rules line only.
 *   node --import tsx bench/cluster-scan-phases.ts KUBECONFIG
 */
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import { runRules } from '../src/core/engine.js';
import { newSnapshot, podLabelsOf } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { ClusterSource } from '../src/sources/cluster/cluster-source.js';
import { collect } from '../src/core/source.js';
import { applySuppressions } from '../src/suppress/apply.js';
import { buildReport } from '../src/report/report.js';
import { formatterFor } from '../src/report/formats.js';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { kindsToList } from '../src/sources/cluster/catalog.js';
import { BUILTIN_KINDS } from '../src/testing/fake-apiserver/resource-table.js';
import { REPO_ROOT } from '../src/testing/shared.js';

const kubeconfig = process.argv[2];
if (!kubeconfig) throw new Error('usage: cluster-scan-phases.ts KUBECONFIG');
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const lines: string[] = [];
let at = cpu();
const lap = (label: string): void => {
  const now = cpu();
  lines.push(`${(now - at).toFixed(0).padStart(6)} ms CPU  ${label}`);
  at = now;
};
await import('@kubernetes/client-node');
lap('loading @kubernetes/client-node (under tsx; the built CLI loads its bundled chunk in about 0.27 s)');
const snapshot = newSnapshot();
const source = new ClusterSource({ kubeconfig, env: process.env, rules: ALL_RULES, namespaces: [] });
const { objects } = await collect([source], snapshot);
lap(`listing and the snapshot: ${objects.length} objects`);
const result = runRules(objects, { rules: ALL_RULES, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf });
lap(`rules (${ALL_RULES.length}), ${result.findings.length} findings`);
const suppressed = applySuppressions(result.findings, objects, DEFAULT_CONFIG, new Date().toISOString().slice(0, 10), ALL_RULES.map((r) => r.meta.id));
lap('suppressions');
const report = buildReport({ findings: suppressed.findings, inputs: source.result.stats, errors: [], ruleErrors: result.ruleErrors, coverage: result.coverage, warnings: suppressed.warnings, extensions: {} });
const json = formatterFor('json').render(report, { color: false, quiet: false, failOn: 'high', rules: ALL_RULES.map((r) => r.meta), cwd: process.cwd() });
lap(`report (json, ${(json.length / 1e6).toFixed(1)} MB)`);
// The floor: a process that fetches and JSON-parses the same lists (bench/cluster-baseline.mjs), its whole CPU time.
const served = new Map(BUILTIN_KINDS.map((k) => [`${k.group}/${k.kind}`, k]));
const paths = kindsToList(ALL_RULES).flatMap((k) => {
  const s = served.get(`${k.group}/${k.kind}`);
  return s ? [s.group === '' ? `/api/${s.version}/${s.plural}` : `/apis/${s.group}/${s.version}/${s.plural}`] : [];
});
const baseline = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'bench', 'max-rss.mjs'), join(REPO_ROOT, 'bench', 'cluster-baseline.mjs'), kubeconfig, ...paths], { encoding: 'utf8' });
lines.push(`${(Number(/BENCH_CPU_US=(\d+)/.exec(baseline.stderr)?.[1] ?? NaN) / 1000).toFixed(0).padStart(6)} ms CPU  fetch+parse baseline process, start to exit (another process)`);
console.log(lines.join('\n'));
if (process.env.BENCH_PER_RULE) {
  const costs = ALL_RULES.map((rule) => {
    const started = cpu();
    runRules(objects, { rules: [rule], config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf });
    return { id: rule.meta.id, ms: cpu() - started };
  }).sort((a, b) => b.ms - a.ms);
  console.log(costs.slice(0, 12).map((c) => `${c.ms.toFixed(0).padStart(6)} ms CPU  ${c.id}`).join('\n'));
}
