import { asArray, asRecord, asString } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { shippedList } from '../data/list-file.js';
import type { AuditEvent } from './event.js';
import { podRoleOf } from './pod-roles.js';

interface OwnerEntry {
  /** Kind of the controller ownerReference, or `*` for any (and none). */
  readonly owner: string;
  readonly scheduled: boolean;
  /** Kind of the object created, or `*`. */
  readonly child: string;
  readonly creator: RegExp;
}

let entries: readonly OwnerEntry[] | undefined;

function shippedEntries(): readonly OwnerEntry[] {
  entries ??= shippedList('scheduled-run-owners').map((entry) => {
    const owner = asString(entry.fields.owner);
    const child = asString(entry.fields.child);
    const creator = asString(entry.fields.creator);
    if (!owner || !child || !creator) throw new Error(`${entry.where}: needs "owner", "child" and "creator"`);
    return { owner, child, scheduled: entry.fields.scheduled === true, creator: new RegExp(`^(?:${creator})$`) };
  });
  return entries;
}

/**
 * What the log shows was created for a scheduled run (a KFP recurring run, an Argo CronWorkflow, a
 * CronJob), so the pods of those runs do not count toward a burst: recurring runs of many profiles
 * start in the same minute by design. An object is believed scheduled only when the controller that
 * really makes a scheduled owner's children created it (`data/lists/scheduled-run-owners.yaml`):
 * the author of a pod or workflow cannot exempt it by writing an ownerReference. Bounded; the
 * oldest owners go first, and a forgotten owner only makes its pods count again.
 */
export class ScheduledRuns {
  private readonly owners = new Set<string>();

  constructor(private readonly maxOwners: number) {}

  /** Notes a successful create; returns whether the created object belongs to a scheduled run. */
  record(event: AuditEvent, object: K8sObject): boolean {
    const scheduled = this.isScheduled(event, object);
    const name = event.objectRef.name ?? asString(asRecord(object.metadata)?.name);
    if (scheduled && name && object.kind !== 'Pod') {
      const key = keyOf(event.objectRef.namespace, object.kind, name);
      this.owners.delete(key);
      this.owners.add(key);
      if (this.owners.size > this.maxOwners) {
        const oldest = this.owners.values().next().value;
        if (oldest !== undefined) this.owners.delete(oldest);
      }
    }
    return scheduled;
  }

  /**
   * Whether `object` is a recurring run itself (a KFP ScheduledWorkflow, an Argo CronWorkflow, a
   * CronJob of pipeline or training pods): creating one is a person's or a script's act, never
   * scheduled work, and its runs will start unattended. A CronJob of anything else is not one.
   */
  isRecurringRun(object: K8sObject): boolean {
    if (!shippedEntries().some((entry) => entry.scheduled && entry.owner === object.kind)) return false;
    return object.kind === 'ScheduledWorkflow' || podRoleOf(object) !== undefined;
  }

  /** Whether `object`, created by `event`, belongs to a scheduled run. */
  isScheduled(event: AuditEvent, object: K8sObject): boolean {
    const owner = controllerOf(object);
    return shippedEntries().some((entry) => {
      if (!entry.creator.test(event.user)) return false;
      if (entry.owner === '*') return entry.child === '*' || entry.child === object.kind;
      if (entry.child !== object.kind || owner?.kind !== entry.owner) return false;
      return entry.scheduled || this.owners.has(keyOf(event.objectRef.namespace, owner.kind, owner.name));
    });
  }
}

function controllerOf(object: K8sObject): { kind: string; name: string } | undefined {
  for (const raw of asArray(asRecord(object.metadata)?.ownerReferences)) {
    const ref = asRecord(raw);
    const kind = asString(ref?.kind);
    const name = asString(ref?.name);
    if (ref?.controller === true && kind && name) return { kind, name };
  }
  return undefined;
}

const keyOf = (namespace: string | undefined, kind: string, name: string): string => `${namespace ?? ''}/${kind}/${name}`;
