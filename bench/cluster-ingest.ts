/**
 * In-process CPU time of what `scan --cluster` does after the wire, without a server: the
 * generated cluster (bench/cluster-objects.ts) serialised as list pages of 500, then, per round,
 * JSON.parse of every page (the floor the fetch+parse baseline pays), normalisation to file form,
 * snapshot upserts, the rules and the suppressions. Rounds interleave, medians are reported, so a
 * change to ingestion can be A/B'd on a loaded machine without the fake server's noise.
 *   node --import tsx bench/cluster-ingest.ts [SCALE] [ROUNDS]
 */
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import { runRules } from '../src/core/engine.js';
import type { ScannedObject } from '../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { toFileForm } from '../src/sources/cluster/normalise.js';
import { applySuppressions } from '../src/suppress/apply.js';
import { generateCluster } from './cluster-objects.js';

const scale = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 5);
const objects = generateCluster(scale);
/** Pages as the API server sends them: items without apiVersion and kind, grouped by kind. */
const pages: { text: string; apiVersion: string; kind: string }[] = [];
const byKind = new Map<string, typeof objects>();
for (const o of objects) {
  const key = `${o.apiVersion}\u0000${o.kind}`;
  const list = byKind.get(key);
  if (list) list.push(o);
  else byKind.set(key, [o]);
}
for (const [key, list] of byKind) {
  const [apiVersion, kind] = key.split('\u0000') as [string, string];
  for (let i = 0; i < list.length; i += 500) {
    const items = list.slice(i, i + 500).map(({ apiVersion: _v, kind: _k, ...rest }) => rest);
    pages.push({ text: JSON.stringify({ metadata: {}, items }), apiVersion, kind });
  }
}
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const times = new Map<string, number[]>();
const lap = (label: string, started: number): number => {
  const now = cpu();
  times.set(label, [...(times.get(label) ?? []), now - started]);
  return now;
};
const origin = { kind: 'cluster', context: 'bench' } as const;
for (let round = 0; round < rounds; round++) {
  let at = cpu();
  const parsed = pages.map((page) => ({ page, body: JSON.parse(page.text) as { items: unknown[] } }));
  at = lap('JSON.parse (the floor)', at);
  const normalised = parsed.flatMap(({ page, body }) => body.items.map((item) => toFileForm(item, page.apiVersion, page.kind)));
  at = lap('normalise', at);
  const snapshot = newSnapshot();
  for (const object of normalised) snapshot.upsert({ object, origin });
  const all: readonly ScannedObject[] = snapshot.all;
  at = lap('snapshot upserts', at);
  const result = runRules(all, { rules: ALL_RULES, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf });
  at = lap(`rules (${result.findings.length} findings)`, at);
  applySuppressions(result.findings, all, DEFAULT_CONFIG, '2026-12-04', ALL_RULES.map((r) => r.meta.id));
  lap('suppressions', at);
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`${objects.length} objects, ${pages.length} pages, ${rounds} rounds (CPU ms, median and range)`);
for (const [label, v] of times) console.log(`${median(v).toFixed(0).padStart(6)}  [${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}]  ${label}`);
