// Experiment preload: on SIGUSR2 starts V8's sampling heap profiler keeping samples of objects a
// major GC collected (old-space garbage: they outlived scavenges), and at exit writes the profile
// to BENCH_HEAP_SAMPLE (a .heapprofile file for Chrome DevTools).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_HEAP_SAMPLE;
if (out) {
  const session = new Session();
  session.connect();
  let started = false;
  process.on('SIGUSR2', () => {
    if (started) return;
    started = true;
    session.post('HeapProfiler.enable');
    session.post('HeapProfiler.startSampling', { samplingInterval: Number(process.env.BENCH_HEAP_SAMPLE_BYTES ?? 32768), includeObjectsCollectedByMajorGC: process.env.BENCH_HEAP_SAMPLE_LIVE !== '1', includeObjectsCollectedByMinorGC: false });
  });
  const stop = () => {
    if (!started) return;
    started = false;
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(out, JSON.stringify(result.profile));
    });
  };
  process.on('exit', stop);
  process.on('SIGTERM', () => { stop(); process.exit(0); });
}
