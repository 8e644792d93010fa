/**
 * `npm run bench:audit`: `kfguard audit` (the built CLI, JSON report to /dev/null) against a bare
 * `readline` + `JSON.parse` loop over the same generated log, in the same run, alternating.
 * Targets (issue 12): throughput at least 50% of the baseline's, peak RSS at most 200 MB.
 * BENCH_AUDIT_MB sets the log size (default 1024), BENCH_AUDIT_RUNS the pairs (default 2).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/testing/shared.js';
import { writeAuditLog } from './audit-log-gen.js';

const MB = Number(process.env.BENCH_AUDIT_MB ?? 1024);
const RUNS = Number(process.env.BENCH_AUDIT_RUNS ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'kfguard-bench-audit-'));
const log = join(dir, 'audit.log');

function timed(args: readonly string[]): { seconds: number; cpuSeconds?: number; rssKb?: number; status: number | null } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'bench', 'max-rss.mjs'), ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(result.stderr ?? '');
  const cpu = /BENCH_CPU_US=(\d+)/.exec(result.stderr ?? '');
  return { seconds, ...(rss ? { rssKb: Number(rss[1]) } : {}), ...(cpu ? { cpuSeconds: Number(cpu[1]) / 1e6 } : {}), status: result.status };
}

try {
  const generated = await writeAuditLog(log, MB * 1024 * 1024);
  const size = statSync(log).size / (1024 * 1024);
  console.log(`log: ${size.toFixed(0)} MB, ${generated.events} events`);
  const subject: number[] = [];
  const baseline: number[] = [];
  // CPU time (user + system) beside wall time: on a shared machine it says what the work cost when
  // the wall clock mostly says how long the process waited for a core.
  const subjectCpu: number[] = [];
  const baselineCpu: number[] = [];
  let peakKb = 0;
  for (let run = 0; run < RUNS; run++) {
    const base = timed([join(REPO_ROOT, 'bench', 'readline-parse.mjs'), log]);
    baseline.push(base.seconds);
    baselineCpu.push(base.cpuSeconds ?? NaN);
    const audit = timed([join(REPO_ROOT, 'bin', 'kfguard.js'), 'audit', log, '--format', 'json', '-o', '/dev/null', '--fail-on', 'none', '-q']);
    if (audit.status !== 0) throw new Error(`kfguard audit exited ${audit.status}`);
    subject.push(audit.seconds);
    subjectCpu.push(audit.cpuSeconds ?? NaN);
    peakKb = Math.max(peakKb, audit.rssKb ?? 0);
    console.log(`run ${run + 1}: baseline ${base.seconds.toFixed(2)} s (CPU ${base.cpuSeconds?.toFixed(2)} s), kfguard audit ${audit.seconds.toFixed(2)} s (CPU ${audit.cpuSeconds?.toFixed(2)} s), peak RSS ${((audit.rssKb ?? 0) / 1024).toFixed(0)} MB`);
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
  const share = median(baseline) / median(subject);
  const peakMb = peakKb / 1024;
  console.log(`throughput: ${(size / median(subject)).toFixed(0)} MB/s vs baseline ${(size / median(baseline)).toFixed(0)} MB/s = ${(share * 100).toFixed(0)}% (target ≥ 50%) ${share >= 0.5 ? 'PASS' : 'FAIL'}`);
  console.log(`CPU time share: ${((median(baselineCpu) / median(subjectCpu)) * 100).toFixed(0)}% (baseline CPU over kfguard audit CPU; for a loaded machine, not the target)`);
  console.log(`peak RSS: ${peakMb.toFixed(0)} MB (target ≤ 200 MB) ${peakMb <= 200 ? 'PASS' : 'FAIL'}`);
  if (share < 0.5 || peakMb > 200) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
