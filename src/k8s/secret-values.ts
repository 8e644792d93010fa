import { asArray, asRecord, asString, namespaceOf, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import type { Inventory } from './inventory.js';
import { containersOf } from './workloads.js';

/** Values larger than this are not decoded: credentials are short, and hostile input can be huge. */
export const MAX_DECODED_VALUE_BYTES = 1024 * 1024;

/**
 * One key of a Secret or ConfigMap, decoded in memory only. Callers must never put `value` in a
 * finding: they name the object and key instead.
 */
export interface StoredValue {
  readonly key: string;
  readonly value: string;
  readonly path: string;
}

/** The decoded entries of a Secret (`data` is base64, `stringData` plain) or a ConfigMap. */
export function storedValuesOf(object: K8sObject): StoredValue[] {
  const values: StoredValue[] = [];
  const base64 = object.kind === 'Secret';
  for (const [field, encoded] of [['data', base64], ['stringData', false]] as const) {
    const record = asRecord(object[field]) as JsonRecord | undefined;
    for (const [key, raw] of Object.entries(record ?? {})) {
      if (typeof raw !== 'string' || raw.length > MAX_DECODED_VALUE_BYTES * 2) continue;
      const value = encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      values.push({ key, value, path: joinPath(field, key) });
    }
  }
  return values;
}

export function storedValue(object: K8sObject, key: string): StoredValue | undefined {
  return storedValuesOf(object).find((entry) => entry.key === key);
}

/** Where an env var's value came from, for messages that must not show the value. */
export interface ResolvedEnv {
  readonly value: string;
  readonly origin: string;
}

/**
 * Resolves env var `name` as the workloads of `namespace` would see it: inline `value`,
 * `valueFrom.secretKeyRef`, `configMapKeyRef`, or `envFrom` Secrets and ConfigMaps.
 */
export function resolveEnvInNamespace(inventory: Inventory, namespace: string | undefined, name: string): ResolvedEnv[] {
  const found: ResolvedEnv[] = [];
  for (const { object } of inventory.inNamespace(namespace)) {
    for (const site of containersOf(object)) {
      for (const raw of asArray(site.container.env)) resolveEnvEntry(asRecord(raw), name, site.name, namespace, inventory, found);
      for (const raw of asArray(site.container.envFrom)) resolveEnvFrom(asRecord(raw), name, namespace, inventory, found);
    }
  }
  return dedupe(found);
}

function resolveEnvEntry(
  entry: JsonRecord | undefined,
  name: string,
  containerName: string,
  namespace: string | undefined,
  inventory: Inventory,
  found: ResolvedEnv[],
): void {
  if (entry?.name !== name) return;
  const inline = asString(entry.value);
  if (inline !== undefined) found.push({ value: inline, origin: `env ${name} of container "${containerName}"` });
  const from = asRecord(entry.valueFrom);
  const kind = from?.secretKeyRef ? 'Secret' : 'ConfigMap';
  const ref = asRecord(from?.secretKeyRef) ?? asRecord(from?.configMapKeyRef);
  const refName = asString(ref?.name);
  const key = asString(ref?.key);
  if (refName && key) pushStored(found, inventory, kind, namespace, refName, key);
}

function resolveEnvFrom(source: JsonRecord | undefined, name: string, namespace: string | undefined, inventory: Inventory, found: ResolvedEnv[]): void {
  const prefix = asString(source?.prefix) ?? '';
  if (!source || !name.startsWith(prefix)) return;
  const key = name.slice(prefix.length);
  const secretName = asString(asRecord(source.secretRef)?.name);
  const configMapName = asString(asRecord(source.configMapRef)?.name);
  if (secretName) pushStored(found, inventory, 'Secret', namespace, secretName, key);
  if (configMapName) pushStored(found, inventory, 'ConfigMap', namespace, configMapName, key);
}

function pushStored(found: ResolvedEnv[], inventory: Inventory, kind: string, namespace: string | undefined, name: string, key: string): void {
  const holder = inventory.get(kind, namespace, name, '')?.object;
  const stored = holder ? storedValue(holder, key) : undefined;
  if (stored) found.push({ value: stored.value, origin: `${kind} ${namespace ? `${namespace}/` : ''}${name} key ${key}` });
}

function dedupe(list: ResolvedEnv[]): ResolvedEnv[] {
  const seen = new Set<string>();
  return list.filter((entry) => (seen.has(entry.origin) ? false : (seen.add(entry.origin), true)));
}

/** Secrets of a namespace that carry `key` directly, for configs whose workload is not in the scan. */
export function secretsWithKey(inventory: Inventory, namespace: string | undefined, key: string): ResolvedEnv[] {
  return inventory
    .inNamespace(namespace)
    .filter(({ object }) => object.kind === 'Secret')
    .flatMap(({ object }) => {
      const stored = storedValue(object, key);
      return stored ? [{ value: stored.value, origin: `Secret ${namespaceOf(object) ? `${namespaceOf(object)}/` : ''}${object.metadata?.name ?? ''} key ${key}` }] : [];
    });
}
