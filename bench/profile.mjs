// Profiles one scan and prints where the time goes, by function and by source file:
//   node bench/profile.mjs FILE [scan options…]
//   PROFILE_COMMAND=audit node bench/profile.mjs LOG [audit options…]   (another command that takes files)
// The CLI is bundled into dist/profile/ without minification, so the bundle keeps esbuild's
// `// src/….ts` markers and each sample can be charged to the source file it came from (the shipped
// bundle is one minified file, which a profile cannot split by module).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { clientNodeTrim } from '../scripts/client-node-trim.mjs';

const root = new URL('..', import.meta.url).pathname;
const outdir = join(root, 'dist', 'profile');
await build({
  entryPoints: { kfguard: join(root, 'src/cli/run.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __kfguardCreateRequire } from 'node:module'; const require = __kfguardCreateRequire(import.meta.url);" },
  plugins: [clientNodeTrim()],
});
const dir = mkdtempSync(join(tmpdir(), 'kfguard-prof-'));
const driver = `const { run } = await import(${JSON.stringify(join(outdir, 'kfguard.js'))}); await run(process.argv.slice(1));`;
const [file, ...rest] = process.argv.slice(2);
const result = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--input-type=module', '-e', driver, process.env.PROFILE_COMMAND ?? 'scan', file, '--fail-on', 'none', '--format', 'json', '-o', '/dev/null', ...rest], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
const profilePath = join(dir, readdirSync(dir)[0]);
console.log(`profile: ${profilePath}`);

// Line → source file, from the bundle's module markers.
const bundleLines = readFileSync(join(outdir, 'kfguard.js'), 'utf8').split('\n');
const moduleAt = [];
let current = '(bundle)';
for (const line of bundleLines) {
  // Dependencies may sit behind a symlinked node_modules, so their markers are relative paths.
  const marker = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line);
  if (marker) current = marker[1].replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'node_modules/$1');
  moduleAt.push(current);
}
const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const total = profile.samples.length;
const byFunction = new Map();
const byFile = new Map();
const inclusive = new Map();
const parentOf = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const fileOf = (f) => (f.url.endsWith('/profile/kfguard.js') ? moduleAt[f.lineNumber] ?? '(bundle)' : f.url ? f.url.replace(/^.*\//, '') : `(${f.functionName || 'native'})`);
const keyOf = (f) => `${f.functionName || '(anonymous)'}  ${fileOf(f)}`;
for (const id of profile.samples) {
  const { callFrame: f } = byId.get(id);
  add(byFunction, keyOf(f));
  add(byFile, fileOf(f));
  // Inclusive time: each function on the stack once per sample, so recursion is not counted twice.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) seen.add(keyOf(byId.get(at).callFrame));
  for (const key of seen) add(inclusive, key);
}
const top = Number(process.env.PROFILE_TOP ?? 25);
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${total} samples, ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s`);
print('self time by function', byFunction);
print('self time by file', byFile);
print('total (inclusive) time by function', inclusive);
