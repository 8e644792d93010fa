/**
 * `npm run bench`: wall-clock ratios against baselines measured in the same run, interleaved, so a
 * noisy shared machine slows both sides alike. Prints a markdown table; `--record` also writes
 * docs/benchmarks.md. `--quick` (or BENCH_QUICK=1) runs 3 repeats instead of 7, to try a change fast;
 * its figures are too noisy to record.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generatePipelinePods } from './pipeline-pods.js';
import { FLAT_LIMIT, hostileRow, hostileRowPasses, SECONDS_AT_1MB_LIMIT } from './hostile-row.js';
import { REPO_ROOT, sharedAvailable, sharedPath } from '../src/testing/shared.js';

interface Sample {
  readonly seconds: number;
  readonly maxRssKb: number | undefined;
  readonly status: number | null;
}

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 3 : 7));
const BIN = join(REPO_ROOT, 'bin', 'kfguard.js');

function timeProcess(args: readonly string[]): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'bench', 'max-rss.mjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(result.stderr ?? '');
  return { seconds, maxRssKb: rss ? Number(rss[1]) : undefined, status: result.status };
}

function timeBare(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Comparison {
  readonly name: string;
  readonly subject: number;
  readonly baseline: number;
  readonly ratio: number;
  /** Undefined for rows recorded for information, without a target. */
  readonly target: number | undefined;
  readonly peakRssMb?: number;
  readonly rssTargetMb?: number;
}

function compare(name: string, target: number | undefined, subjectArgs: readonly string[], baselineArgs: readonly string[], rssTargetMb?: number): Comparison {
  const subject: number[] = [];
  const baseline: number[] = [];
  let peakRss = 0;
  for (let i = 0; i < RUNS; i++) {
    const b = timeProcess(baselineArgs);
    const s = timeProcess(subjectArgs);
    if (s.status !== 0 && s.status !== 1) throw new Error(`${name}: kfguard exited ${s.status}`);
    baseline.push(b.seconds);
    subject.push(s.seconds);
    peakRss = Math.max(peakRss, s.maxRssKb ?? 0);
  }
  const result: Comparison = {
    name,
    subject: median(subject),
    baseline: median(baseline),
    ratio: median(subject) / median(baseline),
    target,
    ...(rssTargetMb === undefined ? {} : { peakRssMb: peakRss / 1024, rssTargetMb }),
  };
  return result;
}

function passes(r: Comparison): boolean {
  return (r.target === undefined || r.ratio <= r.target) && (r.peakRssMb === undefined || r.peakRssMb <= (r.rssTargetMb ?? Infinity));
}

function compareVersion(): Comparison {
  const subject: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    baseline.push(timeBare(['-e', '0']));
    subject.push(timeBare([BIN, '--version']));
  }
  return { name: '`kfguard --version` vs `node -e 0`', subject: median(subject), baseline: median(baseline), ratio: median(subject) / median(baseline), target: 2 };
}

/** `n` copies of the install, every metadata.name made unique per copy. */
function copies(source: string, dir: string, n: number): string {
  const text = readFileSync(source, 'utf8');
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    parts.push(text.replace(/^( {2}name: )("?)([^"\n]+)("?)$/gm, (_m, head: string, q1: string, name: string, q2: string) => `${head}${q1}${name}-copy${i}${q2}`));
  }
  const path = join(dir, `kubeflow-example-install-x${n}.yaml`);
  writeFileSync(path, parts.join('\n---\n'));
  return path;
}

const megabytes = (path: string): number => statSync(path).size / 1e6;

interface GrowthPoint {
  readonly factor: number;
  readonly mb: number;
  readonly seconds: number;
  readonly secondsPerMb: number;
}

/**
 * Linearity: the install at 1×, 2×, 5× and 10×, sizes interleaved run by run, reported as time per
 * MB. Start-up is a fixed cost, so the 1× point carries the most per MB; a join that grew with the
 * square of the objects would show as time per MB rising with size.
 */
function growth(install: string, dir: string): GrowthPoint[] {
  const factors = [1, 2, 5, 10];
  const files = factors.map((n) => (n === 1 ? install : copies(install, dir, n)));
  const times: number[][] = factors.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    files.forEach((file, k) => {
      const s = timeProcess([BIN, 'scan', file, '--format', 'json', '--fail-on', 'none', '-o', '/dev/null']);
      if (s.status !== 0) throw new Error(`growth ${factors[k]}×: kfguard exited ${s.status}`);
      times[k]!.push(s.seconds);
    });
  }
  return factors.map((factor, k) => {
    const mb = megabytes(files[k]!);
    const seconds = median(times[k]!);
    return { factor, mb, seconds, secondsPerMb: seconds / mb };
  });
}

/** Linear enough: no size costs more per MB than 1.2× the 2× point (1× carries start-up). */
const GROWTH_LIMIT = 1.2;
const growthPasses = (points: readonly GrowthPoint[]): boolean => points.every((p) => p.factor < 2 || p.secondsPerMb <= GROWTH_LIMIT * points.find((q) => q.factor === 2)!.secondsPerMb);

async function main(): Promise<void> {
  if (!sharedAvailable) {
    console.error('bench: ../shared is missing; the benchmarks need the Kubeflow corpus');
    process.exit(2);
  }
  const install = sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
  const work = mkdtempSync(join(tmpdir(), 'kfguard-bench-'));
  try {
    const big = copies(install, work, 10);
    // 20,000 pods of a KFP v2 cluster (issue 9), one document each: one `kind: List` of them is
    // over the 16 MB per-document limit (`--max-doc-size`) and is refused by default.
    const pods = join(work, 'pipeline-pods-20000.yaml');
    writeFileSync(pods, generatePipelinePods(20_000, { seed: 9 }));
    const podsLabel = `scan 20,000 pipeline Pods (${megabytes(pods).toFixed(0)} MB, 20,000 docs) vs js-yaml parse`;
    const baselineScript = join(REPO_ROOT, 'bench', 'baseline-parse.mjs');
    const results = [
      compare('scan kubeflow-example-install.yaml (11 MB, 664 docs) vs js-yaml parse', 1.5, [BIN, 'scan', install, '--format', 'json'], [baselineScript, install], 1024),
      compare('scan 10× install (113 MB, 6,640 docs) vs js-yaml parse', 1.5, [BIN, 'scan', big, '--format', 'json'], [baselineScript, big], 1024),
      compare(podsLabel, 1.5, [BIN, 'scan', pods, '--format', 'json'], [baselineScript, pods], 1024),
      compare('scan install, exposure + threat rules only, vs js-yaml parse', 1.5, [BIN, 'scan', install, '--format', 'json', '--category', 'exposure,threat'], [baselineScript, install]),
      compare('scan install with `--parse-crd-schemas` (CRD schemas parsed too), vs js-yaml parse', undefined, [BIN, 'scan', install, '--format', 'json', '--parse-crd-schemas'], [baselineScript, install]),
      compareVersion(),
    ];
    const points = growth(install, work);
    const hostile = await hostileRow();
    const base = points.find((p) => p.factor === 2)!.secondsPerMb;
    const lines = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; medians of ${RUNS} interleaved runs${QUICK ? ' (quick mode)' : ''}.`,
      '',
      '| benchmark | kfguard (s) | baseline (s) | ratio | target | peak RSS | verdict |',
      '|---|---:|---:|---:|---:|---:|---|',
      ...results.map((r) => {
        const rss = r.peakRssMb === undefined ? '—' : `${r.peakRssMb.toFixed(0)} MB (≤ ${r.rssTargetMb} MB)`;
        const verdict = r.target === undefined ? 'information' : passes(r) ? 'pass' : 'FAIL';
        return `| ${r.name} | ${r.subject.toFixed(3)} | ${r.baseline.toFixed(3)} | **${r.ratio.toFixed(2)}×** | ${r.target === undefined ? '—' : `≤ ${r.target}×`} | ${rss} | ${verdict} |`;
      }),
      '',
      `Growth: the install scanned at 1×, 2×, 5× and 10×, sizes interleaved; target: time per MB at every size ≥ 2× within ${GROWTH_LIMIT}× of the 2× figure (1× carries start-up) — ${growthPasses(points) ? 'pass' : 'FAIL'}.`,
      '',
      '| size | MB | kfguard (s) | ms per MB | vs 2× |',
      '|---|---:|---:|---:|---:|',
      ...points.map((p) => `| ${p.factor}× install | ${p.mb.toFixed(0)} | ${p.seconds.toFixed(3)} | ${(p.secondsPerMb * 1000).toFixed(1)} | ${(p.secondsPerMb / base).toFixed(2)}× |`),
      '',
      `Hostile growth (${hostile.classes} classes of bench/hostile-inputs.ts at 100 KB and 1 MB; the full table is \`npm run bench:hostile\`): slowest at 1 MB ${hostile.slowest.name} ${hostile.slowest.seconds.toFixed(3)} s (target ≤ ${SECONDS_AT_1MB_LIMIT} s); steepest rise in time per MB from 100 KB to 1 MB ${hostile.steepest.name} ${hostile.steepest.ratio.toFixed(2)}× (target flat, ≤ ${FLAT_LIMIT}×) — ${hostileRowPasses(hostile) ? 'pass' : 'FAIL'}${hostile.skippedAt1Mb.length > 0 ? `; not measured at 1 MB (their generators stop below it): ${hostile.skippedAt1Mb.join(', ')}` : ''}.`,
    ];
    const table = lines.join('\n');
    console.log(table);
    if (process.argv.includes('--record') && !QUICK) {
      const doc = readFileSync(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'utf8');
      const marker = '<!-- bench:results -->';
      // Only the results block is replaced: the sections after it (other benches) stay.
      const end = '<!-- /bench:results -->';
      const [head, rest = ''] = doc.split(marker);
      const tail = rest.includes(end) ? rest.slice(rest.indexOf(end) + end.length) : '\n';
      writeFileSync(join(REPO_ROOT, 'docs', 'benchmarks.md'), `${head}${marker}\n${table}\n${end}${tail}`);
    }
    if (results.some((r) => !passes(r)) || !growthPasses(points) || !hostileRowPasses(hostile)) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
