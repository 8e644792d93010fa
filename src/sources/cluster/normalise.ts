import { isRecord } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';

/**
 * A list item in the form a manifest file has: list items carry no `apiVersion` or `kind` (the
 * list's kind says what they are), so they are set here; `metadata.managedFields` is the server's
 * bookkeeping, large and never judged, so it is dropped.
 */
export function toFileForm(item: unknown, apiVersion: string, kind: string): K8sObject {
  const { apiVersion: _v, kind: _k, metadata: rawMetadata, ...rest } = isRecord(item) ? item : {};
  const { managedFields: _managedFields, ...metadata } = isRecord(rawMetadata) ? rawMetadata : {};
  return { apiVersion, kind, metadata, ...rest } as K8sObject;
}
