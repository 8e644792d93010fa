/**
 * Judging ahead in `scan --cluster` (src/core/judge-ahead.ts), on and off, interleaved, in process
 * against a cluster served elsewhere (`bench/fake-cluster-server.ts`, test-only): CPU time
 * (process.cpuUsage, user + system) while listing and after the last page, wall time of each part,
 * how many objects were judged ahead and kept, and whether both reports are identical.
 *   node --import tsx bench/cluster-judge-ahead.ts KUBECONFIG [ROUNDS]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { JudgeAhead } from '../src/core/judge-ahead.js';
import type { SourceEvent } from '../src/core/source.js';
import { ALL_RULES } from '../src/rules/index.js';
import { evaluateManifests, type BatchSource } from '../src/scan.js';
import { ClusterSource } from '../src/sources/cluster/cluster-source.js';

const kubeconfig = process.argv[2];
if (!kubeconfig) throw new Error('usage: cluster-judge-ahead.ts KUBECONFIG [ROUNDS]');
const ROUNDS = Number(process.argv[3] ?? 3);
await import('@kubernetes/client-node');
/** Garbage collection pauses on this thread, summed (PerformanceObserver 'gc' entries). */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** The cluster source, noting when its last event was read. */
class Timed implements BatchSource {
  readonly kind = 'cluster' as const;
  ended = { cpu: 0, wall: 0 };
  gcAtEnd = 0;
  constructor(private readonly inner: ClusterSource) {}
  get result(): ClusterSource['result'] {
    return this.inner.result;
  }
  async *events(): AsyncIterable<SourceEvent> {
    yield* this.inner.events();
    this.ended = { cpu: cpu(), wall: performance.now() };
    this.gcAtEnd = gcMs;
  }
}

async function once(ahead: boolean): Promise<{ listCpu: number; afterCpu: number; listWall: number; afterWall: number; tally: string; json: string }> {
  const source = new Timed(new ClusterSource({ kubeconfig: kubeconfig!, env: process.env, rules: ALL_RULES, namespaces: [] }));
  let judge: JudgeAhead | undefined;
  gcMs = 0;
  const startCpu = cpu();
  const startWall = performance.now();
  const evaluation = await evaluateManifests({ paths: [], cwd: process.cwd(), readStdin: () => Promise.resolve(Buffer.alloc(0)), rules: ALL_RULES, source, judgeAhead: ahead, onJudgeAhead: (j) => {
    judge = j;
    j.timed = true;
  }, today: '2026-12-05' });
  const endCpu = cpu();
  const gcWhile = source.gcAtEnd;
  const endWall = performance.now();
  return {
    listCpu: source.ended.cpu - startCpu,
    afterCpu: endCpu - source.ended.cpu,
    listWall: source.ended.wall - startWall,
    afterWall: endWall - source.ended.wall,
    tally: `${judge ? `judged ahead ${judge.tally.judged}, kept ${judge.tally.kept}, in ${judge.tally.cpuMs.toFixed(0)} ms CPU` : 'off'}; GC ${gcWhile.toFixed(0)} ms listing, ${(gcMs - gcWhile).toFixed(0)} ms after`,
    json: JSON.stringify({ findings: evaluation.findings, errors: evaluation.ruleErrors, coverage: evaluation.coverage, warnings: evaluation.warnings }),
  };
}

const rows: Record<'on' | 'off', Awaited<ReturnType<typeof once>>[]> = { on: [], off: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
    const row = await once(mode === 'on');
    rows[mode].push(row);
    console.log(`${mode.padEnd(3)} listing ${row.listCpu.toFixed(0).padStart(5)} ms CPU / ${row.listWall.toFixed(0).padStart(5)} ms wall; after the last page ${row.afterCpu.toFixed(0).padStart(5)} ms CPU / ${row.afterWall.toFixed(0).padStart(5)} ms wall; ${row.tally}`);
  }
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const mode of ['off', 'on'] as const) {
  const r = rows[mode];
  console.log(`${mode} medians: listing ${median(r.map((x) => x.listCpu)).toFixed(0)} ms CPU, after the last page ${median(r.map((x) => x.afterCpu)).toFixed(0)} ms CPU (${median(r.map((x) => x.afterWall)).toFixed(0)} ms wall)`);
}
const same = rows.on.every((r) => r.json === rows.off[0]!.json) && rows.off.every((r) => r.json === rows.off[0]!.json);
console.log(same ? 'reports identical on and off' : 'REPORTS DIFFER');
if (!same) process.exitCode = 1;
