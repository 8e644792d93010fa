// Bundles the CLI and its worker into dist/: one file loads in a fraction of the time Node takes to
// resolve and link ~170 ES modules, which matters for a tool run once per CI step. Every runtime
// dependency is bundled, so the published package depends on nothing; the licence of each bundled
// package goes to dist/THIRD-PARTY-NOTICES.txt.
// Nothing is printed on stdout: `npm pack` runs this (prepack) and pre-commit reads the tarball
// name from pack's stdout.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { clientNodeTrim } from './client-node-trim.mjs';

// Chunk names carry content hashes; stale ones from earlier builds must not ship.
rmSync('dist', { recursive: true, force: true });

const result = await build({
  entryPoints: { kfguard: 'src/cli/run.ts', 'bcrypt-worker': 'src/bcrypt/bcrypt-worker.ts' },
  outdir: 'dist',
  bundle: true,
  // Lazily imported parts (zod for config files) become chunks loaded only when needed.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  // No keepNames: identifiers are not minified, so functions keep their names anyway, and keepNames
  // wraps every closure in a `__name()` call at creation (about 4% of a pod-heavy scan, mostly in
  // the container walk).
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  // The full licence texts are in THIRD-PARTY-NOTICES.txt.
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // Bundled CommonJS dependencies (yaml) call require() for Node built-ins.
  banner: { js: "import { createRequire as __kfguardCreateRequire } from 'node:module'; const require = __kfguardCreateRequire(import.meta.url);" },
  plugins: [clientNodeTrim()],
});

writeFileSync(join('dist', 'THIRD-PARTY-NOTICES.txt'), thirdPartyNotices(result.metafile));

/** The package directory of every node_modules file esbuild put into the bundle. */
function bundledPackageDirs(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(match[1]);
  }
  return [...dirs];
}

function thirdPartyNotices(metafile) {
  const packages = new Map();
  for (const dir of bundledPackageDirs(metafile)) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((name) => /^(licen[cs]e|copying|notice)/i.test(name));
    const text = licenseFile === undefined ? undefined : readFileSync(join(dir, licenseFile), 'utf8').trim();
    packages.set(`${pkg.name}@${pkg.version}`, { name: pkg.name, version: pkg.version, license: licenseOf(pkg), text });
  }
  const sections = [...packages.values()]
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
    .map((p) => `${'='.repeat(78)}\n${p.name} ${p.version} (${p.license})\n${'='.repeat(78)}\n${p.text ?? `The package ships no licence file; its package.json declares ${p.license}.`}\n`);
  return `kfguard bundles the following packages into dist/. Their licences follow.\n\n${sections.join('\n')}`;
}

function licenseOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type).join(' OR ');
  return 'no licence declared';
}
