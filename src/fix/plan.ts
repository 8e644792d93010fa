import { fileOriginOf, type Finding, type ResourceRef, type ScannedObject } from '../core/types.js';
import { refOf } from '../core/object.js';
import { fixerFor } from './registry.js';
import type { Fixer, FixOptions, FixPlan } from './types.js';

/** Edits bound to the scanned object (and so the file and document) they change. */
export interface EditUnit {
  readonly target: ScannedObject;
  readonly edits: FixPlan['edits'];
}

export interface PlannedFix {
  readonly finding: Finding;
  readonly target: ScannedObject;
  readonly fixer: Fixer;
  readonly plan: FixPlan;
  /** The finding's own object first, then related objects. */
  readonly units: readonly EditUnit[];
}

export interface UnfixableFinding {
  readonly finding: Finding;
  readonly reason: string;
}

export interface FixPlanSet {
  readonly fixes: PlannedFix[];
  readonly unfixable: UnfixableFinding[];
}

function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return a.kind === b.kind && a.name === b.name && a.namespace === b.namespace && a.apiVersion === b.apiVersion;
}

/** The scanned object a finding is about: same resource, same file, the document holding its line. */
function findObject(objects: readonly ScannedObject[], kind: string, namespace: string | undefined, name: string): ScannedObject | undefined {
  return objects.find((o) => o.object.kind === kind && o.object.metadata?.name === name && o.object.metadata?.namespace === namespace);
}

export function targetOf(finding: Finding, objects: readonly ScannedObject[]): ScannedObject | undefined {
  const location = finding.location;
  const candidates = objects.filter(
    (o) => sameRef(refOf(o.object), finding.resource) && (location === undefined || fileOriginOf(o.origin)?.file === location.file),
  );
  if (candidates.length <= 1 || location === undefined) return candidates[0];
  const lineOf = (o: ScannedObject): number => fileOriginOf(o.origin)?.line ?? 0;
  const before = candidates.filter((o) => lineOf(o) <= location.line);
  return before.sort((a, b) => lineOf(b) - lineOf(a))[0] ?? candidates[0];
}

/** Asks each finding's fixer for a patch; findings without one are listed with the reason. */
export function planFixes(findings: readonly Finding[], objects: readonly ScannedObject[], options: FixOptions): FixPlanSet {
  const fixes: PlannedFix[] = [];
  const unfixable: UnfixableFinding[] = [];
  for (const finding of findings) {
    if (finding.suppression) continue;
    const fixer = fixerFor(finding.ruleId);
    if (!fixer) {
      unfixable.push({ finding, reason: 'no automatic fix for this rule' });
      continue;
    }
    const target = targetOf(finding, objects);
    if (!target) {
      unfixable.push({ finding, reason: 'the object could not be found in the input' });
      continue;
    }
    const lookup = (kind: string, namespace: string | undefined, name: string) => findObject(objects, kind, namespace, name)?.object;
    const planned = fixer.plan({ finding, object: target.object, options, lookup });
    if (typeof planned === 'string') {
      unfixable.push({ finding, reason: planned });
      continue;
    }
    const plan = planned;
    const related = (plan?.related ?? []).map((r) => ({ target: findObject(objects, r.ref.kind, r.ref.namespace, r.ref.name), edits: r.edits }));
    if (!plan || (plan.edits.length === 0 && plan.related.length === 0 && plan.creates.length === 0) || related.some((r) => !r.target)) {
      unfixable.push({ finding, reason: 'this finding has a shape kfguard cannot patch automatically' });
      continue;
    }
    const units = [{ target, edits: plan.edits }, ...related.flatMap((r) => (r.target ? [{ target: r.target, edits: r.edits }] : []))];
    fixes.push({ finding, target, fixer, plan, units });
  }
  return { fixes, unfixable };
}
