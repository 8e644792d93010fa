// Preloaded into a benchmarked process: reports its peak resident set size on exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const fd = Number(process.env.KFGUARD_BENCH_RSS_FD ?? 2);
  writeSync(fd, `\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
