import { setFlagsFromString } from 'node:v8';

/**
 * V8 allocates objects from an allocation site that it has seen survive young collections straight
 * into old space ("pretenuring"). In a watch, the sites that reach that verdict also make plenty
 * of objects that die within seconds (each change's copy of an object, the records judged about
 * it), and those die in old space pages next to long-lived ones: pages left part-used, which V8
 * compacts at most a few megabytes per full collection. Committed old space then climbs over the
 * churn while the live set stays level (docs/benchmarks.md, h-watchrss2 to h-watchflat12). Without
 * pretenuring every object starts young, and those that survive are copied into old space by the
 * scavenger, packed together. Measured at scale 0.3 (h-watchflat12): committed old space after
 * full collections 80 → 98 MB over 60,000 changes against 81 → 110 MB, the old generation taking in
 * the same 5.3 KB a change.
 */
export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

const FLAG = /--(no-)?allocation[-_]site[-_]pretenuring\b/;

/**
 * The V8 flag to set for a watch process, or undefined when the user set it either way already
 * (node's own arguments or NODE_OPTIONS): theirs stands.
 */
export function pretenuringFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  if (execArgv.some((arg) => FLAG.test(arg)) || FLAG.test(nodeOptions ?? '')) return undefined;
  return NO_PRETENURING_FLAG;
}

/**
 * Turns pretenuring off for the rest of this process's life: V8 reads the flag when a collection
 * decides which allocation sites to pretenure, so setting it at start-up, before the first
 * listing, covers every site. Only for processes that do nothing but watch.
 */
export function stopPretenuring(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const flag = pretenuringFlag(process.execArgv, env.NODE_OPTIONS);
  if (flag !== undefined) setFlagsFromString(flag);
  return flag;
}
