import { asRecord, isRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { DeletedCollections } from './deleted-collections.js';

export type ConfigKind = 'ConfigMap' | 'Secret';

/** A ConfigMap or Secret a workload names (env, envFrom, volumes, projected sources), in its namespace. */
export interface ConfigRef {
  readonly kind: ConfigKind;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The last state of the ConfigMaps and Secrets the log showed, so a pod created later that reads a
 * script or env from one is judged with it, as `scan` judges the same objects together (a miner
 * split across a ConfigMap and a Pod). Kept as compact JSON text (data only, no metadata beyond
 * the name), bounded in bytes: the oldest goes first, and its name is remembered (bounded too), so
 * a workload referencing a forgotten object says so instead of passing silently. Secret values
 * stay in memory only: the miner rule names a Secret's key, never its value.
 */
export class ConfigState {
  /** Each object's text and the stamp it was written at (deleted-collections.ts). */
  private readonly objects = new Map<string, { readonly text: string; readonly stamp: number }>();
  private bytes = 0;
  /** Forgotten names (a deletecollection since does not make them gone: its selector is not known). */
  private readonly forgotten = new Set<string>();
  /** Evictions since the start. */
  evictions = 0;
  /** Forgotten names not remembered (over their cap): an unknown reference may then be one of them. */
  private namesDropped = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxForgottenNames = 100_000,
    private readonly collections = new DeletedCollections(),
  ) {}

  static keyOf(ref: ConfigRef): string {
    return `${ref.kind}/${ref.namespace}/${ref.name}`;
  }

  /** The kept object, whether or not a deletecollection may have ended it since (deleted-collections.ts). */
  get(ref: ConfigRef): K8sObject | undefined {
    const kept = this.objects.get(ConfigState.keyOf(ref));
    return kept === undefined ? undefined : (JSON.parse(kept.text) as K8sObject);
  }

  set(ref: ConfigRef, object: K8sObject): void {
    const key = ConfigState.keyOf(ref);
    this.delete(ref);
    const text = JSON.stringify(slim(object, ref));
    // One object over the whole budget is not kept; it counts as forgotten at once.
    if (text.length > this.maxBytes) {
      this.forget(key);
      return;
    }
    this.forgotten.delete(key);
    this.objects.set(key, { text, stamp: this.collections.next() });
    this.bytes += text.length;
    while (this.bytes > this.maxBytes) {
      const [oldest, value] = this.objects.entries().next().value as [string, { readonly text: string }];
      this.objects.delete(oldest);
      this.bytes -= value.text.length;
      this.forget(oldest);
    }
  }

  delete(ref: ConfigRef): void {
    const key = ConfigState.keyOf(ref);
    const kept = this.objects.get(key);
    if (kept !== undefined) {
      this.objects.delete(key);
      this.bytes -= kept.text.length;
    }
    this.forgotten.delete(key);
  }

  /**
   * Whether nothing was ever kept or forgotten that a lookup could return: then every lookup is
   * empty, and the caller need not walk the object for the names it reads.
   */
  get isEmpty(): boolean {
    return this.objects.size === 0 && this.forgotten.size === 0 && this.namesDropped === 0;
  }

  /**
   * The kept objects a workload names, the names of those it names that were forgotten, and, of
   * those found, the ones a deletecollection may have deleted since they were kept, with what
   * request (still read: a stale read only adds findings, and they say so).
   */
  lookup(refs: readonly ConfigRef[]): { readonly found: K8sObject[]; readonly forgotten: ConfigRef[]; readonly possiblyDeleted: { readonly ref: ConfigRef; readonly by: string }[] } {
    const found: K8sObject[] = [];
    const forgotten: ConfigRef[] = [];
    const possiblyDeleted: { ref: ConfigRef; by: string }[] = [];
    for (const ref of refs) {
      const kept = this.objects.get(ConfigState.keyOf(ref));
      if (kept !== undefined) {
        found.push(JSON.parse(kept.text) as K8sObject);
        const by = this.collections.deletedBy('', ref.kind === 'ConfigMap' ? 'configmaps' : 'secrets', ref.namespace, kept.stamp);
        if (by !== undefined) possiblyDeleted.push({ ref, by });
      } else if (this.forgotten.has(ConfigState.keyOf(ref)) || this.namesDropped > 0) forgotten.push(ref);
    }
    return { found, forgotten, possiblyDeleted };
  }

  private forget(key: string): void {
    this.evictions++;
    this.forgotten.delete(key);
    this.forgotten.add(key);
    if (this.forgotten.size > this.maxForgottenNames) {
      const oldest = this.forgotten.keys().next().value;
      if (oldest !== undefined) this.forgotten.delete(oldest);
      this.namesDropped++;
    }
  }
}

/** What the miner rule reads of a ConfigMap or Secret: its identity and data. */
function slim(object: K8sObject, ref: ConfigRef): K8sObject {
  const kept: Record<string, unknown> = { apiVersion: 'v1', kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } };
  for (const key of ref.kind === 'Secret' ? ['data', 'stringData'] : ['data']) if (isRecord(object[key])) kept[key] = object[key];
  return kept as K8sObject;
}

const MAX_NODES = 20_000;

/**
 * The ConfigMaps and Secrets an object names anywhere in its spec (`configMapRef`,
 * `configMapKeyRef`, `secretRef`, `secretKeyRef`, `configMap` and `secret` volumes and projected
 * sources), whatever the workload's shape (Pod, Deployment, Workflow, Notebook…). Walked with a
 * node budget: a hostile object cannot make it slow.
 */
export function configRefsOf(object: K8sObject, namespace: string): ConfigRef[] {
  const refs = new Map<string, ConfigRef>();
  const add = (kind: ConfigKind, name: unknown): void => {
    if (typeof name === 'string' && name !== '') refs.set(`${kind}/${name}`, { kind, namespace, name });
  };
  const stack: unknown[] = [object.spec];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < MAX_NODES) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    const record = asRecord(node);
    if (!record) continue;
    for (const [key, value] of Object.entries(record)) {
      const child = asRecord(value);
      if (child) {
        if (key === 'configMapRef' || key === 'configMapKeyRef' || key === 'configMap') add('ConfigMap', child.name);
        else if (key === 'secretRef' || key === 'secretKeyRef') add('Secret', child.name);
        else if (key === 'secret') add('Secret', child.secretName ?? child.name);
      }
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return [...refs.values()];
}
