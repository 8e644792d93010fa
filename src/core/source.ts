import type { Locator } from './engine.js';
import type { Snapshot } from './snapshot.js';
import type { InputError, K8sObject, Origin, ScannedObject, SourceKind } from './types.js';

/**
 * An object created or changed, or an object gone. `identity`, when a source gives it, is
 * `identityOf(object)` as the source already built it (a cluster listing does, per object), so the
 * snapshot does not build it again; when absent the snapshot builds it.
 */
export type SourceChange =
  | { readonly type: 'upsert'; readonly object: K8sObject; readonly origin: Origin; readonly identity?: string | undefined }
  | { readonly type: 'delete'; readonly object: K8sObject; readonly origin: Origin; readonly identity?: string | undefined };

/**
 * One thing a source saw: an object created or changed, an object gone, or input it could not read.
 * A problem never stops a source; the objects before and after it still arrive. A `batch` is
 * several changes in order, as if yielded one by one: a source that reads objects by the hundred
 * (a cluster's list pages) yields one per page, since each step of an async iteration costs a few
 * promises and microtask turns.
 */
export type SourceEvent = SourceChange | { readonly type: 'batch'; readonly changes: readonly SourceChange[] } | { readonly type: 'problem'; readonly problem: InputError };

/**
 * Where objects come from: files, stdin, archives and kustomize renders, a live cluster and its
 * watch, admission requests, audit logs, job APIs, probes. Every source feeds the same snapshot and
 * the same rules.
 */
export interface Source {
  readonly kind: SourceKind;
  /** Finite for batch sources (files, an audit log), endless for a watch. */
  events(): AsyncIterable<SourceEvent>;
  /** Resolves a finding's path to a line and column, for sources that read text. */
  readonly locate?: Locator;
}

export interface Collected {
  /** Objects in the order they arrived, as judged (deleted ones removed). */
  readonly objects: readonly ScannedObject[];
  readonly problems: readonly InputError[];
}

/** Told of each copy as it is put into the snapshot and taken out, and when the sources end (`JudgeAhead`). */
export interface ArrivalListener {
  arrived(scanned: ScannedObject): void;
  removed(scanned: ScannedObject): void;
  ended(): void;
}

/** Drains batch sources into a snapshot: sources → snapshot, the first stage of every scan. */
export async function collect(sources: readonly Source[], snapshot: Snapshot, listener?: ArrivalListener): Promise<Collected> {
  const problems: InputError[] = [];
  try {
    for (const source of sources) {
      for await (const event of source.events()) {
        if (event.type === 'batch') for (const change of event.changes) apply(snapshot, change, listener);
        else if (event.type === 'problem') problems.push(event.problem);
        else apply(snapshot, event, listener);
      }
    }
  } finally {
    listener?.ended();
  }
  return { objects: snapshot.all, problems };
}

function apply(snapshot: Snapshot, change: SourceChange, listener: ArrivalListener | undefined): void {
  if (change.type === 'upsert') putIn(snapshot, { object: change.object, origin: change.origin }, listener, change.identity);
  else takeOut(snapshot, change.object, listener);
}

function putIn(snapshot: Snapshot, scanned: ScannedObject, listener: ArrivalListener | undefined, identity: string | undefined): void {
  // The copy replaced (same identity and slot) is no longer stored; other slots' copies stay.
  const replaced = snapshot.upsert(scanned, identity);
  if (!listener) return;
  if (replaced) listener.removed(replaced);
  listener.arrived(scanned);
}

function takeOut(snapshot: Snapshot, object: K8sObject, listener: ArrivalListener | undefined): void {
  if (listener) for (const copy of snapshot.copiesOf(object)) listener.removed(copy);
  snapshot.delete(object);
}
