import type { K8sObject, ResourceRef } from './types.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asStringArray(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

export function isK8sObject(value: unknown): value is K8sObject {
  return isRecord(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * A name field as text. Files are not validated by an API server: `namespace: 7` parses as a
 * number, and every report must still be able to print it.
 */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : undefined;
}

export function nameOf(object: K8sObject): string {
  return scalarText(object.metadata?.name) ?? asString(object.metadata?.generateName) ?? '<unnamed>';
}

export function namespaceOf(object: K8sObject): string | undefined {
  return scalarText(object.metadata?.namespace);
}

export function labelsOf(object: K8sObject): Readonly<Record<string, string>> {
  return stringMap(object.metadata?.labels);
}

export function annotationsOf(object: K8sObject): Readonly<Record<string, string>> {
  return stringMap(object.metadata?.annotations);
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Labels and annotations as the string map Kubernetes defines. A file holds whatever its author
 * wrote (`labels: 5`, a list, `app: 7`): anything but a map is empty, and values that are not
 * text are read as the text they print as (a number, a boolean) or dropped (a list, a map), so
 * no rule crashes on them or calls a string method on a number. The common all-string map is
 * returned as it is, without a copy.
 */
export function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (!isRecord(value)) return EMPTY;
  if (allStrings(value)) return value as Readonly<Record<string, string>>;
  const texts: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    const text = scalarText(entry);
    if (text !== undefined) texts[key] = text;
  }
  return texts;
}

/** Whether every own value is a string: without a list of the values and a closure (labels are read per rule and object). */
function allStrings(value: JsonRecord): boolean {
  for (const key of Object.keys(value)) if (typeof value[key] !== 'string') return false;
  return true;
}

export interface OwnerReference {
  readonly kind?: string;
  readonly name?: string;
  readonly apiVersion?: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

/** `metadata.ownerReferences` keeping only the entries that are maps, each field only when of its type. */
export function ownerReferencesOf(object: K8sObject): readonly OwnerReference[] {
  return asArray(object.metadata?.ownerReferences)
    .filter(isRecord)
    .map((ref) => ({
      ...(typeof ref.kind === 'string' ? { kind: ref.kind } : {}),
      ...(typeof ref.name === 'string' ? { name: ref.name } : {}),
      ...(typeof ref.apiVersion === 'string' ? { apiVersion: ref.apiVersion } : {}),
      ...(typeof ref.uid === 'string' ? { uid: ref.uid } : {}),
      ...(typeof ref.controller === 'boolean' ? { controller: ref.controller } : {}),
    }));
}

export function refOf(object: K8sObject): ResourceRef {
  const namespace = namespaceOf(object);
  const ref = { apiVersion: scalarText(object.apiVersion) ?? '', kind: scalarText(object.kind) ?? '', name: nameOf(object) };
  return namespace === undefined ? ref : { ...ref, namespace };
}

/** `kubeflow/Service/centraldashboard`, or `ClusterRole/edit` for cluster-scoped objects. */
export function describeRef(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function describeObject(object: K8sObject): string {
  return describeRef(refOf(object));
}
