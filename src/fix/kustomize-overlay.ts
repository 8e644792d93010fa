import { relative } from 'node:path';
import { stringify } from 'yaml';
import { apiGroupOf, refOf } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { toJsonPatch } from './json-patch.js';
import type { EditUnit } from './plan.js';

export interface RuleEditUnit extends EditUnit {
  readonly ruleId: string;
}
import { generatedHeader, renderGenerated, type GeneratedFor } from './generated-text.js';

export interface OverlayFile {
  /** Path relative to the overlay directory. */
  readonly name: string;
  readonly content: string;
}

function fileSafe(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

function patchTarget(object: K8sObject): Record<string, string> {
  const ref = refOf(object);
  const slash = ref.apiVersion.indexOf('/');
  const target: Record<string, string> = {
    group: apiGroupOf(ref.apiVersion),
    version: slash === -1 ? ref.apiVersion : ref.apiVersion.slice(slash + 1),
    kind: ref.kind,
    name: ref.name,
  };
  if (ref.namespace !== undefined) target.namespace = ref.namespace;
  return target;
}

/**
 * A kustomize overlay that takes the original directory as its base, patches the flagged objects
 * with JSON 6902 patches and adds the generated objects, so the base stays untouched.
 */
export function kustomizeOverlay(
  sourceDir: string,
  overlayDir: string,
  units: readonly RuleEditUnit[],
  creates: readonly GeneratedFor[],
): OverlayFile[] {
  const byObject = new Map<string, RuleEditUnit[]>();
  for (const unit of units) {
    if (unit.edits.length === 0) continue;
    const key = JSON.stringify(refOf(unit.target.object));
    byObject.set(key, [...(byObject.get(key) ?? []), unit]);
  }
  const files: OverlayFile[] = [];
  const patches: { path: string; target: Record<string, string> }[] = [];
  for (const group of byObject.values()) {
    const first = group[0];
    if (!first) continue;
    const object = first.target.object;
    const ref = refOf(object);
    const name = `patches/${fileSafe([ref.kind, ref.namespace ?? '', ref.name].filter(Boolean).join('-'))}.yaml`;
    const operations = toJsonPatch(object, group.flatMap((unit) => unit.edits));
    const rules = [...new Set(group.map((unit) => unit.ruleId))].join(', ');
    files.push({ name, content: `# kfguard fix for ${rules}\n${stringify(operations, { lineWidth: 0 })}` });
    patches.push({ path: name, target: patchTarget(object) });
  }
  const resources = [relative(overlayDir, sourceDir) || '.'];
  if (creates.length > 0) {
    files.push({ name: 'kfguard-generated.yaml', content: renderGenerated(creates) });
    resources.push('kfguard-generated.yaml');
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
    ...(patches.length > 0 ? { patches } : {}),
  };
  const header = generatedHeader('Overlay written by `kfguard fix`: the base is the original directory, unchanged.');
  files.push({ name: 'kustomization.yaml', content: `${header}${stringify(kustomization, { lineWidth: 0 })}` });
  return files;
}
