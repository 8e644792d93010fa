// The pod-heavy scan's CPU time stage by stage, against the js-yaml baseline process:
//   node bench/pod-heavy-floor.mjs FILE [ROUNDS] [MODE,...]
// With BASE_BIN=/path/to/other/bin/kfguard.js a mode `cli-base` runs that build too (an A/B).
// Bundles bench/pod-heavy-stage.ts as the CLI is bundled (one minified ESM file), then runs every
// mode and the baseline as separate processes, interleaved round by round (the machines are shared,
// so each round sees the same load), and prints each mode's median CPU time (user + sys, every
// thread, start to exit; bench/max-rss.mjs) and peak RSS, and the step from the mode before.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const [file, roundsText, modesText] = process.argv.slice(2);
if (!file) throw new Error('usage: pod-heavy-floor.mjs FILE [ROUNDS] [MODE,...]');
const rounds = Number(roundsText ?? 3);
const MODES = ['read', 'yaml-default-drop', 'yaml-core-drop', 'yaml-core-keep', 'yaml-core-keep-lean', 'stream', 'collect', 'guardrails', 'no-miner', 'rules', 'cli'];
const modes = modesText ? modesText.split(',') : process.env.BASE_BIN ? [...MODES, 'cli-base'] : MODES;
const outfile = join(root, 'dist', 'bench', 'pod-heavy-stage.js');
await build({
  entryPoints: [join(root, 'bench', 'pod-heavy-stage.ts')],
  outfile,
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __kfguardCreateRequire } from 'node:module'; const require = __kfguardCreateRequire(import.meta.url);" },
});

const preload = ['--import', join(root, 'bench', 'max-rss.mjs')];
const commandOf = (mode) =>
  mode === 'baseline'
    ? [...preload, join(root, 'bench', 'baseline-parse.mjs'), file]
    : mode === 'cli' || mode === 'cli-base'
      ? [...preload, mode === 'cli' ? join(root, 'bin', 'kfguard.js') : process.env.BASE_BIN, 'scan', file, '--format', 'json', '--fail-on', 'none', '-o', '/dev/null']
      : [...preload, outfile, mode, file];
const samples = new Map(['baseline', ...modes].map((m) => [m, { cpu: [], rss: [] }]));
for (let round = 0; round < rounds; round++) {
  for (const mode of ['baseline', ...modes]) {
    const run = spawnSync(process.execPath, commandOf(mode), { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`${mode} failed: ${run.stderr}`);
    const cpu = Number(/BENCH_CPU_US=(\d+)/.exec(run.stderr)?.[1]) / 1e6;
    const rss = Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1]) / 1024;
    samples.get(mode).cpu.push(cpu);
    samples.get(mode).rss.push(rss);
    // Each sample as it comes: a run cut short under load still leaves what it measured.
    process.stderr.write(`sample ${mode} ${cpu.toFixed(2)} s CPU ${rss.toFixed(0)} MB\n`);
  }
  process.stderr.write(`round ${round + 1}/${rounds} done, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples.get('baseline').cpu);
let previous;
console.log('mode                  CPU s (median)   × baseline   step s   peak RSS MB   all CPU samples');
for (const [mode, s] of samples) {
  const cpu = median(s.cpu);
  const step = previous === undefined ? '' : (cpu - previous).toFixed(2);
  console.log(`${mode.padEnd(22)}${cpu.toFixed(2).padStart(8)}${(cpu / base).toFixed(2).padStart(16)}${step.padStart(10)}${median(s.rss).toFixed(0).padStart(12)}   ${s.cpu.map((c) => c.toFixed(2)).join(' ')}`);
  if (mode !== 'baseline') previous = cpu;
}
