import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { escapeForTerminal } from '../../src/report/terminal-safe.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

/**
 * A Pod name can carry terminal escapes: here a carriage return, an erase-line sequence and a fake
 * "passes" summary, plus an OSC 8 link and a right-to-left override. The text report and stderr
 * must show them as inert escapes, so a critical miner cannot print "no findings".
 */
const HOSTILE = 'miner\r\u001b[2KSummary: no findings \u2014 passes\u001b]8;;https://evil.example\u0007x\u001b]8;;\u0007\u202e';

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: ${JSON.stringify(HOSTILE)}
  namespace: ml
spec:
  containers:
    - name: main
      image: alpine:3
      command: [sh, -c, "./xmrig -o stratum+tcp://pool.example.com:3333"]
`;

describe('text output and stderr are inert in a terminal', () => {
  test('escapeForTerminal shows every active character', () => {
    assert.equal(escapeForTerminal('a\u001b[31mb\rc\u202e\u0085'), 'a\\u001b[31mb\\u000dc\\u202e\\u0085');
    assert.equal(escapeForTerminal('plain text, ünïcödé'), 'plain text, ünïcödé');
  });

  test('invisible characters (soft hyphen, zero-width space, BOM, tag characters) are shown too', () => {
    const hidden = `xmr\u00adi\u200bg\ufeff${String.fromCodePoint(0xe0041, 0xe007f)}`;
    assert.equal(escapeForTerminal(hidden), 'xmr\\u00adi\\u200bg\\ufeff\\u{e0041}\\u{e007f}');
    // Other astral characters are kept whole.
    assert.equal(escapeForTerminal('run 🚀'), 'run 🚀');
  });

  test('the built CLI prints a hostile Pod name escaped, in text and on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-term-'));
    try {
      const file = join(dir, `pod\u001b[31m.yaml`);
      writeFileSync(file, MANIFEST);
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'scan', dir, '--no-color', '--fail-on', 'critical'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      assert.equal(run.status, 1, run.stderr);
      for (const [name, output] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
        // eslint-disable-next-line no-control-regex -- the test looks for exactly these raw characters
        assert.doesNotMatch(output, /[\u001b\r\u0007\u202e]/, `${name} carries a raw control character`);
      }
      assert.match(run.stdout, /miner\\u000d\\u001b\[2KSummary: no findings/);
      assert.match(run.stdout, /pod\\u001b\[31m\.yaml/);
      assert.match(run.stdout, /fails --fail-on critical/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
