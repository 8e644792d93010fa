/**
 * CPU time (user + system, in ms) this process spends while `run` runs, with its result.
 *
 * Tests that bound how long a reading takes ("linear, not quadratic", "refused, not computed")
 * measure this instead of the wall clock: on a loaded CI machine (two cores, several test files at
 * once) a call can wait for a core far longer than it computes, so a wall-clock bound fails by luck,
 * while a blow-up in the work itself still shows in CPU time just as plainly. Nothing else in the
 * test process should run meanwhile: node:test runs a file's tests one after another.
 */
export async function cpuMs<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const before = process.cpuUsage();
  const value = await run();
  const spent = process.cpuUsage(before);
  return { value, ms: (spent.user + spent.system) / 1000 };
}
