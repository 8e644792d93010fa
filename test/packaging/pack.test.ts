import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { EXPOSED_GATEWAY, tempDir } from '../helpers/cli.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack output installs into an empty directory', () => {
  const work = tempDir('kfguard-pack-');
  after(() => work.cleanup());

  test('kfguard --version and a scan run from the installed tarball', { timeout: 300_000 }, () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'kfguard.js')), 'run `npm run build` first (npm test does)');
    const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work.path], { cwd: REPO_ROOT, encoding: 'utf8' });
    const [info] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    assert.ok(info);
    const paths = info.files.map((f) => f.path);
    assert.ok(paths.includes('bin/kfguard.js'));
    assert.ok(paths.includes('dist/kfguard.js') && paths.includes('dist/bcrypt-worker.js'));
    assert.ok(!paths.some((p) => p.startsWith('test/') || p.startsWith('src/') || p.includes('.test.')), 'tests or sources leaked into the package');

    const app = join(work.path, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"empty-app","version":"1.0.0","private":true}\n');
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work.path, info.filename)], { cwd: app, stdio: 'pipe' });

    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const bin = join(app, 'node_modules', '.bin', 'kfguard');
    assert.equal(execFileSync(bin, ['--version'], { cwd: app, encoding: 'utf8' }).trim(), version);

    writeFileSync(join(app, 'gateway.yaml'), EXPOSED_GATEWAY);
    let out = '';
    try {
      out = execFileSync(bin, ['scan', 'gateway.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: app, encoding: 'utf8' });
    } catch (error) {
      assert.fail(`installed kfguard scan failed: ${String((error as { stderr?: string }).stderr ?? error)}`);
    }
    const report = JSON.parse(out) as { findings: { ruleId: string }[] };
    assert.ok(report.findings.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'));

    // The indicator data files and the bcrypt worker must ship too.
    copyFileSync(join(REPO_ROOT, 'examples', 'compromised-pipeline', 'miner-pods.yaml'), join(app, 'miners.yaml'));
    const threats = spawnSync(bin, ['scan', 'miners.yaml', '--format', 'json'], { cwd: app, encoding: 'utf8' });
    assert.equal(threats.status, 1, threats.stderr);
    const threatReport = JSON.parse(threats.stdout) as { findings: { ruleId: string; severity: string }[] };
    assert.equal(threatReport.findings.filter((f) => f.ruleId === 'crypto-miner-workload' && f.severity === 'critical').length, 2);
  });
});
