import { collect } from '../core/source.js';
import type { Snapshot } from '../core/snapshot.js';
import type { InputError } from '../core/types.js';
import { newSnapshot } from '../k8s/inventory.js';
import { ManifestSource } from '../sources/manifest-source.js';

export interface LoadedSnapshot {
  readonly snapshot: Snapshot;
  readonly objects: number;
  readonly problems: readonly InputError[];
  readonly loadedAt: number;
  /** What the snapshot cannot see now, for /readyz and the logs. */
  readonly coverageGaps?: () => readonly string[];
}

/**
 * The cluster state the webhook judges against, from manifest files (`--snapshot-from`), read once.
 * The live alternative is `live-snapshot-loader.ts`.
 */
export async function loadSnapshotFromFiles(paths: readonly string[], cwd: string): Promise<LoadedSnapshot> {
  const source = new ManifestSource({ paths, cwd, readStdin: async () => Buffer.alloc(0) });
  const snapshot = newSnapshot();
  const { objects, problems } = await collect([source], snapshot);
  const gaps = ['the snapshot was read once from --snapshot-from files at start: changes in the cluster are not seen'];
  return { snapshot, objects: objects.length, problems, loadedAt: Date.now(), coverageGaps: () => gaps };
}
