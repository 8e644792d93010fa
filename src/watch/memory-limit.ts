import { readFileSync } from 'node:fs';

/**
 * The memory limit of the container `kfguard watch` runs in, and whether V8's heap fits it.
 *
 * Node sizes V8's heap from the cgroup limit when there is one (libuv's constrained memory): the old
 * generation may hold half the limit, 512 MB in deploy/scanner's 1 GiB. A watch whose live set and
 * its garbage pass that is stopped by V8 ("JavaScript heap out of memory") with the rest of the
 * container unused; a heap limit set above what the container holds is stopped by the kernel's
 * OOM killer instead, without V8 first collecting harder. Neither can be changed once the process
 * runs (V8 reads `--max-old-space-size` when it creates the heap), so the watch says so at start
 * and the Deployment sets the flag (docs/benchmarks.md, "Live clusters").
 */

/** cgroup v2 (the unified hierarchy, as a container sees it), then v1's memory controller. */
export const CGROUP_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'] as const;

/**
 * cgroup v1 writes "no limit" as the largest page-aligned counter (9223372036854771712 on 4 KiB
 * pages, other values on other page sizes); anything from 2^60 bytes up is taken as none.
 */
const UNLIMITED_FROM = 2 ** 60;

/** A limit file's text as bytes, or undefined for "max" (v2), v1's "unlimited", or text that is no limit. */
export function parseCgroupLimit(text: string): number | undefined {
  const value = text.trim();
  if (!/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  return bytes > 0 && bytes < UNLIMITED_FROM ? bytes : undefined;
}

/**
 * The limit node sized the heap from (`process.constrainedMemory()`: libuv follows /proc/self/cgroup
 * to the process's own cgroup, v1 or v2); where it knows none, the first limit file that exists
 * decides (a container's own cgroup is mounted at the root), and a v2 "max" is no limit even where
 * a v1 file also exists.
 */
export function containerMemoryLimit(read: (path: string) => string = (path) => readFileSync(path, 'utf8'), nodeSays: number | undefined = process.constrainedMemory()): number | undefined {
  // libuv answers 0 when it cannot tell and the largest integer when there is no limit.
  if (nodeSays !== undefined && nodeSays > 0) return nodeSays < UNLIMITED_FROM ? nodeSays : undefined;
  for (const path of CGROUP_LIMIT_FILES) {
    let text: string;
    try {
      text = read(path);
    } catch {
      continue;
    }
    return parseCgroupLimit(text);
  }
  return undefined;
}

/**
 * Room the process needs besides V8's old generation: new space, code, Node's and V8's own malloc'd
 * memory and buffers. Measured for the watch at 62,500 objects: 85–90 MB outside the heap, 32 MB
 * of new space, under 60 MB of large objects (docs/benchmarks.md); a quarter of the limit, at
 * least 192 MB, leaves room for that.
 */
export function oldSpaceFor(limitBytes: number): number {
  const reserve = Math.max(192 * 2 ** 20, limitBytes / 4);
  return Math.max(0, Math.floor((limitBytes - reserve) / 2 ** 20));
}

/**
 * A line for stderr when V8's heap limit does not fit the container's: well under what the
 * container could hold, or over it. Undefined with no limit or when it fits.
 */
export function heapLimitAdvice(limitBytes: number | undefined, heapSizeLimitBytes: number): string | undefined {
  if (limitBytes === undefined) return undefined;
  const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
  const fits = oldSpaceFor(limitBytes);
  const heap = mb(heapSizeLimitBytes);
  if (heap > mb(limitBytes) - 128) {
    return `V8 may grow its heap to ${heap} MB in a container limited to ${mb(limitBytes)} MB: the kernel would stop the watch before V8 collects harder; set NODE_OPTIONS=--max-old-space-size=${fits}`;
  }
  if (heap < fits * 0.8) {
    return `V8's heap is limited to ${heap} MB of the container's ${mb(limitBytes)} MB (node sizes it from the limit); a larger cluster would stop the watch with memory to spare: set NODE_OPTIONS=--max-old-space-size=${fits}`;
  }
  return undefined;
}
