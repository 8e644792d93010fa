/**
 * Report files are written where the user says, but a path inside the working directory is a path
 * of the scanned tree: a pull request can commit `kfguard.sarif -> ~/.bashrc` next to the manifests,
 * and the GitHub Action writes `--format sarif=kfguard.sarif` in the workspace. Runs the built binary
 * (needs `npm run build`), since the check is in the process's own file writer.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EXPOSED_GATEWAY, runBin, tempDir } from '../helpers/cli.js';

const dir = tempDir('kfguard-output-links-');
after(() => dir.cleanup());

test('a report path inside the working directory that is, or runs through, a symlink is not written', () => {
  const repo = join(dir.path, 'repo');
  mkdirSync(join(repo, 'reports'), { recursive: true });
  writeFileSync(join(repo, 'gateway.yaml'), EXPOSED_GATEWAY);
  const victim = join(dir.path, 'victim');
  writeFileSync(victim, 'keep me\n');
  mkdirSync(join(dir.path, 'victim-dir'));
  symlinkSync(victim, join(repo, 'kfguard.sarif'));
  symlinkSync(join(dir.path, 'victim-dir'), join(repo, 'reports', 'out'));
  symlinkSync(victim, join(repo, 'baseline.json'));
  const run = runBin(['scan', 'gateway.yaml', '--format', 'sarif=kfguard.sarif', '--format', 'json=reports/out/r.json', '--format', 'junit=ok.xml', '--write-baseline', 'baseline.json', '--fail-on', 'none'], { cwd: repo });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /cannot write kfguard\.sarif: refusing to write through the symbolic link/);
  assert.match(run.stderr, /cannot write reports\/out\/r\.json: refusing to write through the symbolic link/);
  assert.match(run.stderr, /cannot write baseline\.json: refusing to write through the symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
  assert.match(readFileSync(join(repo, 'ok.xml'), 'utf8'), /<testsuites/, 'the other outputs are still written');
});
