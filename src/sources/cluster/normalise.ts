import { isRecord } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';

/**
 * A list item in the form a manifest file has: list items carry no `apiVersion` or `kind` (the
 * list's kind says what they are), so they are set here; `metadata.managedFields` is the server's
 * bookkeeping, large and never judged, so it is dropped.
 *
 * `owned`: the caller parsed `item` itself and hands it over (a list page). Its metadata is then
 * kept rather than copied when `managedFields` is absent or its last key (where an API server puts
 * it: the last field of ObjectMeta), deleted in place: deleting an object's last-added key keeps
 * V8's fast properties, while the copy was a second metadata object with an out-of-object property
 * array per listed object (about 100 bytes each, nearly all of them kept and promoted). Anywhere
 * else the key is, the copy is made as before (a delete there would make the object a dictionary).
 */
export function toFileForm(item: unknown, apiVersion: string, kind: string, owned = false): K8sObject {
  const { apiVersion: _v, kind: _k, metadata: rawMetadata, ...rest } = isRecord(item) ? item : {};
  return { apiVersion, kind, metadata: owned ? ownedMetadata(rawMetadata) : copiedMetadata(rawMetadata), ...rest } as K8sObject;
}

function copiedMetadata(rawMetadata: unknown): Record<string, unknown> {
  const { managedFields: _managedFields, ...metadata } = isRecord(rawMetadata) ? rawMetadata : {};
  return metadata;
}

function ownedMetadata(rawMetadata: unknown): Record<string, unknown> {
  if (!isRecord(rawMetadata)) return {};
  if (!Object.hasOwn(rawMetadata, 'managedFields')) return rawMetadata;
  let last: string | undefined;
  // for-in over a fast object reads its enum cache: no array per object, unlike Object.keys.
  for (const key in rawMetadata) last = key;
  if (last !== 'managedFields') return copiedMetadata(rawMetadata);
  delete (rawMetadata as Record<string, unknown>).managedFields;
  return rawMetadata;
}
