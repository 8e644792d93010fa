/**
 * `npm run bench:probe`: `kfguard probe` (prober, classification, findings, report) over local
 * FAKE ML services (src/testing/fake-ml-services/), against a baseline measured in the same run:
 * plain undici GETs of exactly the same URLs at the same concurrency, bodies read and dropped,
 * nothing judged, no redirect followed. Reports the median wall-time ratio over several rounds, and
 * requests per second counted at the servers (the probe also follows same-host login redirects).
 * Known flaw: the fakes and the client share one process and event loop, so both figures include
 * the servers' own work; the ratio is what to watch.
 */
import { Agent, request } from 'undici';
import { shippedFingerprints } from '../src/probe/fingerprints.js';
import { MAX_BODY_BYTES, MAX_REDIRECTS } from '../src/probe/http-client.js';
import { Limiter } from '../src/probe/limiter.js';
import { probeUrl } from '../src/probe/probe-target.js';
import { runProbe } from '../src/probe/run-probe.js';
import { ALL_RULES } from '../src/rules/index.js';
import { startFakeMlService, type FakeMlService, type GatewayAuth } from '../src/testing/fake-ml-services/server.js';
import type { FakeProduct } from '../src/testing/fake-ml-services/products.js';

const ROUNDS = Number(process.env.BENCH_PROBE_ROUNDS ?? 5);
const CONCURRENCY = 8;
const ALL: FakeProduct[] = ['kubeflow-dashboard', 'kfp', 'jupyter', 'argo', 'ray', 'kubernetes-dashboard', 'mlflow', 'tensorboard', 'ollama', 'vllm', 'kserve'];
const GATEWAYS: GatewayAuth[] = ['none', 'oauth2-proxy', 'authservice', 'istio-jwt', 'google-iap'];

const servers: FakeMlService[] = [];
for (let i = 0; i < 20; i++) servers.push(await startFakeMlService({ products: i % 4 === 3 ? [] : ALL, gateway: GATEWAYS[i % GATEWAYS.length] ?? 'none' }));
const targets = servers.map((s) => ({ url: s.url }));
const fingerprints = shippedFingerprints();
// A namespaced path is asked for its default namespaces here: the fakes name no managed namespace.
const pathsOf = (probe: (typeof fingerprints)[number]['probes'][number]): string[] =>
  probe.namespaces ? probe.namespaces.defaults.map((ns) => probe.path.replace('{namespace}', ns)) : [probe.path];
const urls = [...new Set(targets.flatMap((t) => fingerprints.flatMap((p) => p.probes.flatMap((probe) => pathsOf(probe).map((path) => probeUrl(t.url, path))))))];

async function probeRound(): Promise<number> {
  const started = process.hrtime.bigint();
  await runProbe({
    targets,
    fingerprints,
    http: { timeoutMs: 10_000, insecure: false, headers: {}, followCrossHost: false, maxBodyBytes: MAX_BODY_BYTES, maxRedirects: MAX_REDIRECTS, userAgent: 'kfguard-bench' },
    concurrency: CONCURRENCY,
    targetBudgetMs: 60_000,
    totalBudgetMs: 600_000,
    rules: ALL_RULES.map((r) => r.meta),
  });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function baselineRound(): Promise<number> {
  const started = process.hrtime.bigint();
  const dispatcher = new Agent({ connections: CONCURRENCY });
  const limiter = new Limiter(CONCURRENCY);
  await Promise.all(
    urls.map((url) =>
      limiter.run(async () => {
        const response = await request(url, { method: 'GET', dispatcher });
        await response.body.dump({ limit: MAX_BODY_BYTES });
      }),
    ),
  );
  await dispatcher.close();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const served = (): number => servers.reduce((n, s) => n + s.requests.length, 0);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
let mark = served();
await probeRound();
const probeRequests = served() - mark;
mark = served();
await baselineRound();
const baselineRequests = served() - mark;
const probeMs: number[] = [];
const baselineMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  baselineMs.push(await baselineRound());
  probeMs.push(await probeRound());
}
await Promise.all(servers.map((s) => s.close()));
const p = median(probeMs);
const b = median(baselineMs);
console.log(`bench:probe  ${targets.length} targets, ${urls.length} URLs, concurrency ${CONCURRENCY}, ${ROUNDS} rounds (medians)`);
console.log(`  baseline (plain GETs, nothing judged): ${b.toFixed(0)} ms  ${baselineRequests} requests  ${(baselineRequests / (b / 1000)).toFixed(0)} req/s`);
console.log(`  kfguard probe (follows same-host redirects): ${p.toFixed(0)} ms  ${probeRequests} requests  ${(probeRequests / (p / 1000)).toFixed(0)} req/s`);
console.log(`  ratio probe / baseline: ${(p / b).toFixed(2)}`);
