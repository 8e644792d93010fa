/**
 * A cluster scan runs on two cores beside the API server it reads (or, on the bench, beside the
 * fake one): V8's optimising compiler (TurboFan) runs on a background thread, and what it spends
 * there is taken from the main thread and the server. The scan's hot functions are large (the
 * container walk, the rules' `check`s, the listing loop), and TurboFan inlines their callees up to
 * 920 bytes of bytecode per function by default, compiling the same helper into each. With a
 * cumulative budget of 150 bytes V8's worker threads executed 34% fewer instructions (scale 0.3) for
 * 2.5–4% more on the main thread, and at scale 1 the process used 0.43 s less CPU (median of 10
 * pairs; docs/benchmarks.md, jit11). Switching inlining off saved little more on the workers and
 * cost the main thread 10%; budgets of 60 and 300 did worse on one side or the other.
 */
export const INLINING_BUDGET_FLAG = '--max-inlined-bytecode-size-cumulative=150';

/** Any flag of the user's that shapes inlining: theirs stands, and ours is not added. */
const USER_INLINING_FLAG = /--(no-)?(turbo[-_]inlining|max[-_]inlined[-_]bytecode[-_]size|stress[-_]inline|polymorphic[-_]inlining)/;

/**
 * The V8 flag to set for a cluster scan or snapshot, or undefined when the user set an inlining
 * flag already (node's own arguments or NODE_OPTIONS).
 */
export function inliningBudgetFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  if (execArgv.some((arg) => USER_INLINING_FLAG.test(arg)) || USER_INLINING_FLAG.test(nodeOptions ?? '')) return undefined;
  return INLINING_BUDGET_FLAG;
}

/**
 * Sets the budget for the rest of the process through `setFlags` (the CLI's `v8.setFlagsFromString`;
 * absent in tests that run the CLI in process, which then only record it). TurboFan reads the budget
 * for each function it compiles, so setting it before the listing starts covers the scan's hot code;
 * what was compiled while the CLI started stays as it was. Only for commands that list a cluster
 * and exit: `watch`, the webhook and file scans keep V8's defaults.
 */
export function limitInlining(setFlags: ((flag: string) => void) | undefined, env: NodeJS.ProcessEnv, execArgv: readonly string[] = process.execArgv): string | undefined {
  const flag = inliningBudgetFlag(execArgv, env.NODE_OPTIONS);
  if (flag !== undefined) setFlags?.(flag);
  return flag;
}
