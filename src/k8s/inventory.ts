import { apiGroupOf, asRecord, labelsOf, namespaceOf, nameOf, type JsonRecord } from '../core/object.js';
import type { K8sObject, ScannedObject } from '../core/types.js';
import { matchesLabelSelector, matchesMapSelector } from './selectors.js';
import { podSpecsOf } from './workloads.js';

/** Read-only index of everything scanned, for rules that join objects (Service → Deployment …). */
export interface Inventory {
  readonly all: readonly ScannedObject[];
  ofKind(kind: string, apiGroup?: string): readonly ScannedObject[];
  get(kind: string, namespace: string | undefined, name: string, apiGroup?: string): ScannedObject | undefined;
  inNamespace(namespace: string | undefined): readonly ScannedObject[];
  namespaces(): readonly string[];
  /** Objects whose pod template labels match `selector` in `namespace` (Service semantics). */
  selectedByService(service: K8sObject): readonly ScannedObject[];
  /** Services in the object's namespace whose selector matches one of its pod templates. */
  servicesSelecting(object: K8sObject): readonly ScannedObject[];
  /** Objects in `namespace` whose labels match a metav1.LabelSelector. */
  matchingLabelSelector(namespace: string | undefined, selector: unknown, kinds?: readonly string[]): readonly ScannedObject[];
  /** The ScannedObject wrapping an object, for rules that hold only the object. */
  originOf(object: K8sObject): ScannedObject | undefined;
}

/** Labels a workload's pods carry: the pod template's labels, or the object's own for Pods. */
export function podLabelsOf(object: K8sObject): readonly Readonly<Record<string, string>>[] {
  if (object.kind === 'Pod') return [labelsOf(object)];
  const labels: Readonly<Record<string, string>>[] = [];
  for (const pod of podSpecsOf(object)) {
    const podLabels = asRecord(pod.metadata?.labels) as JsonRecord | undefined;
    if (podLabels) labels.push(podLabels as Readonly<Record<string, string>>);
  }
  return labels;
}

const key = (kind: string, namespace: string | undefined, name: string): string => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

export function buildInventory(objects: readonly ScannedObject[]): Inventory {
  const byKind = new Map<string, ScannedObject[]>();
  const byKey = new Map<string, ScannedObject[]>();
  const byNamespace = new Map<string, ScannedObject[]>();
  const byObject = new Map<K8sObject, ScannedObject>();
  for (const scanned of objects) {
    const { object } = scanned;
    push(byKind, object.kind, scanned);
    push(byKey, key(object.kind, namespaceOf(object), nameOf(object)), scanned);
    push(byNamespace, namespaceOf(object) ?? '', scanned);
    byObject.set(object, scanned);
  }
  const groupMatches = (scanned: ScannedObject, apiGroup: string | undefined): boolean =>
    apiGroup === undefined || apiGroupOf(scanned.object.apiVersion) === apiGroup;
  const podLabelCache = new WeakMap<K8sObject, readonly Readonly<Record<string, string>>[]>();
  const podLabels = (object: K8sObject): readonly Readonly<Record<string, string>>[] => {
    let labels = podLabelCache.get(object);
    if (!labels) {
      labels = podLabelsOf(object);
      podLabelCache.set(object, labels);
    }
    return labels;
  };

  const inventory: Inventory = {
    all: objects,
    ofKind: (kind, apiGroup) => (byKind.get(kind) ?? []).filter((s) => groupMatches(s, apiGroup)),
    get: (kind, namespace, name, apiGroup) =>
      (byKey.get(key(kind, namespace, name)) ?? []).find((s) => groupMatches(s, apiGroup)),
    inNamespace: (namespace) => byNamespace.get(namespace ?? '') ?? [],
    namespaces: () => [...byNamespace.keys()].filter((n) => n !== ''),
    selectedByService(service) {
      const spec = asRecord(service.spec);
      const selector = asRecord(spec?.selector) as Readonly<Record<string, string>> | undefined;
      if (!selector) return [];
      return inventory
        .inNamespace(namespaceOf(service))
        .filter((s) => s.object !== service && podLabels(s.object).some((labels) => matchesMapSelector(selector, labels)));
    },
    servicesSelecting(object) {
      const labelSets = podLabels(object);
      if (labelSets.length === 0) return [];
      return inventory.ofKind('Service', '').filter((s) => {
        if (namespaceOf(s.object) !== namespaceOf(object)) return false;
        const selector = asRecord(asRecord(s.object.spec)?.selector) as Readonly<Record<string, string>> | undefined;
        return labelSets.some((labels) => matchesMapSelector(selector, labels));
      });
    },
    matchingLabelSelector(namespace, selector, kinds) {
      return inventory
        .inNamespace(namespace)
        .filter((s) => (!kinds || kinds.includes(s.object.kind)) && matchesLabelSelector(selector, labelsOf(s.object)));
    },
    originOf: (object) => byObject.get(object),
  };
  return inventory;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
