import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * Each stderr line is kfguard's: a file or object name holding a newline, CR or ESC must not start
 * a line of its own (a forged `kfguard: ... passes`) or act on the terminal. The in-memory io used
 * here writes stderr raw, so what is checked is what the commands themselves produce.
 */
// eslint-disable-next-line no-control-regex
const ACTIVE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const FORGED = 'kfguard: forged line';
const HOSTILE_NAME = `evil\u001b]52;c;QQ==\u0007\n${FORGED}\r.yaml`;

function assertOwnLines(stderr: string): void {
  assert.doesNotMatch(stderr, ACTIVE_BUT_NEWLINE);
  assert.ok(!stderr.split('\n').some((line) => line.startsWith(FORGED)), stderr);
}

describe('stderr lines from input', () => {
  const dir = tempDir('kfguard-stderr-lines-');
  after(() => dir.cleanup());
  writeFileSync(join(dir.path, HOSTILE_NAME), 'a: [\n');

  test('fix: an input error for a file named with a newline is one line', async () => {
    const run = await runCli(['fix', HOSTILE_NAME], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /input error: evil\\u001b\]52;c;QQ==\\u0007\\u000akfguard: forged line\\u000d\.yaml/);
    assertOwnLines(run.stderr);
  });

  test('fix: a note naming an object with a newline in its name is one line', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: "nb\\n${FORGED}", namespace: kubeflow}
spec:
  containers:
  - name: a
    image: jupyter/base-notebook:2024-01-01
    args: ["--NotebookApp.token=''"]
`;
    writeFileSync(join(dir.path, 'pod.yaml'), pod);
    const run = await runCli(['fix', 'pod.yaml'], { cwd: dir.path });
    assert.match(run.stderr, /Before applying:/, run.stderr);
    assertOwnLines(run.stderr);
  });

  test('audit: an input error for a log named with a newline is one line', async () => {
    const log = `${HOSTILE_NAME}.log`;
    writeFileSync(join(dir.path, log), '{not json\n');
    const run = await runCli(['audit', log, '--format', 'json'], { cwd: dir.path });
    assert.match(run.stderr, /input error: evil\\u001b/, run.stderr);
    assertOwnLines(run.stderr);
  });
});
