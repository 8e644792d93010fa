// Preloaded into the watch by bench/watch-steps.ts (with --expose-gc): SIGUSR2 collects twice and
// prints the live heap (`LIVE {json}` on stderr); SIGWINCH writes a heap snapshot to
// BENCH_SNAPSHOT_DIR (default the temp directory) and prints `SNAP <file>` once it is written, for diffs of what is retained.
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
const mb = (b) => Math.round(b / 2 ** 20 * 10) / 10;
process.on('SIGUSR2', () => {
  globalThis.gc(); globalThis.gc();
  const u = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name.replace(/_space$/, ''), [mb(s.space_used_size), mb(s.physical_space_size)]]));
  writeSync(2, `LIVE ${JSON.stringify({ rss: mb(u.rss), heapUsed: mb(u.heapUsed), external: mb(u.external), spaces })}\n`);
});
process.on('SIGWINCH', () => {
  const file = writeHeapSnapshot(`${process.env.BENCH_SNAPSHOT_DIR ?? tmpdir()}/kfguard-watch-${Date.now()}.heapsnapshot`);
  writeSync(2, `SNAP ${file}\n`);
});
