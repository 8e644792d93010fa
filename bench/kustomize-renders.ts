/**
 * `npm run bench:kustomize`: collecting 20 one-ConfigMap kustomize directories with renders one at
 * a time (renderConcurrency 1, the baseline) and with the default look-ahead, in the same run,
 * alternating, median of several rounds. Checks both give the same objects before timing counts.
 * Needs kubectl (or kustomize) on PATH.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectManifests } from '../src/sources/manifest.js';
import { defaultRenderConcurrency } from '../src/sources/render-ahead.js';

const DIRECTORIES = Number(process.env.BENCH_KUSTOMIZE_DIRS ?? 20);
const ROUNDS = Number(process.env.BENCH_KUSTOMIZE_ROUNDS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'kfguard-bench-kustomize-'));
for (let i = 0; i < DIRECTORIES; i++) {
  const dir = join(root, `d${String(i).padStart(3, '0')}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
  writeFileSync(join(dir, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${i}}\ndata: {a: b}\n`);
}
const run = async (renderConcurrency: number) => {
  const start = performance.now();
  const result = await collectManifests({ paths: ['.'], cwd: root, readStdin: () => Promise.resolve(Buffer.alloc(0)), env: process.env, renderConcurrency });
  return { ms: performance.now() - start, names: result.objects.map((o) => o.object.metadata?.name).join(','), errors: result.errors.length };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sequential: number[] = [];
const concurrent: number[] = [];
const limit = defaultRenderConcurrency();
try {
  for (let round = 0; round < ROUNDS; round++) {
    const a = await run(1);
    const b = await run(limit);
    if (a.names !== b.names || a.errors !== 0 || b.errors !== 0) throw new Error('concurrent and sequential renders disagree, or a render failed');
    sequential.push(a.ms);
    concurrent.push(b.ms);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const s = median(sequential);
const c = median(concurrent);
console.log(`${DIRECTORIES} kustomize directories, ${ROUNDS} rounds: one at a time ${s.toFixed(0)} ms, ${limit} at once ${c.toFixed(0)} ms, ratio ${(c / s).toFixed(2)}`);
