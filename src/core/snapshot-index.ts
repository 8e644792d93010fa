import { apiGroupOf, namespaceOf, nameOf } from './object.js';
import { deleteIn, setIn, valuesOf, type OneOrMore } from './one-or-more.js';
import type { K8sObject, ScannedObject } from './types.js';

/**
 * The snapshot's lookups by kind, namespace, name and object. Each list is in the order its copies
 * were first stored (a replaced copy keeps its place): analyses that take the first match must not
 * depend on the form the index has.
 */
export interface SnapshotIndex {
  /** Copies of a kind, every group. */
  ofKind(kind: string): readonly ScannedObject[];
  inNamespace(namespace: string): readonly ScannedObject[];
  /** Namespaces holding a copy, `''` (cluster-scoped) included, in the order they were first held. */
  namespaces(): readonly string[];
  get(kind: string, namespace: string, name: string, apiGroup: string | undefined): ScannedObject | undefined;
}

const groupMatches = (scanned: ScannedObject, apiGroup: string | undefined): boolean =>
  apiGroup === undefined || apiGroupOf(scanned.object.apiVersion) === apiGroup;

/**
 * Kept up to date at every change: what a live snapshot (a watch, a webhook) queries between
 * changes. Indexes map entry keys (identity and slot) to objects, so a replaced object keeps its place.
 */
export class LiveIndex implements SnapshotIndex {
  private readonly byKind = new Map<string, Map<string, ScannedObject>>();
  private readonly byNamespace = new Map<string, Map<string, ScannedObject>>();
  /**
   * kind, then namespace, then name, without the group: `get` may be asked without one. Nested,
   * not keyed by a string joining the three: that string was built (and kept) for every object.
   */
  private readonly byName = new Map<string, Map<string, Map<string, OneOrMore<ScannedObject>>>>();
  private readonly byObject = new Map<K8sObject, ScannedObject>();

  /** Objects stored (an object stored twice counts once). */
  get size(): number {
    return this.byObject.size;
  }

  ofKind(kind: string): readonly ScannedObject[] {
    const entries = this.byKind.get(kind);
    return entries ? [...entries.values()] : [];
  }

  inNamespace(namespace: string): readonly ScannedObject[] {
    const entries = this.byNamespace.get(namespace);
    return entries ? [...entries.values()] : [];
  }

  namespaces(): readonly string[] {
    return [...this.byNamespace.keys()];
  }

  get(kind: string, namespace: string, name: string, apiGroup: string | undefined): ScannedObject | undefined {
    const named = this.byName.get(kind)?.get(namespace)?.get(name);
    if (!named) return undefined;
    for (const scanned of valuesOf(named)) if (groupMatches(scanned, apiGroup)) return scanned;
    return undefined;
  }

  originOf(object: K8sObject): ScannedObject | undefined {
    return this.byObject.get(object);
  }

  /** Adds or, for an entry already stored, replaces in place (`replaced`: the copy it replaces). */
  add(entry: string, scanned: ScannedObject, replaced: ScannedObject | undefined): void {
    if (replaced) this.byObject.delete(replaced.object);
    const namespace = namespaceOf(scanned.object) ?? '';
    add(this.byKind, scanned.object.kind, entry, scanned);
    add(this.byNamespace, namespace, entry, scanned);
    let ofKind = this.byName.get(scanned.object.kind);
    if (!ofKind) this.byName.set(scanned.object.kind, (ofKind = new Map()));
    let inNamespace = ofKind.get(namespace);
    if (!inNamespace) ofKind.set(namespace, (inNamespace = new Map()));
    setIn(inNamespace, String(nameOf(scanned.object)), entry, scanned);
    this.byObject.set(scanned.object, scanned);
  }

  remove(entry: string, scanned: ScannedObject): void {
    const namespace = namespaceOf(scanned.object) ?? '';
    remove(this.byKind, scanned.object.kind, entry);
    remove(this.byNamespace, namespace, entry);
    const ofKind = this.byName.get(scanned.object.kind);
    const inNamespace = ofKind?.get(namespace);
    if (ofKind && inNamespace) {
      deleteIn(inNamespace, String(nameOf(scanned.object)), entry);
      if (inNamespace.size === 0) ofKind.delete(namespace);
      if (ofKind.size === 0) this.byName.delete(scanned.object.kind);
    }
    this.byObject.delete(scanned.object);
  }
}

/**
 * Built in one pass over every copy, for one version, when nothing has been asked since the last
 * change: a cluster scan puts 62,500 objects in before its first query, and a Map entry per object
 * in four indexes (keyed by the identity, or by the object) was most of what each upsert cost
 * (docs/benchmarks.md, snapindex11). Arrays instead, and no index by object (the snapshot finds
 * an object's copy through its identity).
 *
 * Only valid while the snapshot has only grown, by copies with the empty slot, each under an
 * identity of its own: the order of the snapshot's entries is then the order LiveIndex keeps
 * (Snapshot.goLive says why not otherwise).
 */
export class FrozenIndex implements SnapshotIndex {
  private readonly byKind = new Map<string, ScannedObject[]>();
  private readonly byNamespace = new Map<string, ScannedObject[]>();
  /**
   * Per kind, built at its first `get`: namespace, then name, then one copy or several (other
   * groups) in order. A scan asks names of a few kinds (ConfigMaps, Secrets, service accounts),
   * not of its 50,000 Pods.
   */
  private readonly byName = new Map<string, Map<string, Map<string, ScannedObject | ScannedObject[]>>>();

  /** `all`: every copy, in the order of the snapshot's entries. */
  constructor(all: readonly ScannedObject[]) {
    for (const scanned of all) {
      push(this.byKind, scanned.object.kind, scanned);
      push(this.byNamespace, namespaceOf(scanned.object) ?? '', scanned);
    }
  }

  ofKind(kind: string): readonly ScannedObject[] {
    return this.byKind.get(kind) ?? [];
  }

  inNamespace(namespace: string): readonly ScannedObject[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  namespaces(): readonly string[] {
    return [...this.byNamespace.keys()];
  }

  get(kind: string, namespace: string, name: string, apiGroup: string | undefined): ScannedObject | undefined {
    const named = this.namesOf(kind).get(namespace)?.get(name);
    if (named === undefined) return undefined;
    if (!Array.isArray(named)) return groupMatches(named, apiGroup) ? named : undefined;
    for (const scanned of named) if (groupMatches(scanned, apiGroup)) return scanned;
    return undefined;
  }

  private namesOf(kind: string): Map<string, Map<string, ScannedObject | ScannedObject[]>> {
    let ofKind = this.byName.get(kind);
    if (ofKind) return ofKind;
    ofKind = new Map();
    for (const scanned of this.ofKind(kind)) {
      const namespace = namespaceOf(scanned.object) ?? '';
      let inNamespace = ofKind.get(namespace);
      if (!inNamespace) ofKind.set(namespace, (inNamespace = new Map()));
      const name = String(nameOf(scanned.object));
      const named = inNamespace.get(name);
      if (named === undefined) inNamespace.set(name, scanned);
      else if (Array.isArray(named)) named.push(scanned);
      else inNamespace.set(name, [named, scanned]);
    }
    this.byName.set(kind, ofKind);
    return ofKind;
  }
}

function add<K, V>(map: Map<K, Map<string, V>>, key: K, entry: string, value: V): void {
  const entries = map.get(key);
  if (entries) entries.set(entry, value);
  else map.set(key, new Map([[entry, value]]));
}

function remove<K, V>(map: Map<K, Map<string, V>>, key: K, entry: string): void {
  const entries = map.get(key);
  if (!entries) return;
  entries.delete(entry);
  if (entries.size === 0) map.delete(key);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
