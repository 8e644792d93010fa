/**
 * `node --import tsx bench/webhook-handler.ts [reviews]`: the webhook's own cost per review, without
 * TLS or HTTP. In the same run and process it times (a) the engine alone (`evaluateObject` on the
 * review's Pod with every rule, as the handler calls it) and (b) the whole handler (`handleReview`:
 * parse, exemptions, engine, suppressions, decision, metrics, log line into a pipe-like sink), and
 * prints their difference: what src/webhook adds to each review. Rounds alternate (a) and (b) so
 * that load on a shared machine falls on both alike; the median round is reported.
 */
import { Writable } from 'node:stream';
import { DEFAULT_CONFIG } from '../src/core/config-types.js';
import { DEFAULT_LIMITS } from '../src/core/budget.js';
import { evaluateObject } from '../src/core/engine.js';
import type { K8sObject } from '../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { collectManifests } from '../src/sources/manifest.js';
import { sharedAvailable, sharedPath } from '../src/testing/shared.js';
import { handleReview, type JudgeContext } from '../src/webhook/handler.js';
import { createLogger } from '../src/webhook/logging.js';
import { WebhookMetrics } from '../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS } from '../src/webhook/settings.js';
import { body } from './webhook-review.js';

if (!sharedAvailable) {
  console.log('webhook-handler bench skipped: ../shared (the stock install) is missing');
  process.exit(0);
}
const reviews = Number(process.argv[2] ?? 2_000);
const { objects } = await collectManifests({ paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
const snapshot = newSnapshot();
for (const scanned of objects) snapshot.upsert(scanned);
// Log lines go through pino as in production, into a sink that only counts bytes.
let logged = 0;
const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.length), done()) });
const context: JudgeContext = { rules: ALL_RULES, config: DEFAULT_CONFIG, settings: DEFAULT_DECISION_SETTINGS, snapshot: () => snapshot, metrics: new WebhookMetrics(), logger: createLogger(sink) };
const review = JSON.parse(body) as { request: { uid: string; operation: string; userInfo: { username: string; groups: string[] }; object: K8sObject } };
const origin = { kind: 'admission' as const, uid: 'bench', operation: 'CREATE', user: review.request.userInfo.username, groups: [], dryRun: false };

async function handlerRound(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const result = await handleReview(body, context, performance.now());
    if (result.status !== 200) throw new Error(`status ${result.status}`);
  }
  return ((performance.now() - t0) * 1000) / n;
}
function engineRound(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    // A fresh object each time, as the handler parses one from each body.
    const object = (JSON.parse(body) as typeof review).request.object;
    evaluateObject(snapshot, { object, origin }, { rules: ALL_RULES, config: DEFAULT_CONFIG, podLabelsOf, limits: DEFAULT_LIMITS });
  }
  return ((performance.now() - t0) * 1000) / n;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
await handlerRound(500);
engineRound(500);
const engine: number[] = [];
const handler: number[] = [];
const rounds = 7;
for (let r = 0; r < rounds; r++) {
  engine.push(engineRound(Math.ceil(reviews / rounds)));
  handler.push(await handlerRound(Math.ceil(reviews / rounds)));
}
const e = median(engine);
const h = median(handler);
console.log(`engine alone (JSON.parse + evaluateObject): ${e.toFixed(1)} µs/review`);
console.log(`whole handler (handleReview):               ${h.toFixed(1)} µs/review`);
console.log(`webhook layer on top of the engine:         ${(h - e).toFixed(1)} µs/review (log bytes ${logged})`);
