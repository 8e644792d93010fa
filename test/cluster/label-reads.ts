// Which Pod label keys rules read by key on objects other than the one they judge, found by
// running them over objects whose pod label maps record each read. The watch skips re-judging
// readers when a Pod's labels change only in keys nobody reads (`readersCanSeeUpdate`); a rule
// that starts reading a new label by key must show up here.
import { runRules } from '../../src/core/engine.js';
import type { Rule } from '../../src/core/rule.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { buildInventory, podLabelsOf } from '../../src/k8s/inventory.js';
import { podSpecsOf } from '../../src/k8s/workloads.js';
import { readersCanSeeUpdate } from '../../src/exposure/reader-visible-change.js';

/** Property names JavaScript itself asks any object for (JSON.stringify, promises, coercion). */
const LANGUAGE_KEYS = new Set(['toJSON', 'then', 'constructor', 'valueOf', 'toString', '__proto__']);

interface Recorder {
  /** The object being judged: reads of its own labels are its own business. */
  judging: K8sObject | undefined;
  readonly reads: Map<K8sObject, Set<string>>;
}

/**
 * A label map that records each key read by key. Enumerations (Object.entries, Object.values,
 * spreads, JSON.stringify) ask for each own key's descriptor before reading it; such a read is
 * a read of every label, not of one key, and is not recorded (what the exposure rules do with
 * all labels, matching the target catalogue, is covered by `targetLabelKeys`).
 */
function recording(labels: Record<string, unknown>, owner: K8sObject, recorder: Recorder): Record<string, unknown> {
  let owed = new Map<string, number>();
  const record = (key: string): void => {
    if (recorder.judging === owner || LANGUAGE_KEYS.has(key)) return;
    let keys = recorder.reads.get(owner);
    if (!keys) recorder.reads.set(owner, (keys = new Set()));
    keys.add(key);
  };
  return new Proxy(labels, {
    ownKeys(target) {
      owed = new Map();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string' && Object.hasOwn(target, key)) owed.set(key, (owed.get(key) ?? 0) + 1);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    has(target, key) {
      if (typeof key === 'string') record(key);
      return Reflect.has(target, key);
    },
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const count = owed.get(key) ?? 0;
        if (count > 0) owed.set(key, count - 1);
        else record(key);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** Replaces the label maps readers see (the object's own, each pod template's) with recording ones. */
function instrument(object: K8sObject, recorder: Recorder): void {
  const holders = [object.metadata, ...(object.kind === 'Pod' ? [] : podSpecsOf(object).map((pod) => pod.metadata))];
  for (const metadata of holders) {
    const labels = metadata?.labels;
    if (metadata && labels !== null && typeof labels === 'object' && !Array.isArray(labels)) (metadata as Record<string, unknown>).labels = recording(labels as Record<string, unknown>, object, recorder);
  }
}

const withoutInventoryCheck = (rule: Rule): Rule => {
  const { checkInventory: _inventory, ...rest } = rule;
  return rest;
};
const withoutObjectCheck = (rule: Rule): Rule => {
  const { check: _check, ...rest } = rule;
  return rest;
};

export interface UnlistedRead {
  readonly object: string;
  readonly key: string;
}

/**
 * Runs `rules` over `objects` as a full evaluation does (each object judged on the inventory of
 * all, then the whole-inventory parts) and returns the label keys read by key on a Pod-carrying
 * object other than the one judged, for which `readersCanSeeUpdate` says a change of that label's
 * value is invisible to readers: the keys the watch's list is missing.
 */
export function unlistedLabelReads(objects: readonly K8sObject[], rules: readonly Rule[]): { unlisted: UnlistedRead[]; recorded: number } {
  const recorder: Recorder = { judging: undefined, reads: new Map() };
  const clones = objects.map((object) => structuredClone(object));
  // The plain copy of each instrumented object (a proxy cannot be cloned), for the check below.
  const plain = new Map<K8sObject, K8sObject>();
  for (const object of clones) {
    // Asked of a copy: podLabelsOf caches per object, and the cache must hold the recording maps.
    if (podLabelsOf(structuredClone(object)).length === 0) continue;
    plain.set(object, structuredClone(object));
    instrument(object, recorder);
  }
  const scanned: ScannedObject[] = clones.map((object) => ({ object, origin: { kind: 'cluster', context: 'label-reads' } }));
  const inventory = buildInventory(scanned);
  const perObject = rules.filter((rule) => rule.check).map(withoutInventoryCheck);
  const perInventory = rules.filter((rule) => rule.checkInventory).map(withoutObjectCheck);
  for (const one of scanned) {
    recorder.judging = one.object;
    runRules([one], { rules: perObject, inventory, podLabelsOf });
  }
  recorder.judging = undefined;
  if (scanned.length > 0) runRules(scanned.slice(0, 1), { rules: perInventory, inventory, podLabelsOf });
  const unlisted: UnlistedRead[] = [];
  let recorded = 0;
  for (const [owner, keys] of recorder.reads) {
    for (const key of keys) {
      recorded++;
      // The same object with that one label given a value no rule expects, read without the proxy.
      const before = plain.get(owner) as K8sObject;
      const after = structuredClone(before);
      const metadata = after.metadata as Record<string, unknown> | undefined;
      const plainLabels = (metadata?.labels ?? {}) as Record<string, string>;
      if (metadata) metadata.labels = { ...plainLabels, [key]: `${plainLabels[key] ?? ''}-changed` };
      if (!readersCanSeeUpdate(before, after, inventory)) unlisted.push({ object: `${owner.kind}/${owner.metadata?.namespace ?? ''}/${owner.metadata?.name ?? ''}`, key });
    }
  }
  return { unlisted, recorded };
}
