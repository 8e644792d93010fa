import { readFileSync } from 'node:fs';
import { judgeObjects as runRules } from '../../src/scan.js';
import { nameOf, namespaceOf } from '../../src/core/object.js';
import type { Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import kubeflowDashboardExposed from '../../src/rules/exposure/kubeflow-dashboard-exposed.rule.js';
import mlServiceExposed from '../../src/rules/exposure/ml-service-exposed.rule.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

export const EXPOSURE_RULES = [kubeflowDashboardExposed, mlServiceExposed];

export async function load(path: string): Promise<ScannedObject[]> {
  const collected = await collectManifests({ paths: [path], cwd: REPO_ROOT, readStdin: () => Promise.resolve(Buffer.alloc(0)) });
  if (collected.errors.length > 0) throw new Error(`${path}: ${collected.errors.map((e) => e.message).join('; ')}`);
  return collected.objects;
}

export function scan(objects: readonly ScannedObject[]): Finding[] {
  const result = runRules(objects, { rules: EXPOSURE_RULES });
  if (result.ruleErrors.length > 0) throw new Error(result.ruleErrors.map((e) => e.message).join('; '));
  return result.findings;
}

const is = (object: K8sObject, kind: string, namespace: string | undefined, name: string): boolean =>
  object.kind === kind && namespaceOf(object) === namespace && nameOf(object) === name;

/** A copy of the scanned set with one object changed; the origin (and so the source text) is kept. */
export function withChanged(
  objects: readonly ScannedObject[],
  kind: string,
  namespace: string | undefined,
  name: string,
  change: (copy: Record<string, unknown> & K8sObject) => void,
): ScannedObject[] {
  let found = false;
  const changed = objects.map((scanned) => {
    if (!is(scanned.object, kind, namespace, name)) return scanned;
    found = true;
    const copy = structuredClone(scanned.object) as Record<string, unknown> & K8sObject;
    change(copy);
    return { object: copy, origin: scanned.origin };
  });
  if (!found) throw new Error(`${kind} ${namespace ?? ''}/${name} not in the scanned set`);
  return changed;
}

export function without(objects: readonly ScannedObject[], kind: string, namespace: string, names: readonly string[]): ScannedObject[] {
  const kept = objects.filter((s) => !(s.object.kind === kind && namespaceOf(s.object) === namespace && names.includes(nameOf(s.object))));
  if (kept.length !== objects.length - names.length) throw new Error(`not all of ${names.join(', ')} were in the scanned set`);
  return kept;
}

export function setServiceType(type: string): (copy: Record<string, unknown>) => void {
  return (copy) => {
    copy.spec = { ...(copy.spec as Record<string, unknown>), type };
  };
}

export function sourceLine(file: string, line: number): string {
  return readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
}

export const resourceOf = (f: Finding): string => `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`;
