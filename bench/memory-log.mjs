// Preloaded into a benchmarked process (`node --import bench/memory-log.mjs ...`): every
// BENCH_MEMORY_LOG milliseconds, one line `BENCH_MEMORY {json}` on stderr splitting its resident
// set into what V8 holds (used and committed, per heap space), what lives outside the V8 heap but
// is counted by it (external, of which array buffers: Buffers of sockets and streams), and the
// rest (RSS minus both: malloc'd memory of Node and V8 themselves, code, thread stacks,
// fragmentation). A number that grows with events says which of the three to look at.
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
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
  const timer = setInterval(() => {
    collect?.();
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
      spaces,
    };
    writeSync(2, `BENCH_MEMORY ${JSON.stringify(sample)}\n`);
  }, everyMs);
  timer.unref();
}
