/**
 * What `deletecollection` requests removed: every object of a resource in a namespace, or in every
 * namespace when the request names none (a namespace's teardown sends one per resource). The log
 * does not say which objects a label or field selector matched, so all of them count as gone:
 * better no state than stale state. Kept state is stamped when written, and a stamp older than
 * its collection's deletion is dead, so nothing is scanned and a log of many deletecollections
 * costs what it reads. Bounded: past `maxCollections` every stamp so far dies at once, as if all
 * kept state were dropped, never kept past a deletion it should not survive.
 */
export class DeletedCollections {
  private stamp = 0;
  private floor = 0;
  private readonly deleted = new Map<string, number>();

  constructor(private readonly maxCollections = 10_000) {}

  /** A stamp for state written now. */
  next(): number {
    return ++this.stamp;
  }

  delete(apiGroup: string, resource: string, namespace: string | undefined): void {
    const at = ++this.stamp;
    if (this.deleted.size >= this.maxCollections) {
      this.deleted.clear();
      this.floor = at;
      return;
    }
    this.deleted.set(collectionKey(apiGroup, resource, namespace), at);
  }

  /** Whether state of this resource and namespace written at `stamp` outlived every deletecollection since. */
  isLive(apiGroup: string, resource: string, namespace: string | undefined, stamp: number): boolean {
    if (stamp <= this.floor) return false;
    if (this.deleted.size === 0) return true;
    const here = namespace ? (this.deleted.get(collectionKey(apiGroup, resource, namespace)) ?? 0) : 0;
    return stamp > here && stamp > (this.deleted.get(collectionKey(apiGroup, resource, undefined)) ?? 0);
  }
}

const collectionKey = (apiGroup: string, resource: string, namespace: string | undefined): string =>
  namespace ? `${apiGroup}\u0000${resource}\u0000${namespace}` : `${apiGroup}\u0000${resource}`;
