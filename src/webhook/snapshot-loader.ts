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
}

/**
 * The cluster state the webhook judges against, from manifest files (`--snapshot-from`). Live
 * informers belong to the live-cluster source, which does not exist yet.
 */
export async function loadSnapshotFromFiles(paths: readonly string[], cwd: string): Promise<LoadedSnapshot> {
  const source = new ManifestSource({ paths, cwd, readStdin: async () => Buffer.alloc(0) });
  const snapshot = newSnapshot();
  const { objects, problems } = await collect([source], snapshot);
  return { snapshot, objects: objects.length, problems, loadedAt: Date.now() };
}
