// Preloaded with --import: at exit, prints the main thread's CPU (user+sys, from
// /proc/self/task/PID/stat, where the main thread's id is the process id) and the whole process's,
// to stderr as BENCH_MAIN_CPU_S=… BENCH_PROC_CPU_S=…. The scan's wall time follows the main thread
// when it is saturated; the process figure also holds the GC's and libuv's helper threads.
import { readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux
process.on('exit', () => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const main = (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14, 15)
    const { user, system } = process.cpuUsage();
    process.stderr.write(`BENCH_MAIN_CPU_S=${main.toFixed(2)} BENCH_PROC_CPU_S=${((user + system) / 1e6).toFixed(2)}\n`);
  } catch {
    // not Linux: nothing to print
  }
});
