/**
 * A bounded memo for the scanner's hot path, where a hit must cost one lookup. `BoundedCache`
 * (core) keeps exact LRU order by deleting and re-inserting on every hit; on 5,000 pipeline pods
 * that bookkeeping made its `get` the largest single cost of the threat rule once most readings
 * were replayed (three lookups per hit where one is enough).
 *
 * Two generations instead: new and recently used entries live in `young`; when it holds half the
 * capacity it becomes `old` and the previous `old` is dropped. A hit in `old` copies the entry
 * back to `young`, so what is in use survives and at most `capacity` entries are ever held.
 */
export class GenerationalCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generation: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`cache capacity must be an integer of at least 2, got ${capacity}`);
    this.generation = capacity >>> 1;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const kept = this.old.get(key);
    if (kept !== undefined) this.set(key, kept);
    return kept;
  }

  /** `undefined` values are not stored (a miss and a stored `undefined` must not look alike). */
  set(key: K, value: V): void {
    if (value === undefined) return;
    this.young.set(key, value);
    if (this.young.size < this.generation) return;
    this.old = this.young;
    this.young = new Map();
  }
}
