import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { EXPOSED_GATEWAY, tempDir } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackageJson {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly repository?: { url: string };
  readonly homepage?: string;
  readonly bugs?: { url: string };
  readonly license: string;
  readonly allowScripts?: Record<string, boolean>;
}
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/**
 * The release path as a user and pre-commit take it: `npm pack` in a copy of the repository (so the
 * prepare build it runs cannot disturb the dist/ other test files are using), then a global
 * install of the tarball into an empty prefix, offline.
 */
describe('npm pack, then a global install from the tarball', () => {
  const work = tempDir('kfguard-pack-');
  after(() => work.cleanup());

  test('pack prints only the tarball name, and the installed kfguard runs with no dependency installed', { timeout: 300_000, skip: skipWithout('tar') }, () => {
    const checkout = join(work.path, 'checkout');
    for (const entry of ['bin', 'data', 'scripts', 'src', 'package.json', 'package-lock.json', '.npmrc', 'README.md', 'SECURITY.md', 'LICENSE', 'tsconfig.json']) {
      cpSync(join(REPO_ROOT, entry), join(checkout, entry), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');

    // pre-commit takes the whole of `npm pack`'s stdout as the tarball's file name.
    const packed = spawnSync(npm, ['pack'], { cwd: checkout, encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr);
    assert.equal(packed.stdout, `kfguard-${pkg.version}.tgz\n`, 'npm pack printed more than the tarball name on stdout');
    const tarball = join(checkout, `kfguard-${pkg.version}.tgz`);

    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    for (const shipped of ['bin/kfguard.js', 'dist/kfguard.js', 'dist/bcrypt-worker.js', 'dist/THIRD-PARTY-NOTICES.txt', 'LICENSE', 'SECURITY.md', 'README.md']) {
      assert.ok(listed.includes(`package/${shipped}`), `${shipped} missing from the package`);
    }
    assert.ok(!listed.some((p) => p.startsWith('package/test/') || p.startsWith('package/src/') || p.includes('.test.')), 'tests or sources leaked into the package');
    assert.ok(!listed.includes('package/.npmrc'));

    const prefix = join(work.path, 'prefix');
    const install = spawnSync(npm, ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: work.path, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /warn/i, 'a global install must not warn');
    const installed = join(prefix, 'lib', 'node_modules', 'kfguard');
    assert.ok(!existsSync(join(installed, 'node_modules')), `the bundle needs no installed dependency, found ${existsSync(join(installed, 'node_modules')) ? readdirSync(join(installed, 'node_modules')).join(', ') : ''}`);

    const bin = join(prefix, 'bin', 'kfguard');
    const app = join(work.path, 'app');
    cpSync(join(REPO_ROOT, 'examples', 'compromised-pipeline', 'miner-pods.yaml'), join(app, 'miners.yaml'));
    writeFileSync(join(app, 'gateway.yaml'), EXPOSED_GATEWAY);
    assert.equal(execFileSync(bin, ['--version'], { cwd: app, encoding: 'utf8' }).trim(), pkg.version);

    const exposed = spawnSync(bin, ['scan', 'gateway.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: app, encoding: 'utf8' });
    assert.equal(exposed.status, 0, exposed.stderr);
    assert.ok((JSON.parse(exposed.stdout) as { findings: { ruleId: string }[] }).findings.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'));

    // The indicator data files and the bcrypt worker must ship too.
    const threats = spawnSync(bin, ['scan', 'miners.yaml', '--format', 'json'], { cwd: app, encoding: 'utf8' });
    assert.equal(threats.status, 1, threats.stderr);
    const threatReport = JSON.parse(threats.stdout) as { findings: { ruleId: string; severity: string }[] };
    assert.equal(threatReport.findings.filter((f) => f.ruleId === 'crypto-miner-workload' && f.severity === 'critical').length, 2);

    // The webhook's lazily loaded chunk (x509, pino) works from the bundle alone.
    const certs = spawnSync(bin, ['webhook', 'certs', '--out', join(app, 'certs')], { cwd: app, encoding: 'utf8' });
    assert.equal(certs.status, 0, certs.stderr);
    assert.ok(existsSync(join(app, 'certs', 'tls.crt')));
  });
});

describe('package metadata', () => {
  test('nothing the bundle contains is also installed as a dependency', () => {
    const notices = join(REPO_ROOT, 'dist', 'THIRD-PARTY-NOTICES.txt');
    assert.ok(existsSync(notices), 'run `npm run build` first (npm test does)');
    const bundled = new Set([...readFileSync(notices, 'utf8').matchAll(/^(\S+) \S+ \([^)]*\)$/gm)].map((m) => m[1]));
    for (const name of ['js-yaml', 'yaml', 'zod']) assert.ok(bundled.has(name), `${name} is bundled and its licence listed`);
    const installedToo = Object.keys(pkg.dependencies ?? {}).filter((name) => bundled.has(name));
    assert.deepEqual(installedToo, [], 'bundled packages belong in devDependencies: installing them again only slows `npm install -g`');
  });

  test('every dependency with an install script has a decision in allowScripts, so `npm ci` prints no review warning', () => {
    // npm 11.16+ lists unreviewed install scripts after every install, and npm 12 skips them.
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    assert.ok(withScripts.includes('esbuild'), 'the lockfile marks no install script; the test would prove nothing');
    const decided = new Set(Object.keys(pkg.allowScripts ?? {}).map((key) => key.replace(/(?<=.)@[^@]*$/, '')));
    assert.deepEqual(withScripts.filter((name) => !decided.has(name)), []);
  });

  test('the licence is declared, and no repository, homepage or bugs URL is claimed before one exists', () => {
    assert.equal(pkg.license, 'Apache-2.0');
    assert.match(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
    // The repository has no published remote; a made-up URL would send users (and npm) to a stranger's page.
    assert.deepEqual([pkg.repository, pkg.homepage, pkg.bugs], [undefined, undefined, undefined]);
    for (const file of ['README.md', 'docs/ci/README.md', 'docs/ci/gitlab-ci.yml']) {
      assert.doesNotMatch(readFileSync(join(REPO_ROOT, file), 'utf8'), /github\.com\/kfguard\/kfguard/, file);
    }
  });
});
