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
 *   server to the JSON line on kfguard's stdout) is measured (p50, p99, max); kfguard's RSS at 0, half
 *   and all of the changes (sampled at each miner) and its CPU time per change, from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { ALL_RULES } from '../src/rules/index.js';
import { kindsToList } from '../src/sources/cluster/catalog.js';
import { BUILTIN_KINDS } from '../src/testing/fake-apiserver/resource-table.js';
import { REPO_ROOT } from '../src/testing/shared.js';
import { FLAT_BAND_PERCENT, FLAT_TREND_PERCENT, rssFlatness } from './rss-flatness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EVENTS = Number(process.env.BENCH_WATCH_EVENTS ?? 100_000);
const RATE = Number(process.env.BENCH_WATCH_RATE ?? 1_000);
const SCALE = Number(process.env.BENCH_CLUSTER_SCALE ?? 1);
/**
 * BENCH_KFGUARD_BIN: another build's bin/kfguard.js, for A/B runs: a copy of bin/, dist/, data/ and
 * package.json. Without data/ every rule reading a shipped list fails on every object (a threat
 * rule then reports its failure as a finding), and the run measures that, not the build.
 */
const BIN = process.env.BENCH_KFGUARD_BIN ?? join(REPO_ROOT, 'bin', 'kfguard.js');
for (const needed of ['data/lists', 'package.json']) {
  if (!existsSync(join(dirname(dirname(BIN)), needed))) throw new Error(`BENCH_KFGUARD_BIN: no ${needed} beside ${dirname(BIN)}; copy bin/, dist/, data/ and package.json`);
}

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
if (RUNS > 0) console.log(`runs (seconds, in order): scan ${scans.map((v) => v.toFixed(2)).join(' ')}; baseline ${bases.map((v) => v.toFixed(2)).join(' ')}`);
if (RUNS > 0) console.log(`scan --cluster: median ${median(scans).toFixed(2)} s vs fetch+parse baseline ${median(bases).toFixed(2)} s = ${(median(scans) / median(bases)).toFixed(2)}x (target <= 1.5x); peak RSS ${(peak / 1024).toFixed(0)} MB (target <= 1024)`);

// Watch; BENCH_WATCH_EVENTS=0 measures the scan alone.
if (EVENTS === 0) {
  server.stdin!.write('exit\n');
  process.exit(0);
}
// The default resync (10 s): a full evaluation runs every 10 s under churn, as users get it.
const RESYNC = process.env.BENCH_WATCH_RESYNC ?? '10';
/**
 * BENCH_MEMORY_LOG=MS: kfguard splits its RSS every MS ms (bench/memory-log.mjs, preloaded), and the
 * split is printed at each tenth of the changes. BENCH_WATCH_NODE_FLAGS: node flags for the watch
 * process (e.g. `--max-semi-space-size=8`), for experiments.
 */
const MEMORY_LOG = Number(process.env.BENCH_MEMORY_LOG ?? 0);
const MEMORY_FILE = process.env.BENCH_MEMORY_FILE;
/** Changes sent so far, as of the last miner created (every 1,000th change); -1 before the churn. */
let sent = -1;
const sentSoFar = (): number => sent;
const nodeFlags = [...(process.env.BENCH_WATCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== ''), ...(MEMORY_LOG > 0 ? ['--import', join(REPO_ROOT, 'bench', 'memory-log.mjs')] : [])];
/**
 * BENCH_WATCH_CGROUP=DIR: the watch runs in that (existing) cgroup, v1 or v2, as in a container with
 * its memory limit (deploy/scanner gives the watch 1 GiB): Node sizes its heap from that limit. The
 * shell joins the cgroup and execs node, so the watch keeps the pid read from /proc below.
 */
const CGROUP = process.env.BENCH_WATCH_CGROUP;
const watchArgs = [...nodeFlags, BIN, 'watch', '--kubeconfig', kubeconfig!, '--resync', RESYNC];
const [watchCommand, watchArgv] = CGROUP === undefined ? [process.execPath, watchArgs] : ['/bin/sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', CGROUP, process.execPath, ...watchArgs]];
const watch: ChildProcess = spawn(watchCommand, watchArgv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_MEMORY_LOG: String(MEMORY_LOG) } });
interface MemorySample {
  rss: number;
  heapUsed: number;
  heapCommitted: number;
  external: number;
  arrayBuffers: number;
  rest: number;
  spaces: Record<string, [number, number]>;
}
let memory: MemorySample | undefined;
const seen = new Map<string, number>();
/**
 * BENCH_WATCH_TRACE_FILE=FILE: lines on the watch's stdout that are not its JSON records (V8's
 * `--trace-gc-nvp`, `--trace-pretenuring` or `--trace-gc-object-stats` in BENCH_WATCH_NODE_FLAGS
 * print there) go to FILE.
 */
const TRACE_FILE = process.env.BENCH_WATCH_TRACE_FILE;
/** BENCH_WATCH_RECORDS=FILE: every JSON record of the watch, as written, to compare two builds' streams. */
const RECORDS_FILE = process.env.BENCH_WATCH_RECORDS;
createInterface({ input: watch.stdout! }).on('line', (line) => {
  // `--trace-gc-object-stats` prints JSON lines too, each naming the isolate: trace, not records.
  if (!line.startsWith('{') || line.startsWith('{ "isolate"')) {
    if (TRACE_FILE !== undefined) appendFileSync(TRACE_FILE, `${Date.now()} ${sentSoFar()} ${line}\n`);
    return;
  }
  let record: { kind: string; state: string; finding?: { resource: { name: string } } };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    // V8's traces write to the same stdout unsynchronised, so a record can be cut by one.
    if (TRACE_FILE !== undefined) appendFileSync(TRACE_FILE, `${Date.now()} ${sentSoFar()} ${line}\n`);
    return;
  }
  if (RECORDS_FILE !== undefined) appendFileSync(RECORDS_FILE, `${line}\n`);
  const name = record.finding?.resource.name;
  if (record.kind === 'finding' && record.state === 'open' && name?.startsWith('miner-') && !seen.has(name)) seen.set(name, Date.now());
});
let stderr = '';
createInterface({ input: watch.stderr! }).on('line', (line) => {
  if (line.startsWith('BENCH_MEMORY ')) {
    memory = JSON.parse(line.slice('BENCH_MEMORY '.length)) as MemorySample;
    // BENCH_MEMORY_FILE: every sample, one JSON line each, for the shape between the tenths.
    if (MEMORY_FILE !== undefined) appendFileSync(MEMORY_FILE, `${JSON.stringify({ ...memory, events: sentSoFar() })}\n`);
  }
  else stderr += `${line}\n`;
});
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
/** kfguard's RSS by changes sent: before the churn, at each miner (every 1,000th change), at the end. */
const rssByEvents: { events: number; rss: number; memory?: MemorySample | undefined }[] = [{ events: 0, rss: rssMb(), memory }];
serverLines.on('line', (line) => {
  const [word, name, at] = line.split(' ');
  if (word !== 'CREATED') return;
  created.set(name!, Number(at));
  sent = Number(name!.slice('miner-'.length)) + 1;
  rssByEvents.push({ events: Number(name!.slice('miner-'.length)) + 1, rss: rssMb(), memory });
});
// BENCH_HEAP_SAMPLE (with `--import bench/heap-sample.mjs` in BENCH_WATCH_NODE_FLAGS): sample what the churn leaves to major GCs.
if (process.env.BENCH_HEAP_SAMPLE) watch.kill('SIGUSR2');
const churnStarted = Date.now();
sent = 0;
const cpuAtChurn = cpuMs();
server.stdin!.write(`churn ${RATE} ${EVENTS}\n`);
await nextLine('CHURNED');
const churnSeconds = (Date.now() - churnStarted) / 1000;
// Late findings count as late, not missed: wait up to 30 s for the stragglers.
for (let waited = 0; waited < 30_000 && [...created.keys()].some((name) => !seen.has(name)); waited += 100) await new Promise((r) => setTimeout(r, 100));
rssByEvents.push({ events: EVENTS, rss: rssMb(), memory });
// Measured once the last miner is seen, so a watch that read behind has judged every change.
const cpuPerChange = ((cpuMs() - cpuAtChurn) / EVENTS) * 1000;
const latencies = [...created].map(([name, at]) => (seen.get(name) ?? Number.POSITIVE_INFINITY) - at).sort((a, b) => a - b);
/** Nearest-rank percentile. */
const percentile = (sorted: number[], p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
/** The RSS sample taken at the last miner at or before `events` changes (the end sample for the last). */
const rssAt = (events: number): (typeof rssByEvents)[number] => rssByEvents.filter((s) => s.events <= events).at(-1)!;
const achieved = EVENTS / churnSeconds;
console.log(`watch: ${EVENTS} changes at ${achieved.toFixed(0)}/s (asked ${RATE}/s); miner finding latency over ${latencies.length} miners: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms (target < 2000), not seen within 30 s of the end ${latencies.filter((l) => !Number.isFinite(l)).length}`);
console.log(`watch: latency of each miner in order of creation (ms): ${[...created].map(([name, at]) => (seen.get(name) ?? Number.POSITIVE_INFINITY) - at).join(' ')}`);
console.log(`watch: kfguard CPU per change during the churn ${cpuPerChange.toFixed(0)} µs (reading, judging, full evaluations, until the last miner was seen; 1,000 changes/s need ${(cpuPerChange / 1000).toFixed(2)} of a core)`);
const marks = [0, Math.round(EVENTS / 2), EVENTS].map(rssAt);
console.log(`watch: RSS ${marks.map((m) => `${m.rss.toFixed(0)} MB at ${m.events} events`).join(', ')}`);
const tenths = Array.from({ length: 11 }, (_, i) => rssAt(Math.round((EVENTS * i) / 10)).rss.toFixed(0));
console.log(`watch: RSS at each tenth of the changes (MB): ${tenths.join(' ')}`);
const flatness = rssFlatness(tenths.map(Number));
console.log(
  `watch: RSS ${flatness.flat ? 'flat' : 'NOT flat'} by bench/rss-flatness.ts (40–100%: within ±${flatness.bandPercent.toFixed(1)}% of their mean, limit ±${FLAT_BAND_PERCENT}%; trend ${flatness.trendPercent.toFixed(2)}% of it per tenth, limit ${FLAT_TREND_PERCENT}%); peak ${flatness.peakOverSyncedPercent.toFixed(0)}% over synced`,
);
if (MEMORY_LOG > 0) {
  // The latest split (at most MEMORY_LOG ms old) at each tenth: which part of the RSS moves.
  const spaces = ['new', 'old', 'code', 'large_object'];
  console.log(`watch: memory split at each tenth (MB; heap spaces used/committed; rest = RSS - heap committed - external):`);
  console.log(`  events   rss  heapUsed  heapCommitted  external  arrayBuffers  rest  ${spaces.join('  ')}`);
  for (let i = 0; i <= 10; i++) {
    const m = rssAt(Math.round((EVENTS * i) / 10)).memory;
    if (!m) continue;
    console.log(`  ${String(Math.round((EVENTS * i) / 10)).padStart(6)} ${String(m.rss).padStart(5)} ${String(m.heapUsed).padStart(9)} ${String(m.heapCommitted).padStart(14)} ${String(m.external).padStart(9)} ${String(m.arrayBuffers).padStart(13)} ${String(m.rest).padStart(5)}  ${spaces.map((s) => (m.spaces[s] ?? []).join('/')).join('  ')}`);
  }
}
watch.kill('SIGTERM');
server.stdin!.write('exit\n');
