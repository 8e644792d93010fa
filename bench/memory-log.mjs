// Preloaded into a benchmarked process (`node --import bench/memory-log.mjs ...`): every
// BENCH_MEMORY_LOG milliseconds, one line `BENCH_MEMORY {json}` on stderr splitting its resident
// set into what V8 holds (used and committed, per heap space), what lives outside the V8 heap but
// is counted by it (external, of which array buffers: Buffers of sockets and streams), and the
// rest (RSS minus both: malloc'd memory of Node and V8 themselves, code, thread stacks,
// fragmentation). A number that grows with events says which of the three to look at.
import { GCProfiler, getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { writeSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { PerformanceObserver, constants } from 'node:perf_hooks';

const everyMs = Number(process.env.BENCH_MEMORY_LOG ?? 0);
if (everyMs > 0) {
  const mb = (bytes) => Math.round(bytes / 2 ** 20);
  // With --expose-gc and BENCH_MEMORY_LIVE=1, each sample follows a full collection: `heapUsed`
  // is then the live set. It changes what it measures (the heap never fills with garbage), so
  // RSS is read in runs without it.
  const collect = process.env.BENCH_MEMORY_LIVE === '1' ? globalThis.gc : undefined;
  // Full (mark-compact) collections so far and their pause time: what a flag that trades memory
  // for collections costs, next to the RSS it saves.
  const major = { count: 0, ms: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      major.count++;
      major.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  // BENCH_MEMORY_PROMOTED=1: bytes scavenges moved into old space (old space used after each
  // scavenge less before it, from V8's per-collection statistics), summed: what each change leaves
  // for full collections to find, the figure to cut when the old generation drifts. The profiler
  // is read and restarted at each sample, so it holds one interval's collections at most.
  // Also what the old generation took in between full collections (old space used before each
  // less used after the previous one, plus the large-object space's share the same way): promoted
  // objects and those V8 allocates there directly (pretenured sites, arrays past the regular size).
  const promoted = { bytes: 0, scavenges: 0, oldIn: 0, largeIn: 0 };
  let lastAfter;
  let profiler;
  if (process.env.BENCH_MEMORY_PROMOTED === '1') {
    profiler = new GCProfiler();
    profiler.start();
  }
  const oldUsed = (stats) => stats.heapSpaceStatistics.find((s) => s.spaceName === 'old_space')?.spaceUsedSize ?? 0;
  const largeUsed = (stats) => stats.heapSpaceStatistics.find((s) => s.spaceName === 'large_object_space')?.spaceUsedSize ?? 0;
  const readPromoted = () => {
    if (!profiler) return;
    for (const gc of profiler.stop()?.statistics ?? []) {
      if (gc.gcType === 'MarkSweepCompact') {
        if (lastAfter) {
          promoted.oldIn += Math.max(0, oldUsed(gc.beforeGC) - oldUsed(lastAfter));
          promoted.largeIn += Math.max(0, largeUsed(gc.beforeGC) - largeUsed(lastAfter));
        }
        lastAfter = gc.afterGC;
      }
      if (gc.gcType !== 'Scavenge') continue;
      promoted.scavenges++;
      promoted.bytes += Math.max(0, oldUsed(gc.afterGC) - oldUsed(gc.beforeGC));
    }
    profiler.start();
  };
  const timer = setInterval(() => {
    collect?.();
    readPromoted();
    const usage = process.memoryUsage();
    const spaces = {};
    let committed = 0;
    for (const space of getHeapSpaceStatistics()) {
      committed += space.physical_space_size;
      spaces[space.space_name.replace(/_space$/, '')] = [mb(space.space_used_size), mb(space.physical_space_size)];
    }
    const sample = {
      at: Date.now(),
      live: collect !== undefined,
      rss: mb(usage.rss),
      heapUsed: mb(usage.heapUsed),
      heapCommitted: mb(committed),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
      // External memory is malloc'd outside the V8 heap, so it is part of this difference too;
      // subtracted, what is left is neither the heap nor buffers V8 knows of.
      rest: mb(usage.rss - committed - usage.external),
      // What V8 may hold at most: node sizes it from the cgroup's memory limit when there is one.
      heapLimit: mb(getHeapStatistics().heap_size_limit),
      majorGcs: major.count,
      majorGcMs: Math.round(major.ms),
      ...(profiler ? { promotedMb: Math.round(promoted.bytes / 2 ** 10) / 2 ** 10, scavenges: promoted.scavenges, oldInMb: Math.round(promoted.oldIn / 2 ** 10) / 2 ** 10, largeInMb: Math.round(promoted.largeIn / 2 ** 10) / 2 ** 10 } : {}),
      spaces,
    };
    writeSync(2, `BENCH_MEMORY ${JSON.stringify(sample)}\n`);
  }, everyMs);
  timer.unref();
}
