import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CompactionPolicy, compactionWanted, userChoseCompaction, WATCH_COMPACTION } from '../../src/watch/heap-compaction.js';

const MB = 2 ** 20;

function policy(options = WATCH_COMPACTION): { policy: CompactionPolicy; flags: string[]; clock: { now: number } } {
  const flags: string[] = [];
  const clock = { now: 1_000_000 };
  return { policy: new CompactionPolicy(options, (flag) => flags.push(flag), () => clock.now), flags, clock };
}

describe('kfguard watch compacts old space when it drifts past the live set', () => {
  test('a heap committed within the factor of its live set is left alone', () => {
    const { policy: p, flags } = policy();
    // 1.5× the live set is what a heap growing by 1.5 commits anyway just before each collection.
    assert.equal(p.afterFullCollection(200 * MB, 300 * MB, 50), 'none');
    assert.equal(p.afterFullCollection(200 * MB, 339 * MB, 50), 'none');
    assert.deepEqual(flags, []);
  });

  test('past the factor, the next full collection compacts, and only that one', () => {
    const { policy: p, flags } = policy();
    assert.equal(p.afterFullCollection(200 * MB, 345 * MB, 50), 'armed');
    assert.deepEqual(flags, ['--compact-on-every-full-gc']);
    assert.equal(p.afterFullCollection(200 * MB, 210 * MB, 420), 'compacted');
    assert.deepEqual(flags, ['--compact-on-every-full-gc', '--no-compact-on-every-full-gc']);
    assert.equal(p.compactions, 1);
    assert.equal(p.lastPauseMs, 420);
  });

  test('a small heap is not worth a pause, however fragmented', () => {
    const { policy: p, flags } = policy();
    assert.equal(p.afterFullCollection(10 * MB, 40 * MB, 5), 'none');
    assert.deepEqual(flags, []);
  });

  test('at most one compaction per interval: the pauses and the CPU are bounded', () => {
    const { policy: p, flags, clock } = policy();
    assert.equal(p.afterFullCollection(200 * MB, 400 * MB, 50), 'armed');
    assert.equal(p.afterFullCollection(200 * MB, 210 * MB, 400), 'compacted');
    clock.now += WATCH_COMPACTION.minIntervalMs - 1;
    assert.equal(p.afterFullCollection(200 * MB, 400 * MB, 50), 'none');
    clock.now += 1;
    assert.equal(p.afterFullCollection(200 * MB, 400 * MB, 50), 'armed');
    assert.equal(flags.filter((f) => f === '--compact-on-every-full-gc').length, 2);
  });

  test("a user's own compaction flag stands", () => {
    assert.equal(userChoseCompaction([], undefined), false);
    assert.equal(userChoseCompaction(['--max-old-space-size=768'], '--heap-growing-percent=50'), false);
    assert.equal(userChoseCompaction(['--compact-on-every-full-gc'], undefined), true);
    assert.equal(userChoseCompaction([], '--max-old-space-size=768 --no-compact-on-every-full-gc'), true);
    assert.equal(userChoseCompaction([], '--no-compact'), true);
    assert.equal(userChoseCompaction([], '--never_compact'), true);
  });

  test('asked for with KFGUARD_WATCH_COMPACTION=on, off otherwise', () => {
    assert.equal(compactionWanted({}, []), false);
    assert.equal(compactionWanted({ KFGUARD_WATCH_COMPACTION: 'off' }, []), false);
    assert.equal(compactionWanted({ KFGUARD_WATCH_COMPACTION: 'on' }, []), true);
    assert.equal(compactionWanted({ KFGUARD_WATCH_COMPACTION: 'on', NODE_OPTIONS: '--no-compact-on-every-full-gc' }, []), false);
    assert.equal(compactionWanted({ KFGUARD_WATCH_COMPACTION: 'on' }, ['--compact-on-every-full-gc']), false);
  });

  // The mechanism itself, in a real V8: objects dying among live ones leave part-used pages that
  // a plain full collection keeps committed; one collection with the flag set at run time gives them
  // back. Fails if this Node's V8 ignores the flag set after start, or dropped it.
  test('the flag set at run time compacts the next full collection', () => {
    const script = `
      const { getHeapSpaceStatistics, setFlagsFromString } = require('node:v8');
      const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
      const slots = new Array(400000);
      const make = (i) => ({ i, a: 'x' + i, b: [i, i + 1], c: { d: i } });
      for (let i = 0; i < slots.length; i++) slots[i] = make(i);
      gc(); gc();
      // Keep every other object: each page is half free, too little for V8's own compaction to pick it.
      for (let i = 0; i < slots.length; i++) if (i % 2 !== 0) slots[i] = undefined;
      gc(); gc();
      const plain = old();
      setFlagsFromString('--compact-on-every-full-gc');
      gc();
      setFlagsFromString('--no-compact-on-every-full-gc');
      const compacted = old();
      console.log(JSON.stringify({ plain: plain.physical_space_size, compacted: compacted.physical_space_size, used: compacted.space_used_size, kept: slots.filter(Boolean).length }));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { plain, compacted, kept } = JSON.parse(run.stdout) as { plain: number; compacted: number; used: number; kept: number };
    assert.equal(kept, 200_000);
    assert.ok(compacted < plain * 0.75, `committed old space ${plain} before the compacting collection, ${compacted} after`);
  });
});
