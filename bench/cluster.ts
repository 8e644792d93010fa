/**
 * `npm run bench:cluster`: kfguard against a generated cluster served by the test-only fake API
 * server (src/testing/fake-apiserver; no real API server runs here) in its own process.
 * Full size (BENCH_CLUSTER_SCALE=1): 50,000 Pods, 5,000 Deployments, 5,000 Services, 2,000
 * RoleBindings across 500 namespaces.
 * - scan: `kfguard scan --cluster -f json` (built binary) vs a process that fetches and JSON-parses
 *   the same lists with no rules (bench/cluster-baseline.mjs), interleaved, BENCH_RUNS each;
 *   wall-time ratio of medians and kfguard's peak RSS.
 * - watch: `kfguard watch` (built binary); after its sync, BENCH_WATCH_EVENTS Pod changes at
 *   BENCH_WATCH_RATE per second, every 1,000th a new miner Pod whose finding latency (creation in the
 *   server to the JSON line on kfguard's stdout) is measured; kfguard's RSS sampled as it goes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ALL_RULES } from '../src/rules/index.js';
import { kindsToList } from '../src/sources/cluster/catalog.js';
import { BUILTIN_KINDS } from '../src/testing/fake-apiserver/resource-table.js';
import { REPO_ROOT } from '../src/testing/shared.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EVENTS = Number(process.env.BENCH_WATCH_EVENTS ?? 100_000);
const RATE = Number(process.env.BENCH_WATCH_RATE ?? 1_000);
const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);
const BIN = join(REPO_ROOT, 'bin', 'kfguard.js');

const server = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'fake-cluster-server.ts')], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, BENCH_CLUSTER_SCALE: String(SCALE) } });
const serverLines = createInterface({ input: server.stdout! });
const waiters: ((line: string) => boolean)[] = [];
serverLines.on('line', (line) => {
  for (let i = 0; i < waiters.length; i++) if (waiters[i]!(line)) waiters.splice(i--, 1);
});
const nextLine = (prefix: string): Promise<string> => new Promise((resolve) => waiters.push((line) => (line.startsWith(prefix) ? (resolve(line), true) : false)));
const ready = await nextLine('READY');
const [, kubeconfig, objectCount] = ready.split(' ');
console.log(`fake API server (test-only) serving ${objectCount} objects, scale ${SCALE}`);

// The lists kfguard reads: the kinds the rules need that this cluster serves.
const served = new Map(BUILTIN_KINDS.map((k) => [`${k.group}/${k.kind}`, k]));
const paths = kindsToList(ALL_RULES).flatMap((k) => {
  const s = served.get(`${k.group}/${k.kind}`);
  return s ? [s.group === '' ? `/api/${s.version}/${s.plural}` : `/apis/${s.group}/${s.version}/${s.plural}`] : [];
});

function timed(args: string[]): { seconds: number; rssKb: number; status: number | null } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'bench', 'max-rss.mjs'), ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, rssKb: Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? 0), status: run.status };
}
// spawnSync would block this process while the server is another one: fine.
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const scans: number[] = [];
const bases: number[] = [];
let peak = 0;
for (let run = 0; run < RUNS; run++) {
  const base = timed([join(REPO_ROOT, 'bench', 'cluster-baseline.mjs'), kubeconfig!, ...paths]);
  const scan = timed([BIN, 'scan', '--cluster', '--kubeconfig', kubeconfig!, '-f', 'json', '--fail-on', 'none']);
  if (scan.status !== 0 || base.status !== 0) throw new Error(`scan exited ${scan.status}, baseline ${base.status}`);
  bases.push(base.seconds);
  scans.push(scan.seconds);
  peak = Math.max(peak, scan.rssKb);
}
if (RUNS > 0) console.log(`scan --cluster: median ${median(scans).toFixed(2)} s vs fetch+parse baseline ${median(bases).toFixed(2)} s = ${(median(scans) / median(bases)).toFixed(2)}x (target <= 1.5x); peak RSS ${(peak / 1024).toFixed(0)} MB (target <= 1024)`);

// Watch.
// The default resync (10 s): a full evaluation runs every 10 s under churn, as users get it.
const RESYNC = process.env.BENCH_WATCH_RESYNC ?? '10';
const watch: ChildProcess = spawn(process.execPath, [BIN, 'watch', '--kubeconfig', kubeconfig!, '--resync', RESYNC], { stdio: ['ignore', 'pipe', 'pipe'] });
const seen = new Map<string, number>();
createInterface({ input: watch.stdout! }).on('line', (line) => {
  const record = JSON.parse(line) as { kind: string; state: string; finding?: { resource: { name: string } } };
  const name = record.finding?.resource.name;
  if (record.kind === 'finding' && record.state === 'open' && name?.startsWith('miner-') && !seen.has(name)) seen.set(name, Date.now());
});
let stderr = '';
watch.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
const syncStarted = Date.now();
while (!stderr.includes('synced:')) {
  if (watch.exitCode !== null) throw new Error(`watch exited: ${stderr}`);
  await new Promise((r) => setTimeout(r, 50));
}
/** kfguard's CPU time so far (user + system, ms), from /proc: load-independent, unlike latency. */
const cpuMs = (): number => {
  const fields = readFileSync(`/proc/${watch.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const rssMb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${watch.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
console.log(`watch: synced in ${((Date.now() - syncStarted) / 1000).toFixed(1)} s, RSS ${rssMb().toFixed(0)} MB`);
const created = new Map<string, number>();
serverLines.on('line', (line) => {
  const [word, name, at] = line.split(' ');
  if (word === 'CREATED') created.set(name!, Number(at));
});
const samples: { events: number; rss: number }[] = [];
const churnStarted = Date.now();
const cpuAtChurn = cpuMs();
server.stdin!.write(`churn ${RATE} ${EVENTS}\n`);
const churned = nextLine('CHURNED');
const sampler = setInterval(() => samples.push({ events: Math.min(EVENTS, Math.round(((Date.now() - churnStarted) / 1000) * RATE)), rss: rssMb() }), 1_000);
await churned;
const churnSeconds = (Date.now() - churnStarted) / 1000;
// Late findings count as late, not missed: wait up to 30 s for the stragglers.
for (let waited = 0; waited < 30_000 && [...created.keys()].some((name) => !seen.has(name)); waited += 100) await new Promise((r) => setTimeout(r, 100));
clearInterval(sampler);
// Measured once the last miner is seen, so a watch that read behind has judged every change.
const cpuPerChange = ((cpuMs() - cpuAtChurn) / EVENTS) * 1000;
const latencies = [...created].map(([name, at]) => (seen.get(name) ?? Number.POSITIVE_INFINITY) - at).sort((a, b) => a - b);
const rssAt = (fraction: number): number => samples.find((s) => s.events >= EVENTS * fraction)?.rss ?? samples.at(-1)?.rss ?? 0;
const achieved = EVENTS / churnSeconds;
console.log(`watch: ${EVENTS} changes at ${achieved.toFixed(0)}/s (asked ${RATE}/s); miner finding latency over ${latencies.length} miners: median ${median(latencies)} ms, max ${latencies.at(-1)} ms (target < 2000), not seen within 30 s of the end ${latencies.filter((l) => !Number.isFinite(l)).length}; all: ${latencies.join(' ')}`);
console.log(`watch: kfguard CPU per change during the churn ${cpuPerChange.toFixed(0)} µs (reading, judging, full evaluations, until the last miner was seen; 1,000 changes/s need ${(cpuPerChange / 1000).toFixed(2)} of a core)`);
console.log(`watch: RSS at 20% ${rssAt(0.2).toFixed(0)} MB, 50% ${rssAt(0.5).toFixed(0)} MB, 100% ${rssAt(1).toFixed(0)} MB`);
watch.kill('SIGTERM');
server.stdin!.write('exit\n');
