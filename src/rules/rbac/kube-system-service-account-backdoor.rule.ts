import { RBAC_READS } from '../rule-defaults.js';
import { defineRule } from '../../core/rule.js';
import { accessGraphOf, type Grant } from '../../rbac/access-graph.js';
import { takeoverPowersOf } from '../../rbac/escalation.js';
import { describeSubject, isKnownKubeSystemServiceAccountSubject, isUnrecognisedKubeSystemServiceAccount } from '../../rbac/subjects.js';
import { BINDING_KINDS, RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES, THREAT_MATRIX } from './shared.js';

/**
 * `system:serviceaccounts:kube-system` holds every service account of kube-system, including any
 * one an intruder adds there: a grant to it is a grant to an unrecognised account.
 */
const KUBE_SYSTEM_SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts:kube-system';

function isKubeSystemServiceAccountsGroup(subject: Grant['subject']): boolean {
  return subject.kind === 'Group' && subject.name === KUBE_SYSTEM_SERVICE_ACCOUNTS_GROUP;
}

/**
 * Kubernetes' own bootstrap roles (`system:controller:*`, `system:kube-*`) are what the listed
 * controllers are bound to; a listed name holding takeover powers through any other role is
 * using the name, not the controller's grant.
 */
function isBootstrapRole(grant: Grant): boolean {
  return grant.roleRef.name.startsWith('system:');
}

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
      'A ClusterRoleBinding or RoleBinding gives a service account in `kube-system` that is none of the known Kubernetes controllers and common add-ons (`data/lists/kube-system-identities.yaml`) `cluster-admin`, a role with write verbs on every resource of every API group, or the escalation verbs (`bind`, `escalate`, `impersonate`, creating service-account tokens). High cluster-wide or inside kube-system, medium in another namespace. The group `system:serviceaccounts:kube-system` counts as an unrecognised account (it holds any account an intruder adds). A known name holding `cluster-admin`, a wildcard or escalation verbs through any role other than Kubernetes\' own `system:` roles is medium: no listed controller or add-on does (none of the 44 kube-system accounts of the kops add-ons does), so the name is likely borrowed. Aggregated ClusterRoles are judged by the rules they aggregate.',
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
        // No controller or add-on on the list holds cluster-admin, a wildcard or escalation verbs
        // through a role of its own making: a known name holding them is borrowed.
        if (isBootstrapRole(grant)) continue;
        const borrowed = takeoverOf(grant);
        if (borrowed.length === 0) continue;
        const where = grant.namespace === '*' ? 'across the whole cluster' : `in namespace ${grant.namespace}`;
        yield {
          message: `${who} has the name of a Kubernetes controller or add-on, none of which holds ${borrowed.join(', ')}, yet holds it ${where} through ${grant.roleRef.kind} ${grant.roleRef.name}`,
          path: grant.subjectPath,
          severity: 'medium',
          evidence: [`role ${grant.roleRef.kind} ${grant.roleRef.name}`, ...borrowed],
          discriminator: who,
        };
        continue;
      }
      if (!isUnrecognisedKubeSystemServiceAccount(grant.subject) && !isKubeSystemServiceAccountsGroup(grant.subject)) continue;
      const powers = takeoverOf(grant);
      if (powers.length === 0) continue;
      const wide = grant.namespace === '*' || grant.namespace === 'kube-system';
      const where = grant.namespace === '*' ? 'across the whole cluster' : `in namespace ${grant.namespace}`;
      yield {
        message: `${who} ${isKubeSystemServiceAccountsGroup(grant.subject) ? '(every kube-system service account, an intruder\'s new one too)' : 'is not a known Kubernetes controller or add-on, yet'} holds ${powers.join(', ')} ${where} through ${grant.roleRef.kind} ${grant.roleRef.name}`,
        path: grant.subjectPath,
        severity: wide ? 'high' : 'medium',
        evidence: [`role ${grant.roleRef.kind} ${grant.roleRef.name}`, ...powers],
        discriminator: who,
      };
    }
  },
});
