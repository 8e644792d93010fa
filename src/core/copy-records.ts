import type { ScannedObject } from './types.js';

/** A value kept for one stored copy, naming the copy it is for (set by `CopyRecords.set`). */
export interface CopyRecord {
  scanned: ScannedObject;
}

/** A place kept for the next copy of an identity whose record was dropped. */
const PLACE: unique symbol = Symbol('place');

/**
 * Records kept per stored copy (a rule's baseline holds one per judged object), keyed by the copy's
 * identity when its source gave one (`ScannedObject.identity`), else by the copy itself.
 *
 * Why not a Map keyed by the copies: a watch replaces copies all the time, and a Map that loses a
 * key and gains another at each update fills its table with deleted entries; V8 then allocates a
 * new table (3.5 MB at 50,000 Pods, in large-object space) every table's-capacity-less-its-size
 * updates, and the old one stays in RSS until the next full collection. The baselines of every
 * rule judging Pods went through the same updates, so they did it at the same moment: 14–21 MB more
 * large objects in one sample of nearly every scale-1 watch run (docs/benchmarks.md, watchband11).
 * Keyed by identity, an update replaces the value in place and the table never grows past the
 * number of identities.
 */
export class CopyRecords<V extends CopyRecord> {
  private readonly map = new Map<string | ScannedObject, V | typeof PLACE>();

  /** Records and kept places. */
  get size(): number {
    return this.map.size;
  }

  /** The record of this very copy; undefined for another copy of its identity. */
  get(scanned: ScannedObject): V | undefined {
    const held = this.map.get(keyOf(scanned));
    return held !== undefined && held !== PLACE && held.scanned === scanned ? held : undefined;
  }

  /**
   * Holds `record` for `scanned`, in the place of its identity's when there is one. The record held
   * there for another copy is dropped: callers forget it first (its reads and fingerprints).
   */
  set(scanned: ScannedObject, record: V): void {
    record.scanned = scanned;
    this.map.set(keyOf(scanned), record);
  }

  /**
   * Drops the record of `scanned`, returned. With `keepPlace`, its key stays (holding no record) for
   * the copy replacing it, which `set` then puts there in place; `dropPlace` removes it if none came.
   */
  delete(scanned: ScannedObject, keepPlace = false): V | undefined {
    const record = this.get(scanned);
    if (record === undefined) return undefined;
    if (keepPlace) this.map.set(keyOf(scanned), PLACE);
    else this.map.delete(keyOf(scanned));
    return record;
  }

  /** Removes the place kept for `scanned`'s identity if no copy took it. */
  dropPlace(scanned: ScannedObject): void {
    const key = keyOf(scanned);
    if (this.map.get(key) === PLACE) this.map.delete(key);
  }

  /**
   * Every record, places left out. A Map's iteration allows the caller to drop records as it goes
   * (no list of the cluster's size is built per pass: large-object garbage).
   */
  *values(): IterableIterator<V> {
    for (const held of this.map.values()) if (held !== PLACE) yield held;
  }

  clear(): void {
    this.map.clear();
  }
}

const keyOf = (scanned: ScannedObject): string | ScannedObject => scanned.identity ?? scanned;
