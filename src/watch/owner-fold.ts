import type { Inventory } from '../core/inventory.js';
import { namespaceOf, ownerReferencesOf } from '../core/object.js';
import type { Finding, K8sObject, ResourceRef } from '../core/types.js';
import { resourceKeyOf } from './finding-tracker.js';

/** How far up a chain of controllers to look: Pod → Job → CronJob, Pod → ReplicaSet → Deployment. */
const MAX_OWNER_DEPTH = 3;

export interface FoldResult {
  readonly kept: Finding[];
  /** Fingerprint of each folded finding → the owner whose finding stands for it. */
  readonly folded: Map<string, ResourceRef>;
}

/**
 * In a live cluster a miner Deployment's finding shows again on each of its Pods (and a CronJob's
 * on its Jobs and their Pods). A finding on an object is folded into its controller's when the
 * controller, resolved through `ownerReferences` in the snapshot, has a finding of the same rule,
 * severity and evidence. `ownerReferences` is written by whoever creates the object, so it is
 * trusted for nothing else: a Pod that claims an owner without that same finding is reported as
 * itself, and nothing distinct is ever hidden.
 *
 * ReplicaSets are not listed (catalog.ts), so a Pod's ReplicaSet owner is resolved to the
 * Deployment it belongs to by name: `<deployment>-<pod-template-hash>`.
 */
export function foldOwnedFindings(findings: readonly Finding[], inventory: Inventory, findingsOn: (resourceKey: string) => readonly Finding[]): FoldResult {
  const kept: Finding[] = [];
  const folded = new Map<string, ResourceRef>();
  for (const finding of findings) {
    const owner = standingOwner(finding, inventory, findingsOn);
    if (owner) folded.set(finding.fingerprint, owner);
    else kept.push(finding);
  }
  return { kept, folded };
}

function standingOwner(finding: Finding, inventory: Inventory, findingsOn: (resourceKey: string) => readonly Finding[]): ResourceRef | undefined {
  let current = inventory.get(finding.resource.kind, finding.resource.namespace, finding.resource.name);
  for (let depth = 0; current && depth < MAX_OWNER_DEPTH; depth++) {
    const owner = controllerOf(current.object, inventory);
    if (!owner) return undefined;
    const ref: ResourceRef = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata?.name ?? '', ...(owner.metadata?.namespace ? { namespace: owner.metadata.namespace } : {}) };
    if (findingsOn(resourceKeyOf(ref)).some((f) => sameProblem(f, finding))) return ref;
    current = inventory.get(owner.kind, owner.metadata?.namespace, owner.metadata?.name ?? '');
  }
  return undefined;
}

function sameProblem(a: Finding, b: Finding): boolean {
  return a.ruleId === b.ruleId && a.severity === b.severity && !a.suppression && [...a.evidence].sort().join('\u0000') === [...b.evidence].sort().join('\u0000');
}

/** The object's controller as the snapshot holds it, if any. */
function controllerOf(object: K8sObject, inventory: Inventory): K8sObject | undefined {
  const references = ownerReferencesOf(object);
  const reference = references.find((r) => r.controller === true) ?? references[0];
  if (!reference?.kind || !reference.name) return undefined;
  const namespace = namespaceOf(object);
  const direct = inventory.get(reference.kind, namespace, reference.name)?.object;
  if (direct) return direct;
  if (reference.kind !== 'ReplicaSet') return undefined;
  const dash = reference.name.lastIndexOf('-');
  if (dash <= 0) return undefined;
  return inventory.get('Deployment', namespace, reference.name.slice(0, dash))?.object;
}
