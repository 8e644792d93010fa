import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { NO_PRETENURING_FLAG, pretenuringFlag } from '../../src/watch/pretenuring.js';

describe('kfguard watch allocates every object young', () => {
  test('turns pretenuring off unless the user set it either way', () => {
    assert.equal(pretenuringFlag([], undefined), NO_PRETENURING_FLAG);
    assert.equal(pretenuringFlag(['--max-old-space-size=2048'], '--heap-growing-percent=50'), NO_PRETENURING_FLAG);
    assert.equal(pretenuringFlag(['--allocation-site-pretenuring'], undefined), undefined);
    assert.equal(pretenuringFlag([], '--no-allocation_site_pretenuring'), undefined);
  });

  // setFlagsFromString only warns on a flag V8 does not know: check this Node's V8 has it, and
  // that a misspelt one is refused, so the check itself can fail.
  test("this Node's V8 knows the flag", () => {
    const run = spawnSync(process.execPath, [NO_PRETENURING_FLAG, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0);
    assert.doesNotMatch(run.stderr, /unrecognized|unknown/i);
    const unknown = spawnSync(process.execPath, ['--no-allocation-site-pretenuring-no-such-flag', '-e', '0'], { encoding: 'utf8' });
    assert.match(`${unknown.stderr}${unknown.status}`, /unrecognized|bad option|[1-9]/i);
  });
});
