import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { heapGrowthFlag, WATCH_HEAP_GROWING_PERCENT } from '../../src/watch/heap-growth.js';

describe('kfguard watch bounds heap growth', () => {
  test('sets the growing factor unless the user chose one', () => {
    assert.equal(heapGrowthFlag([], undefined), `--heap-growing-percent=${WATCH_HEAP_GROWING_PERCENT}`);
    assert.equal(heapGrowthFlag(['--max-old-space-size=2048'], '--enable-source-maps'), `--heap-growing-percent=${WATCH_HEAP_GROWING_PERCENT}`);
    assert.equal(heapGrowthFlag(['--heap-growing-percent=20'], undefined), undefined);
    assert.equal(heapGrowthFlag(['--heap_growing_percent=20'], undefined), undefined);
    assert.equal(heapGrowthFlag([], '--max-old-space-size=512 --heap-growing-percent=80'), undefined);
  });

  // setFlagsFromString only warns on a flag V8 does not know: a Node whose V8 dropped it would
  // leave the watch unbounded without a word, so the flag's existence is checked here.
  test("this Node's V8 knows the flag", () => {
    const run = spawnSync(process.execPath, [heapGrowthFlag([], undefined)!, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0);
    assert.doesNotMatch(run.stderr, /unrecognized|unknown/i);
    const unknown = spawnSync(process.execPath, ['--heap-growing-percentage-no-such-flag=50', '-e', '0'], { encoding: 'utf8' });
    assert.match(`${unknown.stderr}${unknown.status}`, /unrecognized|bad option|[1-9]/i);
  });
});
