import { identityOf } from '../../core/snapshot.js';
import type { K8sObject } from '../../core/types.js';

/**
 * Which lists of one scan hold which identity. A cluster holds one object per identity, but a
 * hostile or broken server can answer the same identity in two lists (an object of namespace b in
 * the list of namespace a): taking back what one list gave must not take away what another list
 * still holds. The snapshot keeps one copy per identity; when its holder lets go, the copy of the
 * list that still holds the identity is put back.
 */
export class ListHolders {
  /**
   * One holder (nearly every identity of a real cluster) is kept as itself; a Map per identity
   * was one of the scan's larger allocations (62,500 Maps at the bench's full size). Built at the
   * first release: until a list is started again or fails, nothing asks, and a Map entry per
   * listed object cost about a sixth of what the listing did per object (docs/benchmarks.md,
   * snapindex11). Until then the pages are noted, in the order they were held.
   */
  private held: Map<string, Holder | Map<number, K8sObject>> | undefined;
  private pages: { readonly list: number; readonly objects: readonly K8sObject[] }[] = [];

  /** `list` holds each of `objects` that has a name (one without cannot be taken back). */
  holdAll(list: number, objects: readonly K8sObject[]): void {
    if (this.held === undefined) this.pages.push({ list, objects });
    else this.holdEach(this.held, list, objects);
  }

  hold(identity: string, list: number, object: K8sObject): void {
    this.put(this.built(), identity, list, object);
  }

  /** The holders of every page noted, as holding them one by one would have left them. */
  private built(): Map<string, Holder | Map<number, K8sObject>> {
    if (this.held !== undefined) return this.held;
    const held = new Map<string, Holder | Map<number, K8sObject>>();
    for (const { list, objects } of this.pages) this.holdEach(held, list, objects);
    this.pages = [];
    this.held = held;
    return held;
  }

  private holdEach(held: Map<string, Holder | Map<number, K8sObject>>, list: number, objects: readonly K8sObject[]): void {
    for (const object of objects) {
      const identity = identityOf(object);
      if (identity !== undefined) this.put(held, identity, list, object);
    }
  }

  private put(held: Map<string, Holder | Map<number, K8sObject>>, identity: string, list: number, object: K8sObject): void {
    const holders = held.get(identity);
    if (holders === undefined || (!(holders instanceof Map) && holders.list === list)) {
      held.set(identity, { list, object });
      return;
    }
    const many = holders instanceof Map ? holders : new Map([[holders.list, holders.object]]);
    if (many !== holders) held.set(identity, many);
    // Re-inserted so the latest holder is last: it is the copy the snapshot has.
    many.delete(list);
    many.set(list, object);
  }

  /** `list` lets go of `identity`: what another list still holds (to put back), or undefined (delete it). */
  release(identity: string, list: number): K8sObject | undefined {
    const held = this.built();
    const holders = held.get(identity);
    if (!holders) return undefined;
    if (!(holders instanceof Map)) {
      if (holders.list !== list) return holders.object;
      held.delete(identity);
      return undefined;
    }
    holders.delete(list);
    if (holders.size === 0) {
      held.delete(identity);
      return undefined;
    }
    return [...holders.values()].at(-1);
  }
}

interface Holder {
  readonly list: number;
  readonly object: K8sObject;
}
