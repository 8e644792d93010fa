/**
 * What `deletecollection` requests may have removed: objects of a resource in a namespace, or in
 * every namespace when the request names none (a namespace's teardown sends one per resource).
 * The log does not say which objects a label or field selector matched, and one that matched
 * nothing succeeds all the same, so kept state is never dropped for it: it is marked "possibly
 * deleted by" that request, and judging still reads it with a note. Dropping it let anyone with
 * the `edit` role clear the state a finding needs (a ConfigMap a miner pod reads) with a request
 * that deletes nothing. A stale read can only add findings, each saying so: an object really
 * deleted cannot be read or changed by a later request unless it is created again, which the log
 * shows and which replaces the kept state.
 *
 * Kept state is stamped when written; a stamp older than its collection's deletion is marked, so
 * nothing is scanned. Bounded: past `maxCollections` the record is folded into one floor, and
 * every stamp below it is marked by "one of" the deletecollections up to then.
 */
export class DeletedCollections {
  private stamp = 0;
  private floor = 0;
  private floorBy = '';
  private readonly deleted = new Map<string, { readonly at: number; readonly by: string }>();

  constructor(private readonly maxCollections = 10_000) {}

  /** A stamp for state written now. */
  next(): number {
    return ++this.stamp;
  }

  /** `by` names the request (auditID and time) in the notes of what it may have deleted. */
  delete(apiGroup: string, resource: string, namespace: string | undefined, by: string): void {
    const at = ++this.stamp;
    if (this.deleted.size >= this.maxCollections) {
      this.deleted.clear();
      this.floor = at;
      this.floorBy = `one of more than ${this.maxCollections} deletecollection requests up to ${by}`;
      return;
    }
    this.deleted.set(collectionKey(apiGroup, resource, namespace), { at, by });
  }

  /** The latest deletecollection since `stamp` that may have deleted this state, or undefined when none. */
  deletedBy(apiGroup: string, resource: string, namespace: string | undefined, stamp: number): string | undefined {
    if (this.deleted.size === 0) return stamp <= this.floor ? this.floorBy : undefined;
    const here = namespace ? this.deleted.get(collectionKey(apiGroup, resource, namespace)) : undefined;
    const everywhere = this.deleted.get(collectionKey(apiGroup, resource, undefined));
    const latest = here && (!everywhere || here.at > everywhere.at) ? here : everywhere;
    if (latest && latest.at > stamp) return latest.by;
    return stamp <= this.floor ? this.floorBy : undefined;
  }
}

/** A deletecollection as the notes name it. */
export const deletionName = (auditID: string, timestamp: string): string => `deletecollection ${auditID} at ${timestamp}`;

/** The note on a judgment that read state a deletecollection may have ended. */
export const possiblyDeletedNote = (what: string, by: string): string =>
  `${what} was read from its last state in the log, though ${by} may have deleted it (the log does not say which objects a deletecollection's selector matched)`;

const collectionKey = (apiGroup: string, resource: string, namespace: string | undefined): string =>
  namespace ? `${apiGroup}\u0000${resource}\u0000${namespace}` : `${apiGroup}\u0000${resource}`;
