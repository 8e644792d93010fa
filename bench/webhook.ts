/**
 * `npm run bench:webhook`: the real webhook server (stock-install snapshot, every rule) against a
 * minimal Node HTTPS server that only answers `allowed: true`, and against the webhook with only
 * the threat rule, all in the same run. Every server runs in its own process, and the load
 * generator (undici, `bench/webhook-load.ts`) in another, so no measurement shares an event loop
 * with what it measures. The review is a ~2 KB KFP pipeline Pod.
 *
 * Phases per server: closed-loop throughput (16 connections), open-loop latency at 500 requests/s
 * (for the threat-only and every-rule servers in alternating rounds, both running, so the
 * difference of their p99s is not a difference in machine load),
 * a burst of 200 concurrent reviews; for the full server also 100k reviews with its RSS read (after
 * a full GC) at 50k and 100k. BENCH_WEBHOOK_MS sets the duration of the timed phases (default
 * 10 s), BENCH_WEBHOOK_VOLUME the request count of the volume phase (default 100,000; 0 skips it).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sharedAvailable } from '../src/testing/shared.js';
import { generateCertificates } from '../src/webhook/certs.js';
import { DEFAULT_DECISION_SETTINGS } from '../src/webhook/settings.js';
import type { LoadJob, LoadResult } from './webhook-load.js';
import { body } from './webhook-review.js';

if (!sharedAvailable) {
  console.log('bench:webhook skipped: ../shared (the stock install) is missing');
  process.exit(0);
}
const DURATION_MS = Number(process.env.BENCH_WEBHOOK_MS ?? 10_000);
const VOLUME = Number(process.env.BENCH_WEBHOOK_VOLUME ?? 100_000);
const DEADLINE_MS = DEFAULT_DECISION_SETTINGS.deadlineMs;
/** Alternating rounds of the 500/s phase for the threat-only and every-rule servers. */
const RATE_ROUNDS = Number(process.env.BENCH_WEBHOOK_RATE_ROUNDS ?? 4);

const dir = mkdtempSync(join(tmpdir(), 'kfguard-bench-webhook-'));
const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] });
writeFileSync(join(dir, 'tls.crt'), certs.cert);
writeFileSync(join(dir, 'tls.key'), certs.key);


// The servers run bundled, as the shipped CLI does (scripts/build.mjs): under tsx a server would carry
// the loader's own memory and compile work. The bundle sits at the same depth as src/testing/ so
// the package root and ../shared resolve the same way.
const serverBundle = join(fileURLToPath(new URL('.', import.meta.url)), '.out', 'webhook-server.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('./webhook-server.ts', import.meta.url))],
  outfile: serverBundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
});
const tsx = ['--import', 'tsx'];
const here = (file: string): string => new URL(file, import.meta.url).pathname;
const nextMessage = <T>(child: ChildProcess, pick: (m: Record<string, unknown>) => T | undefined): Promise<T> =>
  new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>): void => {
      const value = pick(m);
      if (value === undefined) return;
      child.off('message', onMessage);
      resolve(value);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before answering`)));
  });

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
}

async function startServer(mode: string): Promise<Server> {
  // stdout is a pipe read and dropped, as a container runtime reads the server's log lines.
  const child = fork(serverBundle, [mode, join(dir, 'tls.crt'), join(dir, 'tls.key')], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout?.resume();
  const port = await nextMessage(child, (m) => (typeof m.port === 'number' ? m.port : undefined));
  return { child, port };
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('stop');
  await exited;
}

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
}

const serverRss = (server: Server): Promise<Memory> => {
  const answer = nextMessage(server.child, (m) => (typeof m.rss === 'number' ? (m as unknown as Memory) : undefined));
  server.child.send('rss');
  return answer;
};

async function load(server: Server, job: Omit<LoadJob, 'port' | 'ca' | 'body'>, onMark?: (mark: number) => Promise<void>): Promise<LoadResult> {
  const child = fork(here('./webhook-load.ts'), [], { execArgv: tsx, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const marks: Promise<void>[] = [];
  child.on('message', (m: { mark?: number }) => {
    if (typeof m.mark === 'number' && onMark) marks.push(onMark(m.mark));
  });
  const result = nextMessage(child, (m) => m.result as LoadResult | undefined);
  child.send({ ...job, port: server.port, ca: certs.caCert, body });
  const value = await result;
  await Promise.all(marks);
  return value;
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

interface Row {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly rateErrors: number;
  readonly burstMax: number;
  readonly burstAnswered: number;
  readonly rss?: readonly Memory[];
}

/** Open-loop latency of several servers, in alternating rounds so that load on a shared machine falls on each alike. */
async function interleavedRate(servers: readonly Server[], rounds = RATE_ROUNDS): Promise<LoadResult[]> {
  const pooled = servers.map((): LoadResult => ({ completed: 0, errors: 0, elapsedMs: 0, latenciesMs: [] }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const part = await load(server, { phase: 'rate', durationMs: DURATION_MS / rounds, rps: 500 });
      const sum = pooled[i] as LoadResult;
      pooled[i] = { completed: sum.completed + part.completed, errors: sum.errors + part.errors, elapsedMs: sum.elapsedMs + part.elapsedMs, latenciesMs: [...sum.latenciesMs, ...part.latenciesMs] };
    }
  }
  return pooled;
}

async function measure(modes: readonly { mode: string; name: string; volume: boolean }[]): Promise<Row[]> {
  const servers: Server[] = [];
  try {
    for (const { mode } of modes) servers.push(await startServer(mode));
    const throughputs: LoadResult[] = [];
    for (const server of servers) throughputs.push(await load(server, { phase: 'throughput', durationMs: DURATION_MS, concurrency: 16 }));
    const rates = await interleavedRate(servers);
    const rows: Row[] = [];
    for (const [i, { name, volume }] of modes.entries()) {
      const server = servers[i] as Server;
      const throughput = throughputs[i] as LoadResult;
      const rate = rates[i] as LoadResult;
      const burst = await load(server, { phase: 'burst', requests: 200 });
      let rss: Memory[] | undefined;
      if (volume && VOLUME > 0) {
        rss = [await serverRss(server)];
        await load(server, { phase: 'volume', requests: VOLUME, concurrency: 16, marks: [VOLUME / 2] }, async () => void rss?.push(await serverRss(server)));
        rss.push(await serverRss(server));
      }
      rows.push({
        name,
        rps: (throughput.completed / throughput.elapsedMs) * 1000,
        p50: quantile(rate.latenciesMs, 0.5),
        p99: quantile(rate.latenciesMs, 0.99),
        rateErrors: rate.errors,
        burstMax: Math.max(...burst.latenciesMs),
        burstAnswered: burst.completed,
        ...(rss ? { rss } : {}),
      });
    }
    return rows;
  } finally {
    for (const server of servers) await stopServer(server);
  }
}

const [baseline] = (await measure([{ mode: 'baseline', name: 'minimal HTTPS, `allowed: true`', volume: false }])) as [Row];
// The every-rule cost is a difference of two p99s: both servers run side by side and their
// latency rounds alternate, so neither is measured in a quieter minute than the other.
const [threat, real] = (await measure([
  { mode: 'threat', name: 'kfguard webhook, threat rule only', volume: false },
  { mode: 'real', name: 'kfguard webhook, every rule', volume: true },
])) as [Row, Row];
rmSync(dir, { recursive: true, force: true });

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(`Node ${process.version}, ${DURATION_MS / 1000} s per timed phase, loopback, load generator in its own process\n`);
console.log('| server | throughput (16 connections) | p50 at 500/s | p99 at 500/s | burst of 200: answered, slowest |');
console.log('|---|---:|---:|---:|---:|');
for (const row of [baseline, threat, real]) {
  console.log(`| ${row.name} | ${row.rps.toFixed(0)}/s | ${row.p50.toFixed(2)} ms | ${row.p99.toFixed(2)} ms${row.rateErrors > 0 ? ` (${row.rateErrors} errors)` : ''} | ${row.burstAnswered}/200, ${row.burstMax.toFixed(0)} ms |`);
}
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
const ratio = real.rps / baseline.rps;
console.log('');
console.log(`- throughput ${(ratio * 100).toFixed(0)}% of the baseline (target ≥ 70%): ${verdict(ratio >= 0.7)}`);
console.log(`- p99 at 500/s ${real.p99.toFixed(2)} ms (target ≤ 10 ms): ${verdict(real.p99 <= 10)}`);
console.log(`- burst: ${real.burstAnswered}/200 answered, slowest ${real.burstMax.toFixed(0)} ms (target: all within the ${DEADLINE_MS} ms deadline): ${verdict(real.burstAnswered === 200 && real.burstMax <= DEADLINE_MS)}`);
console.log(`- every rule adds ${(real.p99 - threat.p99).toFixed(2)} ms of p99 over the threat rule alone (target ≤ 2 ms): ${verdict(real.p99 - threat.p99 <= 2)}`);
if (real.rss && real.rss.length === 3) {
  const [start, half, end] = real.rss as [Memory, Memory, Memory];
  const growth = end.rss - half.rss;
  console.log(`- RSS after GC: ${mb(start.rss)} at start, ${mb(half.rss)} after ${VOLUME / 2}, ${mb(end.rss)} after ${VOLUME} (target ≤ 150 MB, no growth from half to end): ${verdict(end.rss <= 150 * 1024 * 1024 && growth <= 5 * 1024 * 1024)} (${growth >= 0 ? '+' : ''}${mb(growth)})`);
  console.log(`- heap used after GC: ${mb(start.heapUsed)}, ${mb(half.heapUsed)}, ${mb(end.heapUsed)} (${end.heapUsed - half.heapUsed >= 0 ? '+' : ''}${((end.heapUsed - half.heapUsed) / 1024).toFixed(0)} KB from half to end)`);
}
