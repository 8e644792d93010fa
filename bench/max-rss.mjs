// Preloaded into a benchmarked process: reports its peak resident set size and CPU time on exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const fd = Number(process.env.KFGUARD_BENCH_RSS_FD ?? 2);
  const usage = process.resourceUsage();
  writeSync(fd, `\nBENCH_MAX_RSS_KB=${usage.maxRSS}\nBENCH_CPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`);
});
