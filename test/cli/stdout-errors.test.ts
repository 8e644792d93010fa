/**
 * Issue 17, "Unwritable output paths give a clear error": stdout is an output too. A reader that
 * closes the pipe early (`kfguard scan | head`) or a full disk must not give a stack trace.
 * Runs the built binary (needs `npm run build`), since the failure is in the process's own stdout.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';

const BIN = join(REPO_ROOT, 'bin', 'kfguard.js');
// Findings and a SARIF report of ~180 KB: more than a pipe holds, so the writer sees the close.
const ARGS = ['scan', join(REPO_ROOT, 'examples'), '--format', 'sarif'];

test('a reader closing the pipe early (| head) ends quietly with the scan\'s exit code', async () => {
  const child = spawn(process.execPath, [BIN, ...ARGS], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Closed before the report is written, so the child's write must meet EPIPE.
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 1, 'examples/ has findings at or above high');
});

test('a full disk on stdout is one line on stderr and exit 2', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, () => {
  const full = openSync('/dev/full', 'w');
  try {
    const run = spawnSync(process.execPath, [BIN, ...ARGS], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(run.stderr, 'kfguard: output error: cannot write to standard output: ENOSPC\n');
    assert.equal(run.status, 2);
  } finally {
    closeSync(full);
  }
});
