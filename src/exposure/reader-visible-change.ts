import type { DerivedAnalysis, Inventory } from '../core/inventory.js';
import { asArray, isRecord, labelsOf } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { GATEWAY_NAME_LABEL } from './auth-chain.js';
import { INGRESS_GATEWAY_LABEL } from './istio-routing.js';
import { targetLabelKeys } from './targets.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { podSpecsOf, withoutBookkeeping } from '../k8s/workloads.js';

/**
 * Pod label keys read by value outside any selector, by the rules that read other objects' Pods
 * (the exposure rules: what a backend is taken for, `targetLabelKeys`; Istio's ingress gateway
 * label, `istio-routing.ts`; the Gateway API gateway's pod label, `auth-chain.ts`), taken from
 * where they are read. test/cluster/label-reads-by-value.test.ts runs every rule over its
 * fixtures and fails on a label read by key that is neither here nor in a selector.
 */
const GATEWAY_LABEL_KEYS = [INGRESS_GATEWAY_LABEL, GATEWAY_NAME_LABEL];
let contentKeys: ReadonlySet<string> | undefined;
function labelKeysReadByValue(): ReadonlySet<string> {
  contentKeys ??= new Set([...targetLabelKeys(), ...GATEWAY_LABEL_KEYS]);
  return contentKeys;
}

/** Selector depth walked at most: selectors sit a few levels down (`spec.selector.matchLabels`). */
const MAX_SELECTOR_DEPTH = 12;

/** Adds the label keys a selector-shaped value names: a map selector, `matchLabels`, `matchExpressions[].key`, `workloadSelector.labels`. */
function addSelectorKeys(value: unknown, keys: Set<string>): void {
  if (!isRecord(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string') keys.add(key);
    else if (key === 'matchLabels' || key === 'labels') addSelectorKeys(inner, keys);
    else if (key === 'matchExpressions') for (const expression of asArray(inner)) if (isRecord(expression) && typeof expression.key === 'string') keys.add(expression.key);
  }
}

function walkSelectors(node: unknown, keys: Set<string>, depth: number): void {
  if (depth > MAX_SELECTOR_DEPTH) return;
  if (Array.isArray(node)) {
    for (const item of node) walkSelectors(item, keys, depth + 1);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (/selector$/i.test(key) || key === 'matchLabels') addSelectorKeys(value, keys);
    walkSelectors(value, keys, depth + 1);
  }
}

/**
 * Every label key a selector held by an object that carries no Pods names (a Service's selector,
 * an Istio policy's `selector.matchLabels` or `workloadSelector.labels`, a NetworkPolicy's
 * `podSelector`): the selectors that rules evaluate against Pods. More than the rules evaluate
 * (every key under any `…selector`), never fewer. Rebuilt only when such an object changes, so
 * Pod churn leaves it standing.
 */
const SELECTOR_LABEL_KEYS: DerivedAnalysis<ReadonlySet<string>> = {
  name: 'selector label keys',
  relevant: (object) => podLabelsOf(object).length === 0,
  build(inventory: Inventory) {
    const keys = new Set<string>();
    for (const { object } of inventory.all) if (podLabelsOf(object).length === 0) walkSelectors(object, keys, 0);
    return keys;
  },
};

/** Metadata fields readers never see through another object: labels are compared apart, the rest is the server's bookkeeping. */
const SKIPPED_IN_METADATA = new Set(['labels', 'resourceVersion', 'generation']);

/** The metadata records of an object and of its pod templates, where `SKIPPED_IN_METADATA` applies. */
function metadataHolders(object: K8sObject): unknown[] {
  // A Pod is its own template: no walk for its pod specs on the busiest path.
  if (object.kind === 'Pod') return [object.metadata];
  return [object.metadata, ...podSpecsOf(object).map((pod) => pod.metadata)];
}

/** Past this depth two values count as different: more judging, never less. */
const MAX_COMPARE_DEPTH = 64;

/**
 * Deep equality of JSON values, leaving out `SKIPPED_IN_METADATA` in the records `skipA` and
 * `skipB` hold. Plain loops, building nothing: it runs on every Pod update of a busy cluster.
 */
function equalValues(a: unknown, b: unknown, skipA: readonly unknown[], skipB: readonly unknown[], depth: number): boolean {
  if (a === b) return true;
  if (depth > MAX_COMPARE_DEPTH || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i], b[i], skipA, skipB, depth + 1)) return false;
    return true;
  }
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  const skip = skipA.includes(a) && skipB.includes(b);
  let keys = 0;
  for (const key of Object.keys(recordA)) {
    if (skip && SKIPPED_IN_METADATA.has(key)) continue;
    keys++;
    if (!Object.hasOwn(recordB, key) || !equalValues(recordA[key], recordB[key], skipA, skipB, depth + 1)) return false;
  }
  for (const key of Object.keys(recordB)) if (!(skip && SKIPPED_IN_METADATA.has(key))) keys--;
  return keys === 0;
}

/**
 * Equal as readers see them apart from labels and bookkeeping (`withoutBookkeeping`: the status of
 * built-in workloads, managedFields).
 */
function equalApartFromLabels(before: K8sObject, after: K8sObject): boolean {
  const viewBefore = withoutBookkeeping(before);
  const viewAfter = withoutBookkeeping(after);
  // withoutBookkeeping copies metadata only to drop managedFields: its copy is skipped as the original.
  const skipBefore = [viewBefore.metadata, ...metadataHolders(before)];
  const skipAfter = [viewAfter.metadata, ...metadataHolders(after)];
  return equalValues(viewBefore, viewAfter, skipBefore, skipAfter, 0);
}

/** The label maps readers can see: a Pod's own (its own template), else the object's and each pod template's. */
function labelMapsOf(object: K8sObject): readonly Readonly<Record<string, string>>[] {
  return object.kind === 'Pod' ? [labelsOf(object)] : [labelsOf(object), ...podLabelsOf(object)];
}

/** Label keys added, removed or given another value; undefined when the pod templates themselves differ in number. */
function changedLabelKeys(before: K8sObject, after: K8sObject): string[] | undefined {
  const was = labelMapsOf(before);
  const now = labelMapsOf(after);
  if (was.length !== now.length) return undefined;
  const changed: string[] = [];
  for (let i = 0; i < was.length; i++) {
    const old = was[i] as Readonly<Record<string, string>>;
    const current = now[i] as Readonly<Record<string, string>>;
    for (const key of Object.keys(old)) if (old[key] !== current[key]) changed.push(key);
    for (const key of Object.keys(current)) if (!Object.hasOwn(old, key)) changed.push(key);
  }
  return changed;
}

/**
 * Whether an update of an object carrying Pods (a Pod, a controller) can change what another
 * object's findings read of it, comparing the copy replaced with the copy stored. The rules that
 * read other objects' Pods (the exposure rules, through a Service's selector) read their content
 * and a few labels by value; any other label only counts through a selector naming it. So a
 * change is visible when anything but labels and bookkeeping changed, or a changed label key is
 * read by value or named by a selector in the snapshot. A label churn that none of them names (a
 * `pod-template-hash` value) is not: its readers are not judged again.
 */
export function readersCanSeeUpdate(before: K8sObject, after: K8sObject, inventory: Inventory): boolean {
  const keys = changedLabelKeys(before, after);
  if (keys === undefined) return true;
  if (keys.length > 0) {
    const byValue = labelKeysReadByValue();
    if (keys.some((key) => byValue.has(key))) return true;
    const selected = inventory.derived(SELECTOR_LABEL_KEYS);
    if (keys.some((key) => selected.has(key))) return true;
  }
  return !equalApartFromLabels(before, after);
}
