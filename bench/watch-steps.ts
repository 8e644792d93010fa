/**
 * The watch's live set along the changes, away from the machine's load: the bench cluster
 * (bench/fake-cluster-server.ts, BENCH_CLUSTER_SCALE) and `kfguard watch` (built binary, with
 * --expose-gc), the changes sent in BENCH_STEPS steps of BENCH_STEP_EVENTS at BENCH_WATCH_RATE; after
 * each step the churn stops until the watch has judged everything (its CPU time stops moving, after
 * a periodic full evaluation), then the watch collects twice and reports its heap (the live set),
 * by space, and its RSS. Flat = nothing kept grows with the number of events.
 *   node --import tsx bench/watch-steps.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../src/testing/shared.js';

const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 0.3);
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const STEP = Number(process.env.BENCH_STEP_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_WATCH_RATE ?? 1_000);
const CHANGE = process.env.BENCH_WATCH_CHANGE ?? 'value';
/** BENCH_HEAP_SNAPSHOTS=1: a heap snapshot (bench/live-probe.mjs) at each sample too, for diffs. */
const SNAPSHOTS = process.env.BENCH_HEAP_SNAPSHOTS === '1';
/** BENCH_KFGUARD_BIN: another build's bin/kfguard.js (a copy of bin/, dist/, data/ and package.json), for A/B runs. */
const BIN = process.env.BENCH_KFGUARD_BIN ?? join(REPO_ROOT, 'bin', 'kfguard.js');
const flags = (process.env.BENCH_WATCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');

const server = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'fake-cluster-server.ts')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BENCH_CLUSTER_SCALE: String(SCALE) } });
const serverLines = createInterface({ input: server.stdout! });
const waiters: ((line: string) => boolean)[] = [];
serverLines.on('line', (line) => {
  for (let i = 0; i < waiters.length; i++) if (waiters[i]!(line)) waiters.splice(i--, 1);
});
const nextLine = (prefix: string, lines = waiters): Promise<string> => new Promise((resolve) => lines.push((line) => (line.startsWith(prefix) ? (resolve(line), true) : false)));
const lineWith = (text: string, lines: typeof waiters): Promise<string> => new Promise((resolve) => lines.push((line) => (line.includes(text) ? (resolve(line), true) : false)));
const [, kubeconfig, objectCount] = (await nextLine('READY')).split(' ');
console.log(`fake API server (test-only): ${objectCount} objects, scale ${SCALE}; ${STEPS} steps of ${STEP} changes at ${RATE}/s; change ${CHANGE}`);

const watch = spawn(process.execPath, ['--expose-gc', '--import', join(REPO_ROOT, 'bench', 'live-probe.mjs'), ...flags, BIN, 'watch', '--kubeconfig', kubeconfig!], { stdio: ['ignore', 'pipe', 'pipe'] });
createInterface({ input: watch.stdout! }).on('line', () => {});
const watchWaiters: ((line: string) => boolean)[] = [];
createInterface({ input: watch.stderr! }).on('line', (line) => {
  for (let i = 0; i < watchWaiters.length; i++) if (watchWaiters[i]!(line)) watchWaiters.splice(i--, 1);
});
console.log(await lineWith('synced:', watchWaiters));
const cpuMs = (): number => {
  const fields = readFileSync(`/proc/${watch.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Waits until the watch's CPU time moves less than 2% of a core over 3 s. */
async function idle(): Promise<void> {
  for (;;) {
    const before = cpuMs();
    await sleep(3_000);
    if (cpuMs() - before < 60) return;
  }
}
async function live(): Promise<string> {
  const line = nextLine('LIVE ', watchWaiters);
  watch.kill('SIGUSR2');
  const sample = JSON.parse((await line).slice('LIVE '.length)) as { rss: number; heapUsed: number; spaces: Record<string, [number, number]> };
  if (SNAPSHOTS) {
    const written = nextLine('SNAP ', watchWaiters);
    watch.kill('SIGWINCH');
    console.log(await written);
  }
  return `live heap ${sample.heapUsed.toFixed(1)} MB (old ${sample.spaces.old![0]}, large ${sample.spaces.large_object![0]}, new ${sample.spaces.new![0]}), RSS ${sample.rss.toFixed(0)} MB`;
}
await idle();
console.log(`synced: ${await live()}`);
for (let step = 0; step < STEPS; step++) {
  const done = nextLine('CHURNED');
  server.stdin!.write(`churn ${RATE} ${STEP} ${step * STEP}\n`);
  await done;
  // A periodic full evaluation follows changes within --resync (10 s); let it run and finish.
  await sleep(12_000);
  await idle();
  console.log(`${String((step + 1) * STEP).padStart(7)} changes: ${await live()}`);
}
watch.kill('SIGTERM');
server.stdin!.write('exit\n');
