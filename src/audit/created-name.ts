import { asRecord, isRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { responseObjectOf, type AuditEvent, type AuditObjectRef } from './event.js';

/**
 * The object a create sent, named as the API server stored it. A create by `generateName` sends
 * no name and the API server logs none in `objectRef` either: the name it chose (`echo-x7k2p`) is
 * only in the stored copy, the `responseObject`. Without it, a finding names the object by its
 * prefix (`echo-`), and a later exec into the pod by its real name finds no creation to match.
 * The object judged stays the one sent (what the actor asked for); only its name is taken.
 */
export function namedAsStored(sent: K8sObject, event: AuditEvent): K8sObject {
  // A metadata that is not an object (hostile input) is left as sent: nothing to name.
  if (hasName(sent) || (sent.metadata !== undefined && !isRecord(sent.metadata))) return sent;
  const stored = responseObjectOf(event)?.metadata?.name;
  // The objectRef names it when the API server (or a shipper) filled it in; the stored copy first.
  const name = typeof stored === 'string' && stored !== '' ? stored : event.objectRef.name;
  return name ? { ...sent, metadata: { ...sent.metadata, name } } : sent;
}

/** Whether the object carries its own name (a `generateName` create's does not). */
export function hasName(object: K8sObject): boolean {
  const name = object.metadata?.name;
  return typeof name === 'string' && name !== '';
}

/**
 * The objectRef the timeline shows for a create: named by the created object, or, when the log
 * holds no stored copy to say what the API server chose, by its `generateName` prefix and `…`.
 */
export function createdRef(ref: AuditObjectRef, created: K8sObject | undefined): AuditObjectRef {
  if (ref.name || !created) return ref;
  const name = hasName(created) ? String(created.metadata?.name) : unnamedPrefix(created);
  return name ? { ...ref, name: hasName(created) ? name : `${name}…` } : ref;
}

/** For a finding on a created object the log never names: why it is named by a prefix. */
export function unnamedNote(created: K8sObject): string | undefined {
  const prefix = hasName(created) ? undefined : unnamedPrefix(created);
  return prefix === undefined
    ? undefined
    : `created by generateName "${prefix}": the log holds no stored copy (responseObject) of this create, so the name the API server gave it is not known; log creates at RequestResponse level`;
}

function unnamedPrefix(created: K8sObject): string | undefined {
  const prefix = asRecord(created.metadata)?.generateName;
  return typeof prefix === 'string' && prefix !== '' ? prefix : undefined;
}
