import { asRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { DeletedCollections } from './deleted-collections.js';
import type { AuditObjectRef } from './event.js';

/**
 * The last state the log showed of the objects whose changes hunting judges against what they
 * were (Services, Istio auth policies, RBAC bindings, Profiles). Bounded: the oldest entry goes
 * when the cap is reached, and a later patch on it is then judged from its body alone, which its
 * finding says.
 */
export class ObjectState {
  private readonly objects = new Map<string, { readonly object: K8sObject; readonly stamp: number }>();

  constructor(
    private readonly maxObjects: number,
    private readonly collections = new DeletedCollections(),
  ) {}

  static keyOf(ref: AuditObjectRef): string {
    return `${ref.apiGroup}/${ref.resource}/${ref.namespace ?? ''}/${ref.name ?? ''}`;
  }

  /** The kept state, and the deletecollection that may have ended it since, if any (deleted-collections.ts). */
  get(ref: AuditObjectRef): { readonly object: K8sObject; readonly deletedBy?: string } | undefined {
    const kept = this.objects.get(ObjectState.keyOf(ref));
    if (!kept) return undefined;
    const deletedBy = this.collections.deletedBy(ref.apiGroup, ref.resource, ref.namespace, kept.stamp);
    return deletedBy === undefined ? { object: kept.object } : { object: kept.object, deletedBy };
  }

  set(ref: AuditObjectRef, object: K8sObject): void {
    const key = ObjectState.keyOf(ref);
    this.objects.delete(key);
    this.objects.set(key, { object: slim(object), stamp: this.collections.next() });
    if (this.objects.size > this.maxObjects) {
      const oldest = this.objects.keys().next().value;
      if (oldest !== undefined) this.objects.delete(oldest);
    }
  }

  delete(ref: AuditObjectRef): void {
    this.objects.delete(ObjectState.keyOf(ref));
  }

  get size(): number {
    return this.objects.size;
  }
}

/** What detections read of a kept object: identity, labels and spec (status and managed fields dropped). */
function slim(object: K8sObject): K8sObject {
  const metadata = asRecord(object.metadata) ?? {};
  const kept: Record<string, unknown> = { apiVersion: object.apiVersion, kind: object.kind };
  kept.metadata = Object.fromEntries(Object.entries(metadata).filter(([key]) => ['name', 'namespace', 'labels', 'annotations'].includes(key)));
  for (const key of ['spec', 'subjects', 'roleRef', 'rules']) if (object[key] !== undefined) kept[key] = object[key];
  // A copy, so the kept state does not pin the log text it was parsed from.
  return JSON.parse(JSON.stringify(kept)) as K8sObject;
}
