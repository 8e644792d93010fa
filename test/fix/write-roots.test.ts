/**
 * Issue 17, "`fix` writes only where it should": a repository's author controls its symlinks, so
 * no symlink may steer a `fix` write, every write stays inside the root the user named, and two
 * inputs never share an `--out` path.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeInside } from '../../src/cli/write-inside.js';
import { EXPOSED_GATEWAY, runBin, runCli, tempDir } from '../helpers/cli.js';

const RULE = ['--rule', 'kubeflow-dashboard-exposed'];

describe('fix write roots', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  let n = 0;
  /** A fresh repository folder and an "outside" folder next to it. */
  function layout(): { repo: string; outside: string } {
    n++;
    const repo = join(dir.path, `repo${n}`);
    const outside = join(dir.path, `outside${n}`);
    mkdirSync(repo, { recursive: true });
    mkdirSync(outside, { recursive: true });
    return { repo, outside };
  }

  test('--in-place refuses a committed symlink to a file outside the tree', async () => {
    const { repo, outside } = layout();
    const victim = join(outside, 'victim.yaml');
    writeFileSync(victim, EXPOSED_GATEWAY);
    symlinkSync(victim, join(repo, 'gateway.yaml'));
    writeFileSync(join(repo, 'real.yaml'), EXPOSED_GATEWAY.replace(/istio-ingressgateway/g, 'other-gateway'));
    const run = await runCli(['fix', '.', '--in-place', ...RULE], { cwd: repo });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /cannot write gateway\.yaml: refusing to write through the symbolic link/);
    assert.match(run.stderr, /1 file\(s\) not written \(see above\)/);
    assert.equal(readFileSync(victim, 'utf8'), EXPOSED_GATEWAY, 'the file outside the tree was rewritten');
    assert.match(readFileSync(join(repo, 'real.yaml'), 'utf8'), /type: ClusterIP/, 'the real file next to it must still be fixed');
  });

  test('--in-place refuses a file named through a committed directory symlink (a shell glob expands through it)', async () => {
    const { repo, outside } = layout();
    writeFileSync(join(outside, 'target.yaml'), EXPOSED_GATEWAY);
    symlinkSync(outside, join(repo, 'dirlink'));
    const run = await runCli(['fix', 'dirlink/target.yaml', '--in-place', ...RULE], { cwd: repo });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /refusing to write through the symbolic link .*dirlink/);
    assert.equal(readFileSync(join(outside, 'target.yaml'), 'utf8'), EXPOSED_GATEWAY, 'the file outside the tree was rewritten');
  });

  test('output paths under /proc fail at once with a clear error instead of hanging', async () => {
    // The built binary, through the real file writer (Node 20's recursive mkdir never returned here).
    const run = runBin(['scan', '-', '-o', '/proc/kfguard-no-such/report.json'], { input: EXPOSED_GATEWAY });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /cannot write \/proc\/kfguard-no-such\/report\.json: a directory on the path does not exist/);
  });

  test('a committed symlink named <dir>-kfguard-fix cannot redirect the overlay', async () => {
    const { repo, outside } = layout();
    mkdirSync(join(repo, 'base'));
    writeFileSync(join(repo, 'base', 'kustomization.yaml'), 'resources:\n- gateway.yaml\n');
    writeFileSync(join(repo, 'base', 'gateway.yaml'), EXPOSED_GATEWAY);
    symlinkSync(outside, join(repo, 'base-kfguard-fix'));
    const run = await runCli(['fix', 'base', '--in-place', ...RULE], { cwd: repo });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /refusing to write through the symbolic link .*base-kfguard-fix/);
    assert.deepEqual(readdirSync(outside), []);
  });

  test('without the symlink the in-place overlay is written next to the directory', async () => {
    const { repo } = layout();
    mkdirSync(join(repo, 'base'));
    writeFileSync(join(repo, 'base', 'kustomization.yaml'), 'resources:\n- gateway.yaml\n');
    writeFileSync(join(repo, 'base', 'gateway.yaml'), EXPOSED_GATEWAY);
    const run = await runCli(['fix', 'base', '--in-place', ...RULE], { cwd: repo });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(repo, 'base-kfguard-fix', 'kustomization.yaml')));
  });

  test('--out DIR does not follow symlinks already under DIR', async () => {
    const { repo, outside } = layout();
    mkdirSync(join(repo, 'sub'));
    writeFileSync(join(repo, 'sub', 'gateway.yaml'), EXPOSED_GATEWAY);
    mkdirSync(join(repo, 'fixed'));
    symlinkSync(outside, join(repo, 'fixed', 'sub'));
    const run = await runCli(['fix', 'sub', '--out', 'fixed', ...RULE], { cwd: repo });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /refusing to write through the symbolic link .*fixed\/sub/);
    assert.deepEqual(readdirSync(outside), []);
  });

  test('--out DIR inside the working directory that is (or runs through) a committed symlink is refused', async () => {
    const { repo, outside } = layout();
    writeFileSync(join(repo, 'gateway.yaml'), EXPOSED_GATEWAY);
    // A CI step runs `kfguard fix . --out fixed`; the pull request commits `fixed -> somewhere`.
    symlinkSync(outside, join(repo, 'fixed'));
    mkdirSync(join(repo, 'real'));
    symlinkSync(outside, join(repo, 'real', 'link'));
    for (const out of ['fixed', 'fixed/deeper', 'real/link/x']) {
      const run = await runCli(['fix', 'gateway.yaml', '--out', out, ...RULE], { cwd: repo });
      assert.equal(run.code, 2, `${out}: ${run.stderr}`);
      assert.match(run.stderr, /refusing --out .*: .* is a symbolic link/, out);
    }
    assert.deepEqual(readdirSync(outside), []);
    // A directory outside the working directory is the user's own, links and all.
    const elsewhere = join(dir.path, `elsewhere${n}`);
    symlinkSync(outside, elsewhere);
    const run = await runCli(['fix', 'gateway.yaml', '--out', elsewhere, ...RULE], { cwd: repo });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(readdirSync(outside), ['gateway.yaml']);
  });

  test('--out gives two inputs with the same base name two different files', async () => {
    const { repo, outside } = layout();
    mkdirSync(join(outside, 'a'));
    mkdirSync(join(outside, 'b'));
    writeFileSync(join(outside, 'a', 'gateway.yaml'), EXPOSED_GATEWAY);
    writeFileSync(join(outside, 'b', 'gateway.yaml'), EXPOSED_GATEWAY.replace(/istio-ingressgateway/g, 'second-gateway'));
    const run = await runCli(['fix', join(outside, 'a', 'gateway.yaml'), join(outside, 'b', 'gateway.yaml'), '--out', 'fixed', ...RULE], { cwd: repo });
    assert.equal(run.code, 0, run.stderr);
    const written = readdirSync(join(repo, 'fixed')).sort();
    assert.deepEqual(written, ['gateway-2.yaml', 'gateway.yaml']);
    const texts = written.map((name) => readFileSync(join(repo, 'fixed', name), 'utf8'));
    assert.equal(texts.filter((t) => t.includes('second-gateway')).length, 1, 'one output overwrote the other');
  });

  test('a file reached through a symlinked directory the reader followed is not written', async () => {
    const { repo, outside } = layout();
    writeFileSync(join(outside, 'gateway.yaml'), EXPOSED_GATEWAY);
    symlinkSync(outside, join(repo, 'linked'));
    const run = await runCli(['fix', '.', '--in-place', ...RULE], { cwd: repo });
    assert.notEqual(run.code, 0);
    assert.equal(readFileSync(join(outside, 'gateway.yaml'), 'utf8'), EXPOSED_GATEWAY);
  });
});

describe('writeInside', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  test('creates missing directories and writes inside the root', async () => {
    await writeInside(dir.path, join(dir.path, 'a', 'b', 'c.yaml'), 'x: 1\n');
    assert.equal(readFileSync(join(dir.path, 'a', 'b', 'c.yaml'), 'utf8'), 'x: 1\n');
  });

  test('refuses paths outside the root, the root itself and non-regular files', async () => {
    await assert.rejects(writeInside(join(dir.path, 'a'), join(dir.path, 'elsewhere.yaml'), ''), /outside/);
    await assert.rejects(writeInside(join(dir.path, 'a'), join(dir.path, 'a', '..', 'x.yaml'), ''), /outside/);
    await assert.rejects(writeInside(dir.path, dir.path, ''), /outside/);
    mkdirSync(join(dir.path, 'adir'));
    await assert.rejects(writeInside(dir.path, join(dir.path, 'adir'), ''), /not a regular file/);
    writeFileSync(join(dir.path, 'afile'), '');
    await assert.rejects(writeInside(dir.path, join(dir.path, 'afile', 'x.yaml'), ''), /not a directory/);
  });

  test('a FIFO in place of the output is refused, without hanging', { skip: process.platform === 'win32' }, async () => {
    const fifo = join(dir.path, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(writeInside(dir.path, fifo, 'x'), /not a regular file/);
  });

  test('a dangling symlink is not created through', async () => {
    const link = join(dir.path, 'dangling.yaml');
    symlinkSync(join(dir.path, 'would-be-created.yaml'), link);
    await assert.rejects(writeInside(dir.path, link, 'x'), /symbolic link/);
    assert.ok(!existsSync(join(dir.path, 'would-be-created.yaml')));
  });
});
