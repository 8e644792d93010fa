import { PROFILE_READS } from '../rule-defaults.js';
import { asArray, asRecord, asString, asStringArray, namespaceOf } from '../../core/object.js';
import { defineRule } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import { anchorOf, GUARDRAIL_MATCH, profileNamespacesOf } from './profile-namespaces.js';

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
/** Evidence lines naming a policy that opens egress start with this; the fixer reads them. */
export const REOPENS_PREFIX = 'NetworkPolicy ';

/** Without `policyTypes`, the API server adds Egress only when the policy has egress rules. */
function appliesToEgress(spec: Readonly<Record<string, unknown>>): boolean {
  const types = asStringArray(spec.policyTypes);
  return types.length > 0 ? types.includes('Egress') : asArray(spec.egress).length > 0;
}

/** An egress rule that lets pods reach the internet: no `to` at all, or an ipBlock of everything. */
function opensInternet(rule: unknown): boolean {
  const peers = asArray(asRecord(rule)?.to);
  if (peers.length === 0) return true;
  return peers.some((peer) => ANYWHERE.has(asString(asRecord(asRecord(peer)?.ipBlock)?.cidr) ?? ''));
}

/**
 * A NetworkPolicy that selects every pod of its namespace for egress and allows no destination
 * outside the cluster (DNS and in-cluster peers are fine; that is what keeps pool traffic out).
 */
function isDefaultDenyEgress(policy: K8sObject): boolean {
  const spec = asRecord(policy.spec) ?? {};
  return selectsAllPods(spec) && appliesToEgress(spec) && !asArray(spec.egress).some(opensInternet);
}

function selectsAllPods(spec: Readonly<Record<string, unknown>>): boolean {
  const podSelector = asRecord(spec.podSelector) ?? {};
  return Object.keys(asRecord(podSelector.matchLabels) ?? {}).length === 0 && asArray(podSelector.matchExpressions).length === 0;
}

/** NetworkPolicies add up: any policy that opens egress to the internet for some pods undoes the deny for them. */
function opensEgress(policy: K8sObject): boolean {
  const spec = asRecord(policy.spec) ?? {};
  return appliesToEgress(spec) && asArray(spec.egress).some(opensInternet);
}

export default defineRule({
  meta: {
    id: 'profile-namespace-missing-egress-deny',
    title: 'Profile namespace lets pods reach the internet',
    severity: 'medium',
    category: 'guardrails',
    description:
      'A Kubeflow profile namespace has no NetworkPolicy that selects all its pods for egress and allows no destination outside the cluster (an empty `to`, or an ipBlock of `0.0.0.0/0` or `::/0`, counts as open), or another NetworkPolicy there opens egress to the internet again (policies add up). Without `policyTypes`, a policy covers egress only when it has egress rules, as the API server defaults it.',
    rationale:
      'A miner dropped through a notebook or pipeline step must reach its pool; stolen data must leave. Default-deny egress stops both and turns the attempt into a visible connection failure. Kubeflow\'s stock install ships no egress policy for profile namespaces.',
    remediation:
      'Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Egress]` and egress rules only to kube-dns, the Kubeflow control plane and the registries or object stores the team needs. Note that NetworkPolicies need a CNI that enforces them.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic',
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/mitigations/MS-M9014%20Network%20segmentation/',
    ],
    mitre: ['T1496', 'MS-TA9039'],
    match: GUARDRAIL_MATCH,
    sources: ['manifest', 'cluster'],
    needs: { reads: [...PROFILE_READS, 'NetworkPolicy'], snapshot: 'required', request: false, cost: 'cheap' },
    fixable: true,
  },
  *checkInventory(ctx) {
    const policies = ctx.inventory.ofKind('NetworkPolicy', 'networking.k8s.io');
    const openers = policies.filter((s) => opensEgress(s.object));
    const denied = new Set(policies.filter((s) => isDefaultDenyEgress(s.object)).map((s) => namespaceOf(s.object)));
    for (const profileNamespace of profileNamespacesOf(ctx.inventory)) {
      const reopening = openers.filter((s) => namespaceOf(s.object) === profileNamespace.name);
      if (denied.has(profileNamespace.name) && reopening.length === 0) continue;
      const target = anchorOf(profileNamespace);
      yield {
        target,
        path: target.object.kind === 'Profile' ? 'spec' : 'metadata.name',
        message:
          reopening.length > 0
            ? `Profile namespace ${profileNamespace.name} lets pods reach the internet: a NetworkPolicy there allows egress to any address, whatever other policies deny`
            : `Profile namespace ${profileNamespace.name} has no default-deny egress NetworkPolicy: its pods can reach mining pools and any other internet host`,
        ...(reopening.length > 0 ? { evidence: reopening.map((s) => `${REOPENS_PREFIX}${namespaceOf(s.object)}/${s.object.metadata?.name ?? ''} opens egress to the internet`) } : {}),
      };
    }
  },
});
