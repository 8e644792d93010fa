import { asRecord, asString, labelsOf, nameOf, ownerReferencesOf } from '../../core/object.js';
import type { ScannedObject } from '../../core/types.js';
import type { DerivedAnalysis, Inventory } from '../../core/inventory.js';
import yaml from 'js-yaml';

/** A namespace the scan knows to be a Kubeflow profile namespace, with what it can see of it. */
export interface ProfileNamespace {
  readonly name: string;
  readonly profile?: ScannedObject;
  readonly namespace?: ScannedObject;
  /** Labels the namespace will carry: its own, plus the profile controller's defaults it lacks. */
  readonly labels: Readonly<Record<string, string>>;
  /** The profile controller's namespace-labels ConfigMap, when scanned. */
  readonly labelDefaults?: ScannedObject;
}

const PROFILE_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': 'kubeflow-profile',
  'pipelines.kubeflow.org/enabled': 'true',
};


function isProfileNamespace(namespace: ScannedObject): boolean {
  const labels = labelsOf(namespace.object);
  if (Object.entries(PROFILE_LABELS).some(([key, value]) => labels[key] === value)) return true;
  return ownerReferencesOf(namespace.object).some((ref) => ref.kind === 'Profile');
}

/**
 * The labels the profile controller applies to every profile namespace, read from its
 * `namespace-labels.yaml` ConfigMap key. It never overwrites a label the namespace already has,
 * and an empty value removes a label.
 */
function controllerLabels(inventory: Inventory): { labels: Record<string, string>; source?: ScannedObject } {
  for (const configMap of inventory.ofKind('ConfigMap', '')) {
    const text = asString(asRecord(configMap.object.data)?.['namespace-labels.yaml']);
    if (text === undefined) continue;
    try {
      const parsed = asRecord(yaml.load(text)) ?? {};
      const labels = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v ?? '')]));
      return { labels, source: configMap };
    } catch {
      continue;
    }
  }
  return { labels: {} };
}

/** Profile namespaces: every Profile (namespace = its name), and Namespaces carrying profile labels or owned by a Profile. */
export function profileNamespacesOf(inventory: Inventory): readonly ProfileNamespace[] {
  return inventory.derived(PROFILE_NAMESPACES);
}

const PROFILE_NAMESPACES: DerivedAnalysis<readonly ProfileNamespace[]> = { name: 'profile namespaces', build: (inventory) => findProfileNamespaces(inventory) };

function findProfileNamespaces(inventory: Inventory): readonly ProfileNamespace[] {
  const defaults = controllerLabels(inventory);
  const names = new Set<string>();
  const profiles = new Map<string, ScannedObject>();
  for (const profile of inventory.ofKind('Profile', 'kubeflow.org')) {
    profiles.set(nameOf(profile.object), profile);
    names.add(nameOf(profile.object));
  }
  const namespaces = new Map<string, ScannedObject>();
  for (const namespace of inventory.ofKind('Namespace', '')) {
    namespaces.set(nameOf(namespace.object), namespace);
    if (isProfileNamespace(namespace)) names.add(nameOf(namespace.object));
  }
  const result = [...names].sort().map((name): ProfileNamespace => {
    const profile = profiles.get(name);
    const namespace = namespaces.get(name);
    const own = namespace ? labelsOf(namespace.object) : {};
    const fromController = profile ? defaults.labels : {};
    const merged: Record<string, string> = { ...own };
    for (const [key, value] of Object.entries(fromController)) {
      if (!(key in merged) && value !== '') merged[key] = value;
    }
    return {
      name,
      labels: merged,
      ...(profile ? { profile } : {}),
      ...(namespace ? { namespace } : {}),
      ...(profile && defaults.source ? { labelDefaults: defaults.source } : {}),
    };
  });
  return result;
}

/** The object a finding about the namespace attaches to: its Namespace when scanned, else its Profile. */
export function anchorOf(profileNamespace: ProfileNamespace): ScannedObject {
  const anchor = profileNamespace.namespace ?? profileNamespace.profile;
  if (!anchor) throw new Error(`profile namespace ${profileNamespace.name} has no scanned object`);
  return anchor;
}

export const GUARDRAIL_MATCH = [
  { apiGroups: ['kubeflow.org'], kinds: ['Profile'] },
  { apiGroups: [''], kinds: ['Namespace'] },
] as const;
