/**
 * The last few values computed for objects, looked up by identity. For memos whose hits come from
 * the object being judged right now (its document's line index, its containers' words): the engine
 * finishes one object before the next, so a handful of slots gets the hits.
 *
 * Two plain arrays used as a ring instead of a Map: measured on 4,000 pipeline Pods, a Map-based
 * LRU of even one entry made V8's young-generation collector promote a quarter of the values it
 * held (6.7 MB, 23 MB with four entries) where this ring promoted 0.2 MB, and every promoted byte
 * is copied once more and then waits for a full collection.
 */
export class RecentCache<K extends object, V> {
  private readonly keys: (K | undefined)[];
  private readonly values: (V | undefined)[];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
    this.keys = new Array<K | undefined>(capacity).fill(undefined);
    this.values = new Array<V | undefined>(capacity).fill(undefined);
  }

  get(key: K): V | undefined {
    for (let i = 0; i < this.capacity; i++) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }

  /** Stores `value` for `key`, replacing the entry stored longest ago (or the key's own entry). */
  set(key: K, value: V): void {
    for (let i = 0; i < this.capacity; i++) {
      if (this.keys[i] === key) {
        this.values[i] = value;
        return;
      }
    }
    this.keys[this.next] = key;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.values.fill(undefined);
    this.next = 0;
  }
}
