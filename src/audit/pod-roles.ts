import { asRecord, asString } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { mlWorkloadRole } from '../platforms/ml-workloads.js';
import { DeletedCollections } from './deleted-collections.js';

export type PodRole = 'pipeline' | 'notebook' | 'training' | 'ray';

const ROLES: readonly PodRole[] = ['pipeline', 'notebook', 'training', 'ray'];

/**
 * What the log's pod creates said each pod was (pipeline step, notebook, training job, Ray node),
 * so a later `exec` into it can be named. Bounded; the oldest pods go first.
 */
export class PodRoles {
  /** The role and the stamp it was recorded at, as one number (stamp × 4 + role): this runs per pod create. */
  private readonly roles = new Map<string, number>();

  constructor(
    private readonly maxPods: number,
    private readonly collections = new DeletedCollections(),
  ) {}

  record(namespace: string | undefined, name: string | undefined, pod: K8sObject): PodRole | undefined {
    const role = podRoleOf(pod);
    if (!role || !name) return role;
    const key = `${namespace ?? ''}/${name}`;
    this.roles.delete(key);
    this.roles.set(key, this.collections.next() * ROLES.length + ROLES.indexOf(role));
    if (this.roles.size > this.maxPods) {
      const oldest = this.roles.keys().next().value;
      if (oldest !== undefined) this.roles.delete(oldest);
    }
    return role;
  }

  /**
   * The role its create showed, kept through a deletecollection of pods (deleted-collections.ts):
   * a later exec into the pod succeeds only if it exists, and a pod created again is recorded anew.
   */
  roleOf(namespace: string | undefined, name: string | undefined): PodRole | undefined {
    const kept = this.roles.get(`${namespace ?? ''}/${name ?? ''}`);
    return kept === undefined ? undefined : ROLES[kept % ROLES.length];
  }

  /** The deletecollection that may have deleted the pod since its create, if any. */
  deletedBy(namespace: string | undefined, name: string | undefined): string | undefined {
    const kept = this.roles.get(`${namespace ?? ''}/${name ?? ''}`);
    return kept === undefined ? undefined : this.collections.deletedBy('', 'pods', namespace, Math.floor(kept / ROLES.length));
  }

  forget(namespace: string | undefined, name: string | undefined): void {
    this.roles.delete(`${namespace ?? ''}/${name ?? ''}`);
  }
}

/** Ray's operator labels its pods `ray.io/node-type`; the others are known by `mlWorkloadRole`. */
export function podRoleOf(pod: K8sObject): PodRole | undefined {
  const labels = asRecord(asRecord(pod.metadata)?.labels) ?? {};
  if (asString(labels['ray.io/node-type']) !== undefined || asString(labels['ray.io/cluster']) !== undefined) return 'ray';
  return mlWorkloadRole(pod);
}
