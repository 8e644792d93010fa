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
   * was one of the scan's larger allocations (62,500 Maps at the bench's full size).
   */
  private readonly held = new Map<string, Holder | Map<number, K8sObject>>();

  hold(identity: string, list: number, object: K8sObject): void {
    const holders = this.held.get(identity);
    if (holders === undefined || (!(holders instanceof Map) && holders.list === list)) {
      this.held.set(identity, { list, object });
      return;
    }
    const many = holders instanceof Map ? holders : new Map([[holders.list, holders.object]]);
    if (many !== holders) this.held.set(identity, many);
    // Re-inserted so the latest holder is last: it is the copy the snapshot has.
    many.delete(list);
    many.set(list, object);
  }

  /** `list` lets go of `identity`: what another list still holds (to put back), or undefined (delete it). */
  release(identity: string, list: number): K8sObject | undefined {
    const holders = this.held.get(identity);
    if (!holders) return undefined;
    if (!(holders instanceof Map)) {
      if (holders.list !== list) return holders.object;
      this.held.delete(identity);
      return undefined;
    }
    holders.delete(list);
    if (holders.size === 0) {
      this.held.delete(identity);
      return undefined;
    }
    return [...holders.values()].at(-1);
  }
}

interface Holder {
  readonly list: number;
  readonly object: K8sObject;
}
