import type { Locator } from './engine.js';
import type { Snapshot } from './snapshot.js';
import type { InputError, K8sObject, Origin, ScannedObject, SourceKind } from './types.js';

/**
 * One thing a source saw: an object created or changed, an object gone, or input it could not read.
 * A problem never stops a source; the objects before and after it still arrive.
 */
export type SourceEvent =
  | { readonly type: 'upsert'; readonly object: K8sObject; readonly origin: Origin }
  | { readonly type: 'delete'; readonly object: K8sObject; readonly origin: Origin }
  | { readonly type: 'problem'; readonly problem: InputError };

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
        if (event.type === 'upsert') putIn(snapshot, { object: event.object, origin: event.origin }, listener);
        else if (event.type === 'delete') takeOut(snapshot, event.object, listener);
        else problems.push(event.problem);
      }
    }
  } finally {
    listener?.ended();
  }
  return { objects: snapshot.all, problems };
}

function putIn(snapshot: Snapshot, scanned: ScannedObject, listener: ArrivalListener | undefined): void {
  // The copy replaced (same identity and slot) is no longer stored; other slots' copies stay.
  const replaced = snapshot.upsert(scanned);
  if (!listener) return;
  if (replaced) listener.removed(replaced);
  listener.arrived(scanned);
}

function takeOut(snapshot: Snapshot, object: K8sObject, listener: ArrivalListener | undefined): void {
  if (listener) for (const copy of snapshot.copiesOf(object)) listener.removed(copy);
  snapshot.delete(object);
}
