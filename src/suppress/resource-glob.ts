import type { ResourceRef } from '../core/types.js';

/**
 * The string config suppressions match against: `namespace/kind/name`. Cluster-scoped objects
 * have an empty namespace (`/ClusterRole/edit`), so `*` in the first segment still matches them.
 */
export function resourceKey(ref: ResourceRef): string {
  return `${ref.namespace ?? ''}/${ref.kind}/${ref.name}`;
}

/**
 * Compiles a glob over `namespace/kind/name`: `*` matches within one segment (possibly empty),
 * `**` matches across segments, everything else is literal and case-sensitive.
 */
export function compileResourceGlob(glob: string): (key: string) => boolean {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
    } else if (ch === '*') {
      pattern += '[^/]*';
    } else {
      pattern += ch.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${pattern}$`);
  return (key) => regex.test(key);
}
