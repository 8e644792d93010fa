/**
 * One server of `npm run bench:webhook`, in its own process (forked with IPC): `real` is the
 * kfguard webhook over the stock-install snapshot with every rule, `threat` the same with only
 * crypto-miner-workload, `baseline` a minimal Node HTTPS server that answers `allowed: true`, `burn`
 * the baseline spinning BURN_MS (default 1) ms per request: the control for bench/webhook-profile.ts,
 * showing how much a wall-clock profile charges to the socket write when a server is busy.
 * The kfguard servers log as in production (JSON lines on stdout, a pipe the parent drains).
 * Messages: it sends `{ port }` once listening; answers `'rss'` with `{ rss, heapUsed }` after a full GC;
 * exits on `'stop'`.
 */
import { createServer } from 'node:https';
import { getHeapSpaceStatistics } from 'node:v8';
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import { ALL_RULES } from '../src/rules/index.js';
import { sharedPath } from '../src/testing/shared.js';
import { createLogger } from '../src/webhook/logging.js';
import { WebhookMetrics } from '../src/webhook/metrics.js';
import { WebhookServer } from '../src/webhook/server.js';
import { loadSnapshotFromFiles } from '../src/webhook/snapshot-loader.js';
import { DEFAULT_DECISION_SETTINGS } from '../src/webhook/settings.js';

const [mode = 'real', certFile = '', keyFile = ''] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
const send = (message: unknown): void => void process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

let stop: () => Promise<void>;
let port: number;
if (mode === 'baseline' || mode === 'burn') {
  const burnMs = mode === 'burn' ? Number(process.env.BURN_MS ?? 1) : 0;
  const server = createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      for (const until = performance.now() + burnMs; performance.now() < until; );
      const uid = (JSON.parse(Buffer.concat(chunks).toString()) as { request: { uid: string } }).request.uid;
      const text = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
} else {
  const rules = mode === 'threat' ? ALL_RULES.filter((r) => r.meta.id === 'crypto-miner-workload') : ALL_RULES;
  // Loaded as `webhook serve --snapshot-from` loads it.
  const loaded = await loadSnapshotFromFiles([sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], process.cwd());
  const server = new WebhookServer({ tls, snapshotSource: 'bench', context: { rules, config: DEFAULT_CONFIG, settings: DEFAULT_DECISION_SETTINGS, metrics: new WebhookMetrics(), logger: createLogger() } });
  port = (await server.listen(0, '127.0.0.1')).port;
  server.setSnapshot(loaded);
  stop = () => server.drain(1_000);
}

process.on('message', (message) => {
  if (message === 'rss') {
    gc?.();
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    // Where RSS beyond the used heap sits: V8's committed spaces (the young generation grows under load) or outside V8.
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
    send({ rss, heapUsed, heapTotal, external, spaces });
  } else if (message === 'stop') {
    void stop().then(() => process.exit(0));
  }
});
send({ port });
