import { collect, type Source, type SourceEvent } from '../core/source.js';
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
  const source = withoutDocumentText(new ManifestSource({ paths, cwd, readStdin: async () => Buffer.alloc(0) }));
  const snapshot = newSnapshot();
  const { objects, problems } = await collect([source], snapshot);
  const gaps = ['the snapshot was read once from --snapshot-from files at start: changes in the cluster are not seen'];
  return { snapshot, objects: objects.length, problems, loadedAt: Date.now(), coverageGaps: () => gaps };
}

/**
 * Lets go of the manifest files' text once they are parsed. Kept, the stock install's 11 MB file
 * stays in memory for the server's lifetime, as a 23 MB two-byte string (it holds non-Latin-1
 * characters): every value the parser produced is a V8 slice of it, and each object's origin holds
 * a copy for report line numbers, which the webhook's answers never carry. `structuredClone` makes
 * flat copies of the strings (and keeps any other value the parser produced); it runs once per
 * object at load.
 */
function withoutDocumentText(source: Source): Source {
  return {
    kind: source.kind,
    async *events(): AsyncIterable<SourceEvent> {
      for await (const event of source.events()) {
        if (event.type === 'upsert' && event.origin.kind === 'file') {
          const { document: _text, ...origin } = event.origin;
          yield { ...event, object: structuredClone(event.object), origin };
        } else yield event;
      }
    },
  };
}
