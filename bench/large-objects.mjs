// Experiment preload (`--import bench/large-objects.mjs` in BENCH_WATCH_NODE_FLAGS, with
// BENCH_LARGE_FILE=FILE): which allocations land in V8's large-object space, and when. V8's sampling
// heap profiler runs from start at a 256 KB mean interval (BENCH_LARGE_INTERVAL; a 2 MB hash table
// is sampled every time), keeping samples of objects that collections freed. Every
// BENCH_LARGE_EVERY ms (2,000) the samples reported above twice the interval (large objects: V8's
// largest regular object is 128 KB) taken since the last look are written as JSON lines: time,
// size, the allocating stack (top frames), and the large-object space's use then. A spike in
// `large_object` of bench/memory-log.mjs is then named by its stacks: a Map's table re-allocated,
// an array grown, a string joined (docs/benchmarks.md, watchband11). The looks themselves show up
// as samples under `look`: leave them out.
import { Session } from 'node:inspector';
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { setInterval } from 'node:timers';

const out = process.env.BENCH_LARGE_FILE;
if (out) {
  const session = new Session();
  session.connect();
  const rate = Number(process.env.BENCH_LARGE_INTERVAL ?? 2 ** 18);
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', { samplingInterval: rate, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  let lastOrdinal = -1;
  // The inspector reports a sample's size times its rounded inverse odds of being sampled,
  // s · round(1 / (1 - e^(-s/rate))): exact from rate · ln 3 (288 KB at the default 256 KB) up,
  // about `rate` for small objects, and two or three times the size between (marked `approx`).
  const exactFrom = rate * Math.log(3);
  const frameOf = (node) => `${node.callFrame.functionName || '(anon)'}@${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
  const look = () => {
    session.post('HeapProfiler.getSamplingProfile', (error, result) => {
      if (error) return;
      const { head, samples } = result.profile;
      const fresh = samples.filter((s) => s.ordinal > lastOrdinal && s.size > 2 * rate);
      for (const s of samples) if (s.ordinal > lastOrdinal) lastOrdinal = s.ordinal;
      if (fresh.length === 0) return;
      // Parent links from the tree, once per look: stacks of the fresh samples only.
      const parent = new Map();
      const byId = new Map();
      const walk = (node) => {
        byId.set(node.id, node);
        for (const child of node.children) {
          parent.set(child.id, node);
          walk(child);
        }
      };
      walk(head);
      const lo = getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space');
      const lines = fresh.map((s) => {
        const stack = [];
        for (let node = byId.get(s.nodeId); node && node !== head && stack.length < 8; node = parent.get(node.id)) stack.push(frameOf(node));
        return JSON.stringify({ at: Date.now(), ordinal: s.ordinal, size: s.size, ...(s.size < exactFrom * 2 ? { approx: true } : {}), loUsed: lo?.space_used_size, stack });
      });
      appendFileSync(out, `${lines.join('\n')}\n`);
    });
  };
  setInterval(look, Number(process.env.BENCH_LARGE_EVERY ?? 2_000)).unref();
}
