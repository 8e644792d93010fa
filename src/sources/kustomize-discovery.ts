import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KUSTOMIZATION_FILES } from './kustomize.js';
import { readKustomization } from './kustomize-references.js';

export const IGNORED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules']);

export interface DiscoveryOptions {
  /** Remote bases are refused (`--offline`): such a directory is never rendered. */
  readonly offline: boolean;
  /** A chart is rendered (and not descended into) only when helm is installed. */
  readonly helm: boolean;
  /** Stops the walk early, once the scan it runs ahead of is over. */
  readonly stopped: () => boolean;
}

/**
 * Walks directories the way the manifest traversal does and names, in the same order, each
 * kustomize directory it will render if every render succeeds. A failed render covers nothing,
 * so the traversal may then reach directories this walk skipped; it renders those itself. So
 * the walk never names a directory the traversal would not render: nothing runs, and nothing is
 * fetched, that a one-at-a-time scan would not have run.
 */
export async function discoverKustomizations(dir: string, found: (dir: string) => void, options: DiscoveryOptions): Promise<void> {
  await walk(dir, [], new Set(), found, options);
}

async function walk(dir: string, ancestors: readonly string[], covered: ReadonlySet<string>, found: (dir: string) => void, options: DiscoveryOptions): Promise<void> {
  if (options.stopped()) return;
  let real: string;
  let entries;
  try {
    real = await realpath(dir);
    if (ancestors.includes(real)) return;
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // the traversal reports it
  }
  const names = new Set(entries.map((e) => e.name));
  const kustomization = KUSTOMIZATION_FILES.find((name) => names.has(name));
  let skip = covered;
  if (kustomization) {
    const info = await readKustomization(dir, kustomization);
    if (!info.isComponent && !(options.offline && info.remote.length > 0)) {
      found(dir);
      skip = new Set([...covered, ...info.references]);
    }
  } else if (names.has('Chart.yaml')) {
    if (options.helm) return;
    skip = new Set([...covered, join(dir, 'templates')]);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = join(dir, entry.name);
    if (skip.has(child)) continue;
    if (entry.isDirectory()) {
      if (!IGNORED_DIRECTORIES.has(entry.name)) await walk(child, [...ancestors, real], skip, found, options);
    } else if (entry.isSymbolicLink()) {
      let info;
      try {
        info = await stat(child);
      } catch {
        continue;
      }
      if (info.isDirectory()) await walk(child, [...ancestors, real], new Set(), found, options);
    }
  }
}
