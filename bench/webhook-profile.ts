/**
 * `node --import tsx bench/webhook-profile.ts [real|threat|baseline] [seconds]`: CPU-profiles one
 * webhook server of `npm run bench:webhook` under closed-loop load (16 connections) and prints where
 * its time goes, by function and by source file (the server bundle is not minified, so esbuild's
 * `// src/….ts` markers charge each sample to its module). The load generator runs in its own process.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { generateCertificates } from '../src/webhook/certs.js';
import type { LoadResult } from './webhook-load.js';

const [mode = 'real', seconds = '5'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'kfguard-prof-webhook-'));
const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] });
writeFileSync(join(dir, 'tls.crt'), certs.cert);
writeFileSync(join(dir, 'tls.key'), certs.key);
const bundle = join(fileURLToPath(new URL('.', import.meta.url)), '.out', 'webhook-server.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('./webhook-server.ts', import.meta.url))],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
});
const { body } = await import('./webhook-review.js');

const once = <T>(child: ChildProcess, pick: (m: Record<string, unknown>) => T | undefined): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: Record<string, unknown>): void => {
      const v = pick(m);
      if (v === undefined) return;
      child.off('message', on);
      resolve(v);
    };
    child.on('message', on);
  });
// PROFILE_PERF=1: sample on-CPU time with Linux perf instead (the V8 profile samples wall-clock time, which on a
// shared machine charges preemption to whatever native call was running, typically the socket write).
const usePerf = process.env.PROFILE_PERF === '1';
const server = fork(bundle, [mode, join(dir, 'tls.crt'), join(dir, 'tls.key')], { execArgv: usePerf ? ['--perf-basic-prof'] : ['--cpu-prof', '--cpu-prof-dir', dir], cwd: dir, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
server.stdout?.resume();
const port = await once(server, (m) => (typeof m.port === 'number' ? m.port : undefined));
const loader = fork(fileURLToPath(new URL('./webhook-load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const result = once(loader, (m) => m.result as LoadResult | undefined);
// CPU time the server spent (user and system, from /proc), which preemption on a shared machine does not inflate as it does the profile's wall-clock samples.
const cpuTicks = (): [number, number] => {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return [Number(fields[11]), Number(fields[12])];
};
const cpuBefore = cpuTicks();
const perf = process.env.PROFILE_STRACE === '1' ? spawn('strace', ['-f', '-c', '-o', '/tmp/pw/strace.txt', '-p', String(server.pid)], { stdio: 'ignore' }) : usePerf ? spawn('perf', ['record', '-e', 'cpu-clock', '-F', '999', '-g', '-o', join(dir, 'perf.data'), '-p', String(server.pid)], { stdio: 'ignore' }) : undefined;
loader.send({ port, ca: certs.caCert, body, phase: 'throughput', durationMs: Number(seconds) * 1000, concurrency: 16 });
const { completed, elapsedMs } = await result;
const cpuAfter = cpuTicks();
if (perf) {
  const stopped = new Promise((resolve) => perf.once('exit', resolve));
  perf.kill('SIGINT');
  await stopped;
}
const exited = new Promise((resolve) => server.once('exit', resolve));
server.send('stop');
await exited;

if (perf) {
  const tickUs = 1e6 / 100;
  console.log(`${mode}: ${completed} reviews (${((completed / elapsedMs) * 1000).toFixed(0)}/s); server CPU user ${(((cpuAfter[0] - cpuBefore[0]) * tickUs) / completed).toFixed(0)} µs/review, system ${(((cpuAfter[1] - cpuBefore[1]) * tickUs) / completed).toFixed(0)} µs/review`);
  const report = spawnSync('perf', ['report', '-i', join(dir, 'perf.data'), '--stdio', '--no-children', '--sort', process.env.PROFILE_SORT ?? 'dso,sym', '-g', 'none', '--percent-limit', '0.7'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  console.log(report.stdout.split('\n').filter((l) => l && !l.startsWith('#')).join('\n'));
  process.exit(0);
}
const moduleAt: string[] = [];
let current = '(bundle)';
for (const line of readFileSync(bundle, 'utf8').split('\n')) {
  const marker = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line);
  if (marker) current = (marker[1] ?? '').replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'node_modules/$1');
  moduleAt.push(current);
}
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) ?? ''), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const fileOf = (f: Node['callFrame']): string => (f.url.endsWith('webhook-server.mjs') ? (moduleAt[f.lineNumber] ?? '(bundle)') : f.url ? f.url.replace(/^.*\//, '') : `(${f.functionName || 'native'})`);
const keyOf = (f: Node['callFrame']): string => `${f.functionName || '(anonymous)'}  ${fileOf(f)}`;
const self = new Map<string, number>();
const files = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (m: Map<string, number>, k: string, v: number): void => void m.set(k, (m.get(k) ?? 0) + v);
let busyUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i + 1] ?? 0;
  const f = (byId.get(id) as Node).callFrame;
  if (f.functionName === '(idle)') return;
  busyUs += us;
  add(self, keyOf(f), us);
  add(files, fileOf(f), us);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) seen.add(keyOf((byId.get(at) as Node).callFrame));
  for (const k of seen) add(inclusive, k, us);
});
const perReview = (us: number): string => `${(us / completed).toFixed(1).padStart(7)} µs/review`;
console.log(`${mode}: ${completed} reviews in ${(elapsedMs / 1000).toFixed(1)} s (${((completed / elapsedMs) * 1000).toFixed(0)}/s); busy ${perReview(busyUs)}`);
const tickUs = 1e6 / 100;
console.log(`server CPU (includes the 400-review warm-up): user ${(((cpuAfter[0] - cpuBefore[0]) * tickUs) / completed).toFixed(0)} µs/review, system ${(((cpuAfter[1] - cpuBefore[1]) * tickUs) / completed).toFixed(0)} µs/review`);
const top = Number(process.env.PROFILE_TOP ?? 30);
for (const [title, map] of [['self time by function', self], ['self time by file', files], ['inclusive time by function', inclusive]] as const) {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${perReview(v)}  ${k}`);
}
