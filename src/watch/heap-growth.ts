import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap of `kfguard watch` grow past what the last full collection kept, in
 * percent. Left to itself V8 picks a factor of up to 4 from how fast the program promotes objects
 * to the old generation, and a watch promotes steadily: every changed object replaces one the
 * snapshot held for seconds, which is old-generation garbage. At 62,500 objects the live set after
 * a full collection stays near 250 MB while RSS reached 970 MB over 100,000 changes (docs/benchmarks.md,
 * "Live clusters"), against the 1 GiB limit of deploy/scanner/watch-deployment.yaml. A fixed factor
 * of 1.5 makes V8 collect (concurrently, as it does anyway) when the garbage reaches half the live
 * set: more frequent full collections, RSS that follows the live set and not the change rate.
 */
export const WATCH_HEAP_GROWING_PERCENT = 50;

const FLAG = /--heap[-_]growing[-_]percent\b/;

/**
 * The V8 flag to set for a watch process, or undefined when the user set one already (node's own
 * arguments or NODE_OPTIONS): theirs stands.
 */
export function heapGrowthFlag(execArgv: readonly string[], nodeOptions: string | undefined, percent = WATCH_HEAP_GROWING_PERCENT): string | undefined {
  if (execArgv.some((arg) => FLAG.test(arg)) || FLAG.test(nodeOptions ?? '')) return undefined;
  return `--heap-growing-percent=${percent}`;
}

/**
 * Bounds heap growth for the rest of this process's life. The flag is read by V8 each time it
 * sets the next collection's limit, so setting it after start-up takes effect at the next full
 * collection. Only for processes that do nothing but watch: it applies to the whole process.
 */
export function boundHeapGrowth(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const flag = heapGrowthFlag(process.execArgv, env.NODE_OPTIONS);
  if (flag !== undefined) setFlagsFromString(flag);
  return flag;
}
