// run-tests: alone
/**
 * Issue 17: each hostile input class (bench/hostile-inputs.ts) scans in time linear in its size.
 * Compares the same run's minimum times at 100 KB and 1 MB: linear is about 10×, the quadratic
 * behaviour these inputs had is 100× or more. `npm run bench:hostile` reports the same classes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';
import { scanText } from '../../bench/hostile-scan.js';

const MAX_RATIO = 25;

async function best(text: string, repeats: number): Promise<number> {
  let seconds = Infinity;
  for (let r = 0; r < repeats; r++) seconds = Math.min(seconds, (await scanText(text)).seconds);
  return seconds;
}

async function growthFailures(classes: typeof HOSTILE_CLASSES): Promise<string[]> {
  await scanText(HOSTILE_CLASSES[0]!.generate(1024));
  const failures: string[] = [];
  for (const hostile of classes) {
    const small = await best(hostile.generate(100 * 1024), 3);
    const large = await best(hostile.generate(1024 * 1024), 2);
    // Small times are dominated by fixed costs; 50 ms keeps the ratio about the growth.
    if (large / Math.max(small, 0.05) > MAX_RATIO) failures.push(`${hostile.name}: 100 KB ${small.toFixed(3)} s, 1 MB ${large.toFixed(3)} s`);
  }
  return failures;
}

test('hostile inputs scan in linear time', async () => {
  assert.deepEqual(await growthFailures(HOSTILE_CLASSES), []);
});

test('the alias class is refused by its byte count, not scanned', async () => {
  const run = await scanText(HOSTILE_CLASSES.find((c) => c.name.startsWith('aliased'))!.generate(64 * 1024));
  assert.equal(run.errors, 1);
});
