import type { Source, SourceEvent } from '../core/source.js';
import { collectManifests, type CollectResult, type ManifestSourceOptions } from './manifest.js';
import { locate } from './locate.js';

/**
 * Files, directories, kustomize directories, stdin and pipeline archives as a source. Reading is
 * done in one pass (files are small next to the work on them); events then replay what was read,
 * and `result` keeps the input counts the report shows.
 */
export class ManifestSource implements Source {
  readonly kind = 'manifest' as const;
  readonly locate = locate;
  private collected: CollectResult | undefined;

  constructor(private readonly options: ManifestSourceOptions) {}

  /** What was read, with counts; available once `events()` has been drained. */
  get result(): CollectResult {
    if (!this.collected) throw new Error('ManifestSource.result read before its events were drained');
    return this.collected;
  }

  async *events(): AsyncIterable<SourceEvent> {
    this.collected = await collectManifests(this.options);
    for (const scanned of this.collected.objects) yield { type: 'upsert', object: scanned.object, origin: scanned.origin };
    for (const problem of this.collected.errors) yield { type: 'problem', problem };
  }
}
