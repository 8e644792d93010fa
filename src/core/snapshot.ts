import { flatKey } from './flat-key.js';
import type { DerivedAnalysis, Inventory, Labels } from './inventory.js';
import { apiGroupOf, asRecord, labelsOf, namespaceOf, nameOf } from './object.js';
import { matchesLabelSelector, matchesMapSelector } from './selectors.js';
import { DependencyRecorder, isAffected, type Dependencies } from './snapshot-dependencies.js';
import type { K8sObject, ScannedObject } from './types.js';
import { copiesIn, copyIn, putCopy, slotOf, slotsIn, type HeldCopies } from './held-copies.js';
import { FrozenIndex, LiveIndex, type SnapshotIndex } from './snapshot-index.js';

/** The labels of the pods an object runs; injected so core/ need not know workload shapes. */
export type PodLabelsOf = (object: K8sObject) => readonly Labels[];

/**
 * What makes two objects the same object: API group, kind, namespace and name. Objects without a
 * name (a `generateName` create) are never the same as anything stored.
 */
export function identityOf(object: K8sObject): string | undefined {
  const name = object.metadata?.name;
  if (typeof name !== 'string') return undefined;
  return flatKey(`${apiGroupOf(object.apiVersion)}\u0000${object.kind}\u0000${namespaceOf(object) ?? ''}\u0000${name}`);
}

let unnamed = 0;

interface Memo {
  version: number;
  /** The version it was built at; it has been carried unchanged through every version since. */
  readonly builtAt: number;
  readonly value: unknown;
  readonly dependencies: Dependencies;
}

/**
 * What changed to make one version: the copy replaced (or a delete's copies) and the copy added.
 * Mutable: the ring's records are reused.
 */
interface Change {
  removed: ScannedObject | readonly ScannedObject[] | undefined;
  added: ScannedObject | undefined;
}

const NO_ANALYSES: readonly DerivedAnalysis<unknown>[] = [];

/** Changes kept for callers that bring their own caches up to date; older ones are rebuilt whole. */
export const CHANGE_LOG_LENGTH = 4_096;

/** Query logic shared by the snapshot and its overlays, written once over the four primitive lookups. */
abstract class InventoryQueries implements Inventory {
  constructor(protected readonly podLabelsOf: PodLabelsOf) {}
  abstract readonly all: readonly ScannedObject[];
  abstract ofKind(kind: string, apiGroup?: string): readonly ScannedObject[];
  abstract get(kind: string, namespace: string | undefined, name: string, apiGroup?: string): ScannedObject | undefined;
  abstract inNamespace(namespace: string | undefined): readonly ScannedObject[];
  abstract namespaces(): readonly string[];
  abstract originOf(object: K8sObject): ScannedObject | undefined;
  abstract derived<T>(analysis: DerivedAnalysis<T>): T;
  /** Objects in `namespace` one of whose pod label sets has `key: value`: the candidates of a selector term. */
  protected abstract withPodLabel(namespace: string, key: string, value: string): readonly ScannedObject[];

  /**
   * Service semantics: every selector term must match one pod label set. Candidates come from the
   * label index of the selector's rarest term, so matching m Services against n workloads costs
   * what they share, not m × n.
   */
  selectedByService(service: K8sObject): readonly ScannedObject[] {
    const selector = asRecord(asRecord(service.spec)?.selector) as Labels | undefined;
    if (!selector) return [];
    const terms = Object.entries(selector);
    if (terms.length === 0) return [];
    const namespace = namespaceOf(service) ?? '';
    let candidates: readonly ScannedObject[] | undefined;
    for (const [key, value] of terms) {
      // The index is a superset by text; the exact match below keeps the old semantics for odd types.
      const found = this.withPodLabel(namespace, key, String(value));
      if (!candidates || found.length < candidates.length) candidates = found;
      if (found.length === 0) return [];
    }
    return (candidates ?? []).filter(
      (s) => s.object !== service && this.podLabelsOf(s.object).some((labels) => matchesMapSelector(selector, labels)),
    );
  }

  servicesSelecting(object: K8sObject): readonly ScannedObject[] {
    const labelSets = this.podLabelsOf(object);
    if (labelSets.length === 0) return [];
    return this.ofKind('Service', '').filter((s) => {
      if (namespaceOf(s.object) !== namespaceOf(object)) return false;
      const selector = asRecord(asRecord(s.object.spec)?.selector) as Labels | undefined;
      return labelSets.some((labels) => matchesMapSelector(selector, labels));
    });
  }

  matchingLabelSelector(namespace: string | undefined, selector: unknown, kinds?: readonly string[]): readonly ScannedObject[] {
    return this.inNamespace(namespace).filter((s) => (!kinds || kinds.includes(s.object.kind)) && matchesLabelSelector(selector, labelsOf(s.object)));
  }
}

const groupMatches = (scanned: ScannedObject, apiGroup: string | undefined): boolean =>
  apiGroup === undefined || apiGroupOf(scanned.object.apiVersion) === apiGroup;

/**
 * Every object known to one evaluation, keyed by identity, that accepts upserts and deletes. Its
 * `version` moves on each change. Derived analyses are built once per version and kept across
 * changes that touch nothing they read, so a watch or a webhook never rebuilds them per request.
 */
export class Snapshot extends InventoryQueries {
  // Per identity: nearly always one copy, kept as itself (HeldCopies; a one-entry Map is 184
  // bytes: 23 MB of a 62,500-object watch once).
  private readonly entries = new Map<string, HeldCopies>();
  /**
   * The lookups by kind, namespace, name and object, kept up to date at every change once the
   * snapshot is live: from a file's copy on, or from the first change after a query (a watch, a
   * webhook). Until then there is none: copies go into `entries` alone, and a query builds a
   * FrozenIndex for its version. A cluster scan upserts every listed object before its first query;
   * four Map entries per object, keyed by its identity or by the object, were most of what an
   * upsert cost (docs/benchmarks.md, snapindex11).
   */
  private live: LiveIndex | undefined;
  /** Built by the first query of a version while there is no live index; dropped at the next change. */
  private frozen: FrozenIndex | undefined;
  /** While there is no live index: copies stored under a made-up identity, by object (`originOf`). */
  private unnamedCopies = new Map<K8sObject, ScannedObject>();
  /** While there is no live index: copies stored under their own identity. */
  private namedCopies = 0;
  /** Arrays handed out by queries, valid for one version. */
  private readonly lists = new Map<string, readonly ScannedObject[]>();
  private namespaceList: readonly string[] | undefined;
  private allList: readonly ScannedObject[] | undefined;
  /** Per namespace, `key=value` → objects whose pods carry that label; valid for one version. */
  private readonly podLabelIndex = new Map<string, Map<string, ScannedObject[]>>();
  private readonly memos = new Map<DerivedAnalysis<unknown>, Memo>();
  /**
   * The last CHANGE_LOG_LENGTH changes in a ring, the change making version v at v % length: an
   * upsert costs the same however long the log (dropping the oldest entry of an array moved the
   * whole array, on every upsert of a watch or a large scan). It grows by appending up to its
   * length: a snapshot of a few objects (one per audit event) does not allocate the whole ring.
   */
  private readonly changeLog: (Change | undefined)[] = [];
  private currentVersion = 0;

  static of(objects: readonly ScannedObject[], podLabelsOf: PodLabelsOf): Snapshot {
    const snapshot = new Snapshot(podLabelsOf);
    for (const scanned of objects) snapshot.upsert(scanned);
    return snapshot;
  }

  get version(): number {
    return this.currentVersion;
  }

  /** Objects stored (an object stored twice, a file's in two slots, counts once). */
  get size(): number {
    return this.live ? this.live.size : this.namedCopies + this.unnamedCopies.size;
  }

  /**
   * Stores `scanned`; returns the copy it replaced (same identity and slot), if any. `identity`,
   * when given, must be `identityOf(scanned.object)`: a source that already built it (a cluster
   * listing keys its lists' holders by it) saves building it again per object.
   */
  upsert(scanned: ScannedObject, identity: string | undefined = identityOf(scanned.object)): ScannedObject | undefined {
    const named = identity !== undefined;
    identity ??= `\u0000unnamed\u0000${++unnamed}`;
    const slot = slotOf(scanned);
    const previous = copyIn(this.entries.get(identity), slot);
    // Judged before the change (its queries see this version); nothing to judge, nothing allocated.
    const kept = this.memos.size === 0 ? NO_ANALYSES : this.unaffected(previous ? [previous, scanned] : [scanned], previous);
    // From a replacement, a file's copy, or a change to a version that was queried, the index is
    // kept up to date: see `goLive`. (Queried then changed is a live snapshot, a watch or a
    // webhook: a FrozenIndex per change would cost the whole snapshot each time.)
    if (!this.live && (previous !== undefined || slot !== '' || this.frozen !== undefined)) this.goLive();
    putCopy(this.entries, identity, slot, scanned);
    if (this.live) this.live.add(entryKey(identity, slot), scanned, previous);
    else if (named) this.namedCopies++;
    else this.unnamedCopies.set(scanned.object, scanned);
    this.advance(kept, previous, scanned);
    return previous;
  }

  /** Removes every stored copy of the object with this identity. */
  delete(object: K8sObject): void {
    const identity = identityOf(object);
    const copies = identity === undefined ? undefined : this.entries.get(identity);
    if (!copies || identity === undefined) return;
    if (!this.live) this.goLive();
    const live = this.live as LiveIndex;
    this.entries.delete(identity);
    for (const [slot, scanned] of slotsIn(copies)) live.remove(entryKey(identity, slot), scanned);
    // The last object of a namespace may have gone, which no recorded read shows; rebuild everything.
    this.advance([], undefined, undefined, copiesIn(copies));
  }

  /** Every stored copy of the object with this identity. */
  copiesOf(object: K8sObject): readonly ScannedObject[] {
    const identity = identityOf(object);
    const copies = identity === undefined ? undefined : this.entries.get(identity);
    return copies ? copiesIn(copies) : [];
  }

  /**
   * Every stored copy under this identity (`identityOf`), for a holder that kept only the identity.
   * Not parsed back into kind, namespace and name: a name may hold the separator (a hostile server's).
   */
  copiesWithIdentity(identity: string): readonly ScannedObject[] {
    const copies = this.entries.get(identity);
    return copies ? copiesIn(copies) : [];
  }

  /**
   * A view of this snapshot with `scanned` laid over it: it replaces every stored copy of its
   * identity. The snapshot itself does not change; analyses unaffected by the object are shared.
   */
  overlay(scanned: ScannedObject): Inventory {
    return new OverlayInventory(this, this.copiesOf(scanned.object), scanned, this.podLabelsOf);
  }

  /**
   * A view of this snapshot without any copy of the object with this identity: what deleting it
   * would leave. The snapshot itself does not change.
   */
  without(object: K8sObject): Inventory {
    return new OverlayInventory(this, this.copiesOf(object), undefined, this.podLabelsOf);
  }

  /** The label index, for overlays built on this snapshot. */
  podLabelCandidates(namespace: string, key: string, value: string): readonly ScannedObject[] {
    return this.withPodLabel(namespace, key, value);
  }

  get all(): readonly ScannedObject[] {
    // One array, built in place: spreading the entries and flat-mapping them made two arrays of the
    // cluster's size and one small array per object, per version asked (large-object garbage).
    if (this.allList === undefined) {
      const all: ScannedObject[] = [];
      for (const held of this.entries.values()) {
        if (held instanceof Map) for (const scanned of held.values()) all.push(scanned);
        else all.push(held);
      }
      this.allList = all;
    }
    return this.allList;
  }

  ofKind(kind: string, apiGroup?: string): readonly ScannedObject[] {
    return this.list(`k\u0000${kind}\u0000${apiGroup ?? '*'}`, () => this.index().ofKind(kind).filter((s) => groupMatches(s, apiGroup)));
  }

  get(kind: string, namespace: string | undefined, name: string, apiGroup?: string): ScannedObject | undefined {
    return this.index().get(kind, namespace ?? '', name, apiGroup);
  }

  inNamespace(namespace: string | undefined): readonly ScannedObject[] {
    return this.list(`n\u0000${namespace ?? ''}`, () => this.index().inNamespace(namespace ?? ''));
  }

  namespaces(): readonly string[] {
    // Kept per version: change tests ask for it once per dependent object they judge.
    this.namespaceList ??= this.index().namespaces().filter((n) => n !== '');
    return this.namespaceList;
  }

  originOf(object: K8sObject): ScannedObject | undefined {
    if (this.live) return this.live.originOf(object);
    // No index needed: the copy stored under the object's identity, if it is this object.
    const identity = identityOf(object);
    const held = identity === undefined ? undefined : this.entries.get(identity);
    // Only empty slots without a live index: one copy, held as itself.
    if (held !== undefined && !(held instanceof Map) && held.object === object) return held;
    return this.unnamedCopies.get(object);
  }

  derived<T>(analysis: DerivedAnalysis<T>): T {
    const memo = this.memos.get(analysis as DerivedAnalysis<unknown>);
    if (memo && memo.version === this.currentVersion) return memo.value as T;
    const recorder = new DependencyRecorder(this, analysis.relevant);
    const value = analysis.build(recorder.inventory);
    this.memos.set(analysis as DerivedAnalysis<unknown>, { version: this.currentVersion, builtAt: this.currentVersion, value, dependencies: recorder.dependencies });
    return value;
  }

  /** The dependencies an analysis recorded when it was last built on this snapshot, if it is current. */
  dependenciesOf(analysis: DerivedAnalysis<unknown>): Dependencies | undefined {
    const memo = this.memos.get(analysis);
    return memo && memo.version === this.currentVersion ? memo.dependencies : undefined;
  }

  /** True when replacing or adding `changed` would alter what the analysis read. */
  affects(analysis: DerivedAnalysis<unknown>, changed: readonly ScannedObject[]): boolean {
    const dependencies = this.dependenciesOf(analysis);
    if (!dependencies) return true;
    return this.touches(dependencies, changed);
  }

  /** True when `changed` appears in a read recorded in `dependencies`, here or in an analysis it used. */
  touches(dependencies: Dependencies, changed: readonly ScannedObject[]): boolean {
    return isAffected(dependencies, changed, this, this.podLabelsOf, (nested) => this.affects(nested, changed));
  }

  /**
   * A test of recorded reads (a rule's on one object) against laying `changed` over this version;
   * whether a derived analysis read is affected is judged once per test.
   */
  changeTest(changed: readonly ScannedObject[]): (dependencies: Dependencies) => boolean {
    const nested = new Map<DerivedAnalysis<unknown>, boolean>();
    const nestedAffected = (analysis: DerivedAnalysis<unknown>): boolean => {
      let affected = nested.get(analysis);
      if (affected === undefined) {
        affected = this.affects(analysis, changed);
        nested.set(analysis, affected);
      }
      return affected;
    };
    return (dependencies) => isAffected(dependencies, changed, this, this.podLabelsOf, nestedAffected);
  }
  /**
   * Every copy removed and added since `version`, for caches kept per object across versions, or
   * undefined when the log no longer reaches that far (rebuild the cache whole).
   */
  changesSince(version: number): { removed: ScannedObject[]; added: ScannedObject[] } | undefined {
    if (version === this.currentVersion) return { removed: [], added: [] };
    // The ring holds versions currentVersion - CHANGE_LOG_LENGTH + 1 to currentVersion.
    if (version < 0 || version > this.currentVersion || this.currentVersion - version > CHANGE_LOG_LENGTH) return undefined;
    const removed: ScannedObject[] = [];
    const added: ScannedObject[] = [];
    for (let v = version + 1; v <= this.currentVersion; v++) {
      const change = this.changeLog[v % CHANGE_LOG_LENGTH] as Change;
      if (Array.isArray(change.removed)) removed.push(...(change.removed as readonly ScannedObject[]));
      else if (change.removed) removed.push(change.removed as ScannedObject);
      if (change.added) added.push(change.added);
    }
    return { removed, added };
  }

  /**
   * A test of reads recorded at `version` against every change since. Conservative where a read
   * cannot be judged from the objects alone: the namespace list, and analyses rebuilt since.
   */
  changeTestSince(changed: readonly ScannedObject[], version: number): (dependencies: Dependencies) => boolean {
    const nestedAffected = (analysis: DerivedAnalysis<unknown>): boolean => {
      // Brought up to date first: a memo carried through every change since keeps its build version.
      this.derived(analysis);
      return (this.memos.get(analysis) as Memo).builtAt > version;
    };
    return (dependencies) => dependencies.namespaceList || isAffected(dependencies, changed, this, this.podLabelsOf, nestedAffected);
  }


  private list(key: string, build: () => readonly ScannedObject[]): readonly ScannedObject[] {
    let list = this.lists.get(key);
    if (!list) {
      list = build();
      this.lists.set(key, list);
    }
    return list;
  }

  protected withPodLabel(namespace: string, key: string, value: string): readonly ScannedObject[] {
    let index = this.podLabelIndex.get(namespace);
    if (!index) {
      index = new Map();
      for (const scanned of this.inNamespace(namespace)) {
        for (const labels of this.podLabelsOf(scanned.object)) {
          for (const [k, v] of Object.entries(labels)) {
            const term = `${k}=${String(v)}`;
            const list = index.get(term);
            if (!list) index.set(term, [scanned]);
            else if (list[list.length - 1] !== scanned) list.push(scanned);
          }
        }
      }
      this.podLabelIndex.set(namespace, index);
    }
    return index.get(`${key}=${value}`) ?? [];
  }

  /** The live index, or this version's FrozenIndex (built on first use). */
  private index(): SnapshotIndex {
    if (this.live) return this.live;
    this.frozen ??= new FrozenIndex(this.all);
    return this.frozen;
  }

  /**
   * Builds the live index from the entries. Until now the snapshot has only grown, by copies with
   * the empty slot, each under an identity of its own: a replacement, a delete or a file's copy
   * makes the index live first. So the entries hold every copy ever stored, in the order stored,
   * and this is the index keeping it up to date all along would have built. (Not so otherwise: a
   * namespace emptied and filled again keeps its first place in a live index; a file's second copy
   * of an identity comes after the copies stored between; a copy replaced under an identity that
   * two names share, `a`/`b\u0000c` and `a\u0000b`/`c`, stays under its name in `byName`.)
   */
  private goLive(): void {
    const live = new LiveIndex();
    for (const [identity, held] of this.entries) {
      if (held instanceof Map) for (const [slot, scanned] of held) live.add(entryKey(identity, slot), scanned, undefined);
      else live.add(entryKey(identity, slotOf(held)), held, undefined);
    }
    this.live = live;
    this.frozen = undefined;
    this.unnamedCopies = new Map();
    this.namedCopies = 0;
  }

  /**
   * The analyses that read nothing `changed` touches, judged before the change is made, and those
   * an update (`replaced` by the last of `changed`) cannot change that carry the new copy over
   * (`DerivedAnalysis.carry`): a watch's Pod churn would otherwise rebuild the exposure analysis
   * after every update, and re-judge every Service read through it.
   */
  private unaffected(changed: readonly ScannedObject[], replaced: ScannedObject | undefined): DerivedAnalysis<unknown>[] {
    if (this.memos.size === 0) return [];
    const after = changed[changed.length - 1] as ScannedObject;
    const kept: DerivedAnalysis<unknown>[] = [];
    const judged = new Set<DerivedAnalysis<unknown>>();
    const judge = (analysis: DerivedAnalysis<unknown>): void => {
      judged.add(analysis);
      if (!this.affects(analysis, changed)) kept.push(analysis);
      else if (replaced && analysis.carry && (this.memos.get(analysis) as Memo).version === this.currentVersion && analysis.carry((this.memos.get(analysis) as Memo).value, replaced, after, this)) kept.push(analysis);
    };
    for (const analysis of [...this.memos.keys()]) judge(analysis);
    // Built while a carry was decided (an analysis the decision reads): judged like the rest.
    for (const analysis of [...this.memos.keys()]) if (!judged.has(analysis)) judge(analysis);
    return kept;
  }

  /**
   * Moves to a new version, carrying over the analyses `kept`: `replaced` (or `removed`, a delete's
   * copies) taken out, `added` put in.
   */
  private advance(kept: readonly DerivedAnalysis<unknown>[], replaced: ScannedObject | undefined, added: ScannedObject | undefined, removed?: readonly ScannedObject[]): void {
    this.currentVersion++;
    // One record per slot of the ring, reused: a listing makes a version per object, and three
    // objects per version (the record and two arrays) were garbage the scavenges had to go through.
    const at = this.currentVersion % CHANGE_LOG_LENGTH;
    const record = this.changeLog[at];
    const change = removed ?? replaced;
    if (record) {
      record.removed = change;
      record.added = added;
    } else this.changeLog[at] = { removed: change, added };
    // Map.clear allocates a fresh table even when the map is empty, and a listing upserts with no
    // query in between: two tables per object of a cluster scan, for nothing.
    if (this.lists.size > 0) this.lists.clear();
    this.namespaceList = undefined;
    if (this.podLabelIndex.size > 0) this.podLabelIndex.clear();
    this.allList = undefined;
    this.frozen = undefined;
    for (const analysis of kept) (this.memos.get(analysis) as Memo).version = this.currentVersion;
  }
}

/**
 * A snapshot with one object laid over it (or, with none added, one identity taken out); what it
 * does not change is answered by the snapshot.
 */
class OverlayInventory extends InventoryQueries {
  private readonly replacedSet: ReadonlySet<ScannedObject>;
  private readonly lists = new Map<string, readonly ScannedObject[]>();
  private readonly memos = new Map<DerivedAnalysis<unknown>, unknown>();
  private allList: readonly ScannedObject[] | undefined;
  private readonly changed: readonly ScannedObject[];

  constructor(
    private readonly base: Snapshot,
    replaced: readonly ScannedObject[],
    private readonly added: ScannedObject | undefined,
    podLabelsOf: PodLabelsOf,
  ) {
    super(podLabelsOf);
    this.replacedSet = new Set(replaced);
    this.changed = added ? [...replaced, added] : replaced;
  }

  get all(): readonly ScannedObject[] {
    this.allList ??= this.swap(this.base.all, () => true);
    return this.allList;
  }

  ofKind(kind: string, apiGroup?: string): readonly ScannedObject[] {
    if (!this.changed.some((s) => s.object.kind === kind)) return this.base.ofKind(kind, apiGroup);
    return this.list(`k\u0000${kind}\u0000${apiGroup ?? '*'}`, () =>
      this.swap(this.base.ofKind(kind, apiGroup), (s) => s.object.kind === kind && groupMatches(s, apiGroup)),
    );
  }

  get(kind: string, namespace: string | undefined, name: string, apiGroup?: string): ScannedObject | undefined {
    const object = this.added?.object;
    const addedMatches = this.added !== undefined && object !== undefined && object.kind === kind && namespaceOf(object) === namespace && nameOf(object) === name && groupMatches(this.added, apiGroup);
    const found = this.base.get(kind, namespace, name, apiGroup);
    const named = (s: ScannedObject): boolean => namespaceOf(s.object) === namespace && nameOf(s.object) === name;
    if (!addedMatches) return !found || !this.replacedSet.has(found) ? found : this.ofKind(kind, apiGroup).find(named);
    // With a group, a stored match is a copy the added object replaces. Without one, objects of
    // other groups may share the name: answer with the first in order, as the snapshot does.
    if (!found || apiGroup !== undefined) return this.added as ScannedObject;
    return this.ofKind(kind).find(named);
  }

  inNamespace(namespace: string | undefined): readonly ScannedObject[] {
    if (!this.changed.some((s) => (namespaceOf(s.object) ?? '') === (namespace ?? ''))) return this.base.inNamespace(namespace);
    return this.list(`n\u0000${namespace ?? ''}`, () =>
      this.swap(this.base.inNamespace(namespace), (s) => (namespaceOf(s.object) ?? '') === (namespace ?? '')),
    );
  }

  namespaces(): readonly string[] {
    const namespace = this.added && namespaceOf(this.added.object);
    const names = this.base.namespaces();
    return namespace && !names.includes(namespace) ? [...names, namespace] : names;
  }

  originOf(object: K8sObject): ScannedObject | undefined {
    if (object === this.added?.object) return this.added;
    const found = this.base.originOf(object);
    return found && this.replacedSet.has(found) ? undefined : found;
  }

  derived<T>(analysis: DerivedAnalysis<T>): T {
    const key = analysis as DerivedAnalysis<unknown>;
    if (this.memos.has(key)) return this.memos.get(key) as T;
    // Build the snapshot's own copy first: its recorded reads tell whether this overlay changes it.
    const shared = this.base.derived(analysis);
    const value = this.base.affects(key, this.changed) ? analysis.build(this) : shared;
    this.memos.set(key, value);
    return value;
  }

  protected withPodLabel(namespace: string, key: string, value: string): readonly ScannedObject[] {
    const base = this.base.podLabelCandidates(namespace, key, value);
    const touched = this.changed.some((s) => (namespaceOf(s.object) ?? '') === namespace);
    if (!touched) return base;
    const carries = (s: ScannedObject): boolean =>
      (namespaceOf(s.object) ?? '') === namespace && this.podLabelsOf(s.object).some((labels) => key in labels && String(labels[key]) === value);
    return this.swap(base, carries);
  }

  /**
   * The base list with the added object in place of the first replaced copy (where an upsert puts
   * it), the other copies dropped; appended when it replaces nothing here.
   */
  private swap(list: readonly ScannedObject[], belongs: (s: ScannedObject) => boolean): readonly ScannedObject[] {
    const added = this.added;
    let placed = added === undefined || !belongs(added);
    if (this.replacedSet.size === 0) return placed || !added ? [...list] : [...list, added];
    const kept: ScannedObject[] = [];
    for (const scanned of list) {
      if (!this.replacedSet.has(scanned)) kept.push(scanned);
      else if (!placed && added) {
        kept.push(added);
        placed = true;
      }
    }
    if (!placed && added) kept.push(added);
    return kept;
  }

  private list(key: string, build: () => readonly ScannedObject[]): readonly ScannedObject[] {
    let list = this.lists.get(key);
    if (!list) {
      list = build();
      this.lists.set(key, list);
    }
    return list;
  }
}

/**
 * The key of one stored copy in the per-kind and per-namespace indexes: its identity and slot. A
 * cluster, admission or audit copy has the empty slot, and its identity is the key as it is (no
 * second string per object); a file copy's slot is never empty (it holds separators), so the two
 * forms do not meet.
 */
const entryKey = (identity: string, slot: string): string => (slot === '' ? identity : flatKey(`${identity}\u0000${slot}`));
