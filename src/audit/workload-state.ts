import { isK8sObject } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { DeletedCollections } from './deleted-collections.js';
import type { AuditObjectRef } from './event.js';
import { ObjectState } from './object-state.js';

/**
 * The last state of workloads (Pods, controllers, Argo and KFP objects), so that a patch is judged
 * on the object it leaves rather than on its body alone (a miner split over two patches is then
 * seen whole). Kept as the JSON text it was read from, the string itself, and parsed again only
 * when a patch without a stored object arrives: a pod create costs a map entry, never a copy, a
 * stringify or a kept object graph. (A copy into a Buffer was measured: its UTF-8 scans and the
 * external memory it reports to V8, which schedules more full collections, cost 23% more CPU and
 * 43 MB more peak RSS on the 1 GB bench log.) The texts are the line splitter's own strings,
 * decoded each on its own, or a lean parse's flattened text, so a kept one pins no chunk.
 * Bounded in bytes, counted as V8 may store them (two bytes a character, keys included); what goes
 * over is evicted oldest first and named, so a patch on it says its last state was not kept
 * instead of passing as a first sight.
 */
export class WorkloadState {
  private readonly kept = new Map<string, { readonly text: string; readonly field: string | undefined; readonly stamp: number }>();
  /** Keys evicted over the budget, oldest first, so a later patch on one can say so. */
  private readonly evicted = new Set<string>();
  private keptBytes = 0;
  /** Evicted keys no longer named (over maxEvictedNames): past it, no unknown key can be called first seen. */
  private forgottenEvictions = 0;

  constructor(
    readonly maxBytes: number,
    private readonly maxEvictedNames: number,
    private readonly collections = new DeletedCollections(),
  ) {}

  /**
   * The kept object, or why there is none: `evicted` when it was dropped over the budget,
   * `maybe-evicted` when it is not named but evicted names were themselves forgotten; `deletedBy`
   * names a deletecollection that may have ended the kept state since.
   */
  get(ref: AuditObjectRef): { object?: K8sObject; missing: 'none' | 'evicted' | 'maybe-evicted'; deletedBy?: string } {
    const key = ObjectState.keyOf(ref);
    const kept = this.kept.get(key);
    if (kept) {
      const object = objectOf(kept.text, kept.field);
      // Kept through a deletecollection, naming it (deleted-collections.ts): its selector is not known.
      const deletedBy = this.collections.deletedBy(ref.apiGroup, ref.resource, ref.namespace, kept.stamp);
      if (object) return deletedBy === undefined ? { object, missing: 'none' } : { object, missing: 'none', deletedBy };
    }
    return { missing: this.evicted.has(key) ? 'evicted' : this.forgottenEvictions > 0 ? 'maybe-evicted' : 'none' };
  }

  /** Keeps `text` (a JSON text) as the object's state; `field` names the member holding the object, if not the whole. */
  set(ref: AuditObjectRef, text: string, field?: string): void {
    const key = ObjectState.keyOf(ref);
    this.delete(ref);
    this.kept.set(key, { text, field, stamp: this.collections.next() });
    this.keptBytes += costOf(key, text);
    while (this.keptBytes > this.maxBytes) {
      const oldest = this.kept.entries().next().value;
      if (oldest === undefined) break;
      const [oldKey, entry] = oldest;
      this.kept.delete(oldKey);
      this.keptBytes -= costOf(oldKey, entry.text);
      this.evict(oldKey);
    }
  }

  /** The object is gone (deleted, or replaced by `set`): nothing of it is kept or evicted any more. */
  delete(ref: AuditObjectRef): void {
    this.drop(ref);
    this.evicted.delete(ObjectState.keyOf(ref));
  }

  /**
   * The kept state is stale (a change the log does not show in full); an eviction stays named, as a
   * patch judged alone on an evicted object does not make its next patch a first sight.
   */
  drop(ref: AuditObjectRef): void {
    const key = ObjectState.keyOf(ref);
    const kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
      this.keptBytes -= costOf(key, kept.text);
    }
  }

  /** Bytes kept, at most: the texts and their keys at two bytes a character. */
  get bytes(): number {
    return this.keptBytes;
  }

  get size(): number {
    return this.kept.size;
  }

  private evict(key: string): void {
    this.evicted.add(key);
    if (this.evicted.size > this.maxEvictedNames) {
      const oldest = this.evicted.values().next().value;
      if (oldest !== undefined) this.evicted.delete(oldest);
      this.forgottenEvictions++;
    }
  }
}

/** An upper bound: V8 stores a string at one or two bytes a character, and which is not visible here. */
function costOf(key: string, text: string): number {
  return 2 * (text.length + key.length);
}

function objectOf(text: string, field: string | undefined): K8sObject | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const object = field === undefined ? value : value[field];
    return isK8sObject(object) ? object : undefined;
  } catch {
    return undefined;
  }
}
