import type { Inventory, Labels } from '../core/inventory.js';
import { asRecord, labelsOf, type JsonRecord } from '../core/object.js';
import { Snapshot } from '../core/snapshot.js';
import type { K8sObject, ScannedObject } from '../core/types.js';
import { podSpecsOf } from './workloads.js';

export type { Inventory } from '../core/inventory.js';

const podLabelCache = new WeakMap<K8sObject, readonly Labels[]>();

/** Labels a workload's pods carry: the pod template's labels, or the object's own for Pods. */
export function podLabelsOf(object: K8sObject): readonly Labels[] {
  let labels = podLabelCache.get(object);
  if (labels) return labels;
  if (object.kind === 'Pod') {
    labels = [labelsOf(object)];
  } else {
    const found: Labels[] = [];
    for (const pod of podSpecsOf(object)) {
      const podLabels = asRecord(pod.metadata?.labels) as JsonRecord | undefined;
      if (podLabels) found.push(podLabels as Labels);
    }
    labels = found;
  }
  podLabelCache.set(object, labels);
  return labels;
}

/** An empty snapshot that knows Kubernetes workload shapes. */
export function newSnapshot(): Snapshot {
  return new Snapshot(podLabelsOf);
}

/** A snapshot of a fixed set of objects (a manifest scan). */
export function buildInventory(objects: readonly ScannedObject[]): Snapshot & Inventory {
  return Snapshot.of(objects, podLabelsOf);
}
