import { PROFILE_READS } from '../rule-defaults.js';
import { asRecord, namespaceOf } from '../../core/object.js';
import { defineRule } from '../../core/rule.js';
import type { ScannedObject } from '../../core/types.js';
import type { Inventory } from '../../core/inventory.js';
import { anchorOf, GUARDRAIL_MATCH, profileNamespacesOf, type ProfileNamespace } from './profile-namespaces.js';

const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', 'gpu.intel.com/xe'];

/** Each dimension a quota must bound, and the `hard` keys that bound it. */
const DIMENSIONS: readonly { readonly name: string; readonly keys: readonly string[] }[] = [
  { name: 'cpu', keys: ['cpu', 'requests.cpu', 'limits.cpu'] },
  { name: 'memory', keys: ['memory', 'requests.memory', 'limits.memory'] },
  // Quota on extended resources such as GPUs works only through `requests.` keys
  // (https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-for-extended-resources).
  { name: 'GPU', keys: GPU_RESOURCES.map((gpu) => `requests.${gpu}`) },
  { name: 'pods', keys: ['pods', 'count/pods'] },
];

interface QuotaSource {
  readonly scanned: ScannedObject;
  readonly path: string;
  readonly hard: readonly string[];
}

/** Quotas that apply to the whole namespace: scoped ones only bound some pods. */
function quotasOf(inventory: Inventory, profileNamespace: ProfileNamespace): QuotaSource[] {
  const quotas: QuotaSource[] = [];
  const profileSpec = asRecord(asRecord(profileNamespace.profile?.object.spec)?.resourceQuotaSpec);
  if (profileNamespace.profile && profileSpec && isUnscoped(profileSpec)) {
    quotas.push({ scanned: profileNamespace.profile, path: 'spec.resourceQuotaSpec.hard', hard: Object.keys(asRecord(profileSpec.hard) ?? {}) });
  }
  for (const scanned of inventory.ofKind('ResourceQuota', '')) {
    if (namespaceOf(scanned.object) !== profileNamespace.name) continue;
    const spec = asRecord(scanned.object.spec) ?? {};
    if (isUnscoped(spec)) quotas.push({ scanned, path: 'spec.hard', hard: Object.keys(asRecord(spec.hard) ?? {}) });
  }
  return quotas;
}

function isUnscoped(spec: Readonly<Record<string, unknown>>): boolean {
  return spec.scopes === undefined && spec.scopeSelector === undefined;
}

export default defineRule({
  meta: {
    id: 'profile-namespace-missing-resource-quota',
    title: 'Profile namespace has no quota on cpu, memory, GPU and pods',
    severity: 'medium',
    category: 'guardrails',
    description:
      'A Kubeflow profile namespace (a `Profile`, or a Namespace with the profile labels or owned by a Profile) has no unscoped ResourceQuota, and no `Profile.spec.resourceQuotaSpec`, that bounds cpu, memory, GPUs (`nvidia.com/gpu`, `amd.com/gpu`, `gpu.intel.com/*`, as `requests.` keys, the only form quota enforces for extended resources) and the number of pods.',
    rationale:
      'Miners planted through a notebook or pipeline scale out until the cluster runs dry, and GPUs are what they want most. A quota caps the damage of one compromised profile and makes the spike visible as quota errors instead of a cloud bill.',
    remediation:
      'Set `spec.resourceQuotaSpec.hard` on the Profile (the profile controller turns it into a ResourceQuota), for example `cpu`, `memory`, `requests.nvidia.com/gpu` and `pods`. One GPU key is enough when the cluster has only that vendor.',
    references: [
      'https://kubernetes.io/docs/concepts/policy/resource-quotas/',
      'https://www.kubeflow.org/docs/components/central-dash/profiles/',
    ],
    mitre: ['T1496', 'MS-TA9039'],
    match: GUARDRAIL_MATCH,
    sources: ['manifest', 'cluster'],
    needs: { reads: [...PROFILE_READS, 'ResourceQuota'], snapshot: 'required', request: false, cost: 'cheap' },
    fixable: true,
  },
  *checkInventory(ctx) {
    for (const profileNamespace of profileNamespacesOf(ctx.inventory)) {
      const quotas = quotasOf(ctx.inventory, profileNamespace);
      const bounded = new Set(quotas.flatMap((q) => q.hard));
      const missing = DIMENSIONS.filter((d) => !d.keys.some((key) => bounded.has(key))).map((d) => d.name);
      if (missing.length === 0) continue;
      const first = quotas[0];
      if (first) {
        yield {
          target: first.scanned,
          path: first.path,
          message: `Profile namespace ${profileNamespace.name} has quotas, but none bounds ${missing.join(', ')}`,
          evidence: quotas.map((q) => `${q.scanned.object.kind} ${q.scanned.object.metadata?.name ?? ''}: ${q.hard.join(', ') || '(empty)'}`),
        };
        continue;
      }
      const target = profileNamespace.profile ?? anchorOf(profileNamespace);
      yield {
        target,
        path: target.object.kind === 'Profile' ? 'spec' : 'metadata.name',
        message: `Profile namespace ${profileNamespace.name} has no ResourceQuota: cpu, memory, GPU and pods are unbounded`,
      };
    }
  },
});
