import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { diffPath, quoteHeaderName } from '../../src/fix/diff-path.js';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';

/**
 * The `fix` preview's `--- a/…` / `+++ b/…` headers name files as git does (issue 17): relative to
 * the working directory inside it, else the absolute path without its leading slash (it printed
 * `a//tmp/…`), quoted with C escapes when a name holds a control character. `patch -p1` applies them.
 */
test('header paths: relative inside the working directory, absolute without a doubled slash outside it', () => {
  assert.equal(diffPath('/work/repo', '/work/repo/overlays/prod/svc.yaml'), 'overlays/prod/svc.yaml');
  assert.equal(diffPath('/work/repo', '/tmp/x/svc.yaml'), 'tmp/x/svc.yaml');
  assert.equal(diffPath('/work/repo', '/work/repo-other/svc.yaml'), 'work/repo-other/svc.yaml');
  // A name starting with two dots is inside, not a way up.
  assert.equal(diffPath('/work/repo', '/work/repo/..svc.yaml'), '..svc.yaml');
});

test('header names with control characters are quoted as git quotes them; plain names are not', () => {
  assert.equal(quoteHeaderName('a/svc.yaml'), 'a/svc.yaml');
  assert.equal(quoteHeaderName('a/x\ny\tz".yaml'), '"a/x\\ny\\tz\\".yaml"');
  assert.equal(quoteHeaderName('a/\x1b]8;;\x07\u202e.yaml'), '"a/\\033]8;;\\a\\342\\200\\256.yaml"');
});

describe('fix previews apply with patch -p1', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const outside = tempDir('kfguard-fix-outside-');
  after(() => outside.cleanup());

  const preview = async (cwd: string, path: string): Promise<string> => {
    const run = await runCli(['fix', path, '--rule', 'kubeflow-dashboard-exposed'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };

  test('a file outside the working directory, named by its absolute path', { skip: skipWithout('patch') }, async () => {
    const file = join(outside.path, 'gw.yaml');
    writeFileSync(file, EXPOSED_GATEWAY);
    const diff = await preview(dir.path, file);
    const name = file.slice(1);
    assert.match(diff, new RegExp(`^--- a/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.doesNotMatch(diff, /^(?:---|\+\+\+) [ab]\/\//m);
    const applied = spawnSync('patch', ['-p1', '--dry-run', '-d', '/'], { input: diff, encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stdout + applied.stderr);
  });

  test('a file inside it, named relative, also when given by its absolute path', { skip: skipWithout('patch') }, async () => {
    mkdirSync(join(dir.path, 'sub'), { recursive: true });
    const file = join(dir.path, 'sub', 'gw.yaml');
    writeFileSync(file, EXPOSED_GATEWAY);
    const diff = await preview(dir.path, file);
    assert.match(diff, /^--- a\/sub\/gw\.yaml$/m);
    assert.match(diff, /^\+\+\+ b\/sub\/gw\.yaml$/m);
    const applied = spawnSync('patch', ['-p1', '-d', dir.path], { input: diff, encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stdout + applied.stderr);
    assert.match(readFileSync(file, 'utf8'), /type: ClusterIP/);
  });

  test('a file name with a newline and an escape sequence stays one quoted header line', async () => {
    const name = 'nl\n+++ b:evil\x1b[2K.yaml';
    writeFileSync(join(dir.path, name), EXPOSED_GATEWAY);
    const run = await runCli(['fix', name, '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^--- "a\/nl\\n\+\+\+ b:evil\\033\[2K\.yaml"$/m);
    assert.doesNotMatch(run.stdout, /^\+\+\+ b:evil/m);
    assert.ok(!run.stdout.includes('\x1b'), 'a raw ESC reached the preview');
  });
});
