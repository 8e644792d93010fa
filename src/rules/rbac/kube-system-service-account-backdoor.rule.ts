import { RBAC_READS } from '../rule-defaults.js';
import { defineRule } from '../../core/rule.js';
import { accessGraphOf, type Grant } from '../../rbac/access-graph.js';
import { takeoverPowersOf } from '../../rbac/escalation.js';
import { describeSubject, isKnownKubeSystemServiceAccountSubject, isUnrecognisedKubeSystemServiceAccount } from '../../rbac/subjects.js';
import { BINDING_KINDS, RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES, THREAT_MATRIX } from './shared.js';

/** What the grant hands over that amounts to owning the cluster (or kube-system), in words. */
function takeoverOf(grant: Grant): string[] {
  if (grant.roleRef.kind === 'ClusterRole' && grant.roleRef.name === 'cluster-admin') return ['cluster-admin'];
  return grant.role ? takeoverPowersOf(grant.role.rules) : [];
}

export default defineRule({
  meta: {
    id: 'kube-system-service-account-backdoor',
    title: 'Unrecognised kube-system service account holds cluster-admin, wildcard or escalation rights',
    severity: 'high',
    category: 'rbac',
    description:
      'A ClusterRoleBinding or RoleBinding gives a service account in `kube-system` that is none of the known Kubernetes controllers and common add-ons (`data/lists/kube-system-identities.yaml`) `cluster-admin`, a role with write verbs on every resource of every API group, or the escalation verbs (`bind`, `escalate`, `impersonate`, creating service-account tokens). High cluster-wide or inside kube-system, medium in another namespace. A known name bound to `cluster-admin` is medium: no listed controller or add-on holds it, so the name is likely borrowed.',
    rationale:
      'A new service account in `kube-system` bound to a `*`/`*`/`*` ClusterRole is a standard persistence step (stratus-red-team `k8s.persistence.create-admin-clusterrole`, the AKS CTF backdoor): reviewers skim kube-system as "the platform", and its token keeps working after the intruder\'s first foothold is gone. Only the accounts Kubernetes and well-known add-ons create there are trusted; anything else is judged like any other identity.',
    remediation:
      'Find who created the account and the binding (audit log: `create` on `serviceaccounts` and `clusterrolebindings` in kube-system), delete both, and rotate any token minted for it. If the account belongs to a legitimate add-on, give it the add-on\'s own narrow ClusterRole.',
    references: [
      'https://stratus-red-team.cloud/attack-techniques/kubernetes/k8s.persistence.create-admin-clusterrole/',
      RBAC_GOOD_PRACTICES + '#least-privilege',
      RBAC_DOCS + '#privilege-escalation-prevention-and-bootstrapping',
      THREAT_MATRIX,
    ],
    mitre: ['T1098', 'T1078.004', 'MS-TA9019'],
    match: BINDING_KINDS,
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    const scanned = ctx.inventory.originOf(object);
    if (!scanned) return;
    for (const grant of accessGraphOf(ctx.inventory).grantsFrom(scanned)) {
      const who = describeSubject(grant.subject);
      if (isKnownKubeSystemServiceAccountSubject(grant.subject)) {
        // No controller or add-on on the list is bound to cluster-admin: a known name holding it is borrowed.
        if (grant.roleRef.kind !== 'ClusterRole' || grant.roleRef.name !== 'cluster-admin') continue;
        yield {
          message: `${who} has the name of a Kubernetes controller or add-on, none of which is bound to cluster-admin, yet holds cluster-admin ${grant.namespace === '*' ? 'across the whole cluster' : `in namespace ${grant.namespace}`}`,
          path: grant.subjectPath,
          severity: 'medium',
          evidence: ['role ClusterRole cluster-admin', 'cluster-admin'],
          discriminator: who,
        };
        continue;
      }
      if (!isUnrecognisedKubeSystemServiceAccount(grant.subject)) continue;
      const powers = takeoverOf(grant);
      if (powers.length === 0) continue;
      const wide = grant.namespace === '*' || grant.namespace === 'kube-system';
      const where = grant.namespace === '*' ? 'across the whole cluster' : `in namespace ${grant.namespace}`;
      yield {
        message: `${who} is not a known Kubernetes controller or add-on, yet holds ${powers.join(', ')} ${where} through ${grant.roleRef.kind} ${grant.roleRef.name}`,
        path: grant.subjectPath,
        severity: wide ? 'high' : 'medium',
        evidence: [`role ${grant.roleRef.kind} ${grant.roleRef.name}`, ...powers],
        discriminator: who,
      };
    }
  },
});
