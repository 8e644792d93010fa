import { identityOf } from '../../core/snapshot.js';
import type { SourceChange } from '../../core/source.js';
import type { K8sObject, Origin } from '../../core/types.js';
import { ListHolders } from './list-holders.js';

/** What a list hands its reader: a page of objects, or word that the list started again. */
export type FeedItem = { readonly type: 'page'; readonly objects: readonly K8sObject[] } | { readonly type: 'restart' };

/**
 * The pages of one list as they arrive, for a reader that takes the lists in order: a scan puts
 * the first list's pages into the snapshot while the later pages and lists are still on the wire,
 * instead of waiting for every list (the API server, not kfguard, is then the one working).
 */
export class ListFeed {
  private readonly items: FeedItem[] = [];
  private finished = false;
  private failed = false;
  private wake: (() => void) | undefined;

  page(objects: readonly K8sObject[]): void {
    this.push({ type: 'page', objects });
  }

  restart(): void {
    this.push({ type: 'restart' });
  }

  /** The list is over; `failed` when it ended in an error (what it gave is then not to be kept). */
  finish(failed: boolean): void {
    this.finished = true;
    this.failed = failed;
    this.wake?.();
  }

  /** Items in arrival order, then whether the list failed. */
  async *drain(): AsyncGenerator<FeedItem, boolean> {
    for (;;) {
      const item = this.items.shift();
      if (item) {
        yield item;
        continue;
      }
      if (this.finished) return this.failed;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private push(item: FeedItem): void {
    this.items.push(item);
    this.wake?.();
  }
}

/** What reading one list's feed gives besides its changes. */
export interface FeedRead {
  /** What the list finally holds (nothing when it failed). */
  readonly kept: K8sObject[];
  /** Objects of the final listing without a name. */
  readonly incomplete: number;
}

export interface ReadFeedOptions {
  /** Shared by the lists of one scan, with this list's number: see ListHolders. */
  readonly holders?: ListHolders;
  readonly list?: number;
  /** Each change's origin; by default a cluster origin naming no context (the feed read alone, in tests). */
  readonly originOf?: (object: K8sObject) => Origin;
}

/**
 * One change to put into a snapshot, made here whole with its origin (a source's change, not a
 * second object per listed object made from a first). `identity` is `identityOf(object)`, built
 * once here and handed on to the snapshot (undefined: no name).
 */
export type FeedChange = SourceChange & { readonly identity: string | undefined };

const NO_CONTEXT: Origin = { kind: 'cluster', context: '' };
const noContext = (): Origin => NO_CONTEXT;

/**
 * A list's objects as changes to put into a snapshot as they arrive, returning what the list
 * finally holds. What it gave before it started again (410), or before it failed, is taken back at
 * its end unless the final listing has the same object: the snapshot then holds what waiting for
 * the whole list would have put in, and an object kept keeps the place it was first put in.
 *
 * Changes come in batches, one per page (and one for what is taken back at the end), never
 * empty: a step of an async generator costs a few promises and microtask turns, which per object
 * (62,500 at the bench's full size, through two generators and the snapshot's loop) was a
 * measurable part of the listing's CPU.
 *
 * An item without a name has no identity, so it cannot be taken back (nothing says which stored
 * object it was): it is not put in as it arrives, but once, when its list has ended well. It is still judged, as an unnamed object in a file is; the caller reports
 * the count, since only a hostile or broken server answers such items.
 */
export async function* readFeed(feed: ListFeed, options: ReadFeedOptions = {}): AsyncGenerator<readonly FeedChange[], FeedRead> {
  const holders = options.holders ?? new ListHolders();
  const list = options.list ?? 0;
  const originOf = options.originOf ?? noContext;
  let current: K8sObject[] = [];
  // The unnamed objects of `current`, found as they arrive: telling them apart again at the end
  // built every object's identity a second time.
  let unnamedNow: K8sObject[] = [];
  let superseded: K8sObject[] = [];
  const items = feed.drain();
  let next = await items.next();
  for (; !next.done; next = await items.next()) {
    const item = next.value;
    if (item.type === 'restart') {
      superseded = superseded.concat(current);
      current = [];
      unnamedNow = [];
      continue;
    }
    const changes: FeedChange[] = [];
    for (const object of item.objects) {
      current.push(object);
      const identity = identityOf(object);
      if (identity === undefined) {
        unnamedNow.push(object);
        continue;
      }
      changes.push({ type: 'upsert', object, origin: originOf(object), identity });
    }
    holders.holdAll(list, item.objects);
    if (changes.length > 0) yield changes;
  }
  const failed = next.value;
  const kept = failed ? [] : current;
  const end: FeedChange[] = [];
  const takenBack = failed ? superseded.concat(current) : superseded;
  // Nearly every list neither started again nor failed: nothing to take back, and no set of what
  // it keeps to build (an identity per object, a second time).
  if (takenBack.length > 0) {
    const still = new Set<string | undefined>(kept.map((object) => identityOf(object)));
    const released = new Set<string>();
    for (const object of takenBack) {
      const identity = identityOf(object);
      if (identity === undefined || still.has(identity) || released.has(identity)) continue;
      released.add(identity);
      const other = holders.release(identity, list);
      end.push(other === undefined ? { type: 'delete', object, origin: originOf(object), identity } : { type: 'upsert', object: other, origin: originOf(other), identity });
    }
  }
  const incomplete = failed ? [] : unnamedNow;
  for (const object of incomplete) end.push({ type: 'upsert', object, origin: originOf(object), identity: undefined });
  if (end.length > 0) yield end;
  return { kept, incomplete: incomplete.length };
}
