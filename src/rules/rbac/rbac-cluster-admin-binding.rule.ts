import { RBAC_READS } from '../rule-defaults.js';
import { defineRule } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { accessGraphOf, type Grant } from '../../rbac/access-graph.js';
import { describeSubject, isAllAuthenticated, isKubernetesSystemSubject, isUnauthenticated, isUnrecognisedKubeSystemServiceAccount } from '../../rbac/subjects.js';
import { BINDING_KINDS, RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES, THREAT_MATRIX } from './shared.js';

function severityOf(grant: Grant): Severity {
  if (isUnauthenticated(grant.subject) || isAllAuthenticated(grant.subject)) return 'critical';
  const person = grant.subject.kind !== 'ServiceAccount';
  if (grant.namespace === '*') return person ? 'high' : 'medium';
  return person ? 'medium' : 'low';
}

export default defineRule({
  meta: {
    id: 'rbac-cluster-admin-binding',
    title: 'Subject bound to cluster-admin',
    severity: 'high',
    category: 'rbac',
    description:
      'A ClusterRoleBinding or RoleBinding grants the built-in `cluster-admin` ClusterRole to a user, group or service account that is not part of Kubernetes itself.',
    rationale:
      '`cluster-admin` allows every verb on every resource. Whoever holds it, or steals the token of a pod running as it, owns the cluster: it can read every Secret and start miners on every node. Attackers create such bindings for persistence (Microsoft threat matrix: cluster-admin binding). A RoleBinding to `cluster-admin` is limited to one namespace but still covers its Secrets, RBAC and workloads.',
    remediation:
      'Replace the binding with a role that lists only the resources and verbs the subject needs. For controllers, use the ClusterRole the project ships or write one from its audit log. Reserve `cluster-admin` for break-glass human access.',
    references: [RBAC_DOCS + '#user-facing-roles', RBAC_GOOD_PRACTICES, THREAT_MATRIX],
    mitre: ['T1078.003', 'MS-TA9019'],
    match: BINDING_KINDS,
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    const scanned = ctx.inventory.originOf(object);
    if (!scanned) return;
    for (const grant of accessGraphOf(ctx.inventory).grantsFrom(scanned)) {
      if (grant.roleRef.kind !== 'ClusterRole' || grant.roleRef.name !== 'cluster-admin') continue;
      // Unknown kube-system accounts are left to kube-system-service-account-backdoor, at high.
      if (isKubernetesSystemSubject(grant.subject) || isUnrecognisedKubeSystemServiceAccount(grant.subject)) continue;
      const who = describeSubject(grant.subject);
      const where = grant.namespace === '*' ? 'across the whole cluster' : `in namespace ${grant.namespace}`;
      yield {
        message: `${who} is cluster-admin ${where}`,
        path: grant.subjectPath,
        severity: severityOf(grant),
        discriminator: who,
      };
    }
  },
});
