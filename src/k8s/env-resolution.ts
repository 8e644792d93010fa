import { asArray, asRecord, asString, namespaceOf, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import { RecentCache } from '../core/recent-cache.js';
import type { K8sObject } from '../core/types.js';
import type { Inventory } from './inventory.js';
import { containersOf } from './workloads.js';

/**
 * The one resolver of what a container sees through `env`, `envFrom`, ConfigMap and Secret key
 * references and ConfigMap, Secret and projected volumes, with Kubernetes semantics:
 * https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
 * https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/
 * https://kubernetes.io/docs/concepts/storage/projected-volumes/
 * Secret values are decoded in memory only; callers name the object and key, never the value.
 */

/** Values larger than this are not decoded: credentials are short, and hostile input can be huge. */
export const MAX_DECODED_VALUE_BYTES = 1024 * 1024;

export type ConfigKind = 'ConfigMap' | 'Secret';

/** One key of a Secret or ConfigMap, decoded in memory only. Never put `value` in a finding. */
export interface StoredValue {
  readonly key: string;
  readonly value: string;
  readonly path: string;
}

/** How Secret `data` bytes become text; a decoder may refuse binary data. */
export type SecretDecoder = (bytes: Buffer) => string | undefined;

const UTF8: SecretDecoder = (bytes) => bytes.toString('utf8');

/** The entries of a Secret (`data` base64, `stringData` plain) or a ConfigMap (`data`). */
export function storedValuesOf(object: K8sObject, decodeSecret: SecretDecoder = UTF8): StoredValue[] {
  const values: StoredValue[] = [];
  const secret = object.kind === 'Secret';
  const fields = secret ? (['data', 'stringData'] as const) : (['data'] as const);
  for (const field of fields) {
    const record = asRecord(object[field]) as JsonRecord | undefined;
    for (const [key, raw] of Object.entries(record ?? {})) {
      if (typeof raw !== 'string' || raw.length > MAX_DECODED_VALUE_BYTES * 2) continue;
      const value = secret && field === 'data' ? decodeSecret(Buffer.from(raw, 'base64')) : raw;
      if (value !== undefined) values.push({ key, value, path: joinPath(field, key) });
    }
  }
  return values;
}

export function storedValue(object: K8sObject, key: string): StoredValue | undefined {
  return storedValuesOf(object).find((entry) => entry.key === key);
}

/** The ConfigMap or Secret a reference names, looked up in the core API group. */
export function referencedObject(inventory: Inventory, kind: ConfigKind, namespace: string | undefined, name: string): K8sObject | undefined {
  return inventory.get(kind, namespace, name, '')?.object;
}

/** One key of a ConfigMap, e.g. for Argo `valueFrom.configMapKeyRef` or a Katib template. */
export function configMapValue(inventory: Inventory, namespace: string | undefined, name: string, key: string): string | undefined {
  const configMap = referencedObject(inventory, 'ConfigMap', namespace, name);
  return configMap ? storedValue(configMap, key)?.value : undefined;
}

/** A ConfigMap or Secret a container or pod spec refers to, and where. */
export interface ConfigReference {
  readonly kind: ConfigKind;
  readonly name: string;
  /** Path of the field that names the object (`…envFrom[0].configMapRef.name`). */
  readonly path: string;
  /** For volumes: the volume's name and path, which `volumeMounts` refer to. */
  readonly volume?: { readonly name: string; readonly path: string };
}

/** ConfigMaps and Secrets a container pulls in through `envFrom` and `env[].valueFrom`. */
export function containerConfigReferences(container: JsonRecord, containerPath: string): ConfigReference[] {
  const found: ConfigReference[] = [];
  asArray(container.envFrom).forEach((entry, i) => {
    const from = asRecord(entry);
    const configMap = asString(asRecord(from?.configMapRef)?.name);
    const secret = asString(asRecord(from?.secretRef)?.name);
    if (configMap) found.push({ kind: 'ConfigMap', name: configMap, path: joinPath(containerPath, 'envFrom', i, 'configMapRef', 'name') });
    if (secret) found.push({ kind: 'Secret', name: secret, path: joinPath(containerPath, 'envFrom', i, 'secretRef', 'name') });
  });
  asArray(container.env).forEach((entry, i) => {
    const valueFrom = asRecord(asRecord(entry)?.valueFrom);
    const configMap = asString(asRecord(valueFrom?.configMapKeyRef)?.name);
    const secret = asString(asRecord(valueFrom?.secretKeyRef)?.name);
    if (configMap) found.push({ kind: 'ConfigMap', name: configMap, path: joinPath(containerPath, 'env', i, 'valueFrom', 'configMapKeyRef', 'name') });
    if (secret) found.push({ kind: 'Secret', name: secret, path: joinPath(containerPath, 'env', i, 'valueFrom', 'secretKeyRef', 'name') });
  });
  return found;
}

/** ConfigMaps and Secrets mounted by a pod spec's `volumes`, directly or through a projected volume. */
/**
 * The last few answers, by the volumes list and its path: the threat scan and the Jupyter rule ask
 * for the same pod's (once per container) in turn. A ring, so nothing is kept per object of a scan.
 */
const recentVolumeReferences = new RecentCache<object, { readonly path: string; readonly found: readonly ConfigReference[] }>(4);

export function volumeConfigReferences(volumes: unknown, volumesPath: string): readonly ConfigReference[] {
  const known = Array.isArray(volumes) ? recentVolumeReferences.get(volumes) : undefined;
  if (known && known.path === volumesPath) return known.found;
  const found = readVolumeConfigReferences(volumes, volumesPath);
  if (Array.isArray(volumes)) recentVolumeReferences.set(volumes, { path: volumesPath, found });
  return found;
}

function readVolumeConfigReferences(volumes: unknown, volumesPath: string): readonly ConfigReference[] {
  const found: ConfigReference[] = [];
  asArray(volumes).forEach((entry, i) => {
    const raw = asRecord(entry);
    if (!raw) return;
    const volume = { name: asString(raw.name) ?? '', path: joinPath(volumesPath, i) };
    const configMap = asString(asRecord(raw.configMap)?.name);
    const secret = asString(asRecord(raw.secret)?.secretName);
    if (configMap) found.push({ kind: 'ConfigMap', name: configMap, path: joinPath(volume.path, 'configMap', 'name'), volume });
    if (secret) found.push({ kind: 'Secret', name: secret, path: joinPath(volume.path, 'secret', 'secretName'), volume });
    asArray(asRecord(raw.projected)?.sources).forEach((source, j) => {
      const projected = asRecord(source);
      const projectedConfigMap = asString(asRecord(projected?.configMap)?.name);
      const projectedSecret = asString(asRecord(projected?.secret)?.name);
      const base = joinPath(volume.path, 'projected', 'sources', j);
      if (projectedConfigMap) found.push({ kind: 'ConfigMap', name: projectedConfigMap, path: joinPath(base, 'configMap', 'name'), volume });
      if (projectedSecret) found.push({ kind: 'Secret', name: projectedSecret, path: joinPath(base, 'secret', 'name'), volume });
    });
  });
  return Object.freeze(found);
}

/** Where an env var's value comes from: written inline, or a key of a ConfigMap or Secret. */
export type EnvSource = { readonly kind: 'inline' } | { readonly kind: ConfigKind; readonly name: string; readonly key: string };

export interface EnvBinding {
  readonly name: string;
  readonly value: string;
  readonly source: EnvSource;
}

export interface EnvOptions {
  /** Follow Secret references too. Off for anything whose values could reach evidence. */
  readonly secrets: boolean;
}

/**
 * The env a container sees, in the order Kubernetes applies it: `envFrom` sources first, then
 * `env` entries, so a later binding of a name overrides an earlier one. Unresolvable references
 * (object or key not in the scan) bind nothing.
 */
export function containerEnv(container: JsonRecord, namespace: string | undefined, inventory: Inventory, options: EnvOptions): EnvBinding[] {
  // Loops into one list, without a lookup closure or a list per entry: several rules ask this of
  // every container of every object, and most containers have a few inline values or none.
  const bindings: EnvBinding[] = [];
  const envFrom = container.envFrom;
  if (Array.isArray(envFrom)) for (const raw of envFrom) envFromBindings(asRecord(raw), namespace, inventory, options, bindings);
  const env = container.env;
  if (Array.isArray(env)) for (const raw of env) envBinding(asRecord(raw), namespace, inventory, options, bindings);
  return bindings;
}

/** The object a reference names, when these options follow its kind. */
function lookup(kind: ConfigKind, name: string, namespace: string | undefined, inventory: Inventory, options: EnvOptions): K8sObject | undefined {
  return kind === 'ConfigMap' || options.secrets ? referencedObject(inventory, kind, namespace, name) : undefined;
}

/** Every key of an `envFrom` ConfigMap or Secret, under its prefix (the ConfigMap's first). */
function envFromBindings(from: JsonRecord | undefined, namespace: string | undefined, inventory: Inventory, options: EnvOptions, into: EnvBinding[]): void {
  const prefix = asString(from?.prefix) ?? '';
  envFromSource('ConfigMap', asString(asRecord(from?.configMapRef)?.name), prefix, namespace, inventory, options, into);
  envFromSource('Secret', asString(asRecord(from?.secretRef)?.name), prefix, namespace, inventory, options, into);
}

function envFromSource(kind: ConfigKind, name: string | undefined, prefix: string, namespace: string | undefined, inventory: Inventory, options: EnvOptions, into: EnvBinding[]): void {
  const holder = name ? lookup(kind, name, namespace, inventory, options) : undefined;
  if (!holder || !name) return;
  for (const stored of storedValuesOf(holder)) into.push({ name: prefix + stored.key, value: stored.value, source: { kind, name, key: stored.key } });
}

/** One `env` entry: its inline value, or the ConfigMap or Secret key it refers to. */
function envBinding(entry: JsonRecord | undefined, namespace: string | undefined, inventory: Inventory, options: EnvOptions, into: EnvBinding[]): void {
  const name = asString(entry?.name);
  if (!entry || !name) return;
  const inline = asString(entry.value);
  if (inline !== undefined) {
    into.push({ name, value: inline, source: INLINE });
    return;
  }
  const valueFrom = asRecord(entry.valueFrom);
  const kind: ConfigKind = valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
  const ref = asRecord(valueFrom?.secretKeyRef) ?? asRecord(valueFrom?.configMapKeyRef);
  const refName = asString(ref?.name);
  const key = asString(ref?.key);
  const holder = refName && key ? lookup(kind, refName, namespace, inventory, options) : undefined;
  const stored = holder && key ? storedValue(holder, key) : undefined;
  if (stored && refName && key) into.push({ name, value: stored.value, source: { kind, name: refName, key } });
}

/** Every inline binding's source: one frozen record, not one per env var. */
const INLINE: EnvSource = Object.freeze({ kind: 'inline' });

/** The env of a container as a map, later bindings overriding earlier ones. */
export function containerEnvMap(container: JsonRecord, namespace: string | undefined, inventory: Inventory, options: EnvOptions): Map<string, EnvBinding> {
  return new Map(containerEnv(container, namespace, inventory, options).map((binding) => [binding.name, binding]));
}

/** A resolved value and where it came from, for messages that must not show the value. */
export interface ResolvedEnv {
  readonly value: string;
  readonly origin: string;
}

/** Every value env var `name` has in any container of any workload of `namespace`, Secrets included. */
export function resolveEnvInNamespace(inventory: Inventory, namespace: string | undefined, name: string): ResolvedEnv[] {
  const found = new Map<string, ResolvedEnv>();
  for (const { object } of inventory.inNamespace(namespace)) {
    for (const ref of containersOf(object)) {
      for (const binding of containerEnv(ref.container, namespace, inventory, { secrets: true })) {
        if (binding.name !== name) continue;
        const origin =
          binding.source.kind === 'inline'
            ? `env ${name} of container "${ref.name}"`
            : storedOrigin(binding.source.kind, namespace, binding.source.name, binding.source.key);
        if (!found.has(origin)) found.set(origin, { value: binding.value, origin });
      }
    }
  }
  return [...found.values()];
}

/** Secrets of a namespace that carry `key` directly, for configs whose workload is not in the scan. */
export function secretsWithKey(inventory: Inventory, namespace: string | undefined, key: string): ResolvedEnv[] {
  return inventory
    .inNamespace(namespace)
    .filter(({ object }) => object.kind === 'Secret')
    .flatMap(({ object }) => {
      const stored = storedValue(object, key);
      return stored ? [{ value: stored.value, origin: storedOrigin('Secret', namespaceOf(object), object.metadata?.name ?? '', key) }] : [];
    });
}

function storedOrigin(kind: ConfigKind, namespace: string | undefined, name: string, key: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name} key ${key}`;
}

/** The literal value of an env var on a container, when it is given inline. */
export function envValue(container: JsonRecord, name: string): { value: string; index: number } | undefined {
  const env = asArray(container.env);
  for (let i = 0; i < env.length; i++) {
    const entry = asRecord(env[i]);
    if (entry && entry.name === name) {
      const value = asString(entry.value);
      return value === undefined ? undefined : { value, index: i };
    }
  }
  return undefined;
}
