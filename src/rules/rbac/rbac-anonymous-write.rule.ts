import { RBAC_READS } from '../rule-defaults.js';
import { defineRule } from '../../core/rule.js';
import { accessGraphOf } from '../../rbac/access-graph.js';
import { ruleAllows, writeVerbsOf } from '../../rbac/policy-rule.js';
import { describeSubject, isAllAuthenticated, isUnauthenticated } from '../../rbac/subjects.js';
import { BINDING_KINDS, RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES } from './shared.js';

const SECRET_READS = ['get', 'list', 'watch'] as const;

export default defineRule({
  meta: {
    id: 'rbac-anonymous-write',
    title: 'Anonymous or every authenticated identity can change cluster state',
    severity: 'critical',
    category: 'rbac',
    description:
      'A RoleBinding or ClusterRoleBinding gives `system:anonymous`, `system:unauthenticated` or `system:authenticated` a role with any verb other than `get`, `list` and `watch`, or one that reads Secrets (which hold the tokens and passwords to change anything).',
    rationale:
      '`system:unauthenticated` is anyone who can reach the API server; `system:authenticated` is every token in the cluster, including the service-account token mounted into every notebook and pipeline step. Write access for them turns one leaked token, or none at all, into the ability to change the cluster.',
    remediation:
      'Bind the role to the specific users, groups or service accounts that need it. Keep bindings for the public groups read-only, and narrow them with `resourceNames` where possible.',
    references: [RBAC_DOCS + '#default-roles-and-role-bindings', RBAC_GOOD_PRACTICES],
    mitre: ['T1078.001', 'MS-TA9029'],
    match: BINDING_KINDS,
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    const scanned = ctx.inventory.originOf(object);
    if (!scanned) return;
    for (const grant of accessGraphOf(ctx.inventory).grantsFrom(scanned)) {
      const anonymous = isUnauthenticated(grant.subject);
      if (!anonymous && !isAllAuthenticated(grant.subject)) continue;
      const where = grant.namespace === '*' ? 'cluster-wide' : `in namespace ${grant.namespace}`;
      const who = describeSubject(grant.subject);
      if (!grant.role) {
        if (!anonymous) continue;
        yield {
          message: `${who} is bound to ${grant.roleRef.kind} ${grant.roleRef.name} ${where}, whose rules are not in the scanned set`,
          path: grant.subjectPath,
          severity: 'high',
          discriminator: who,
        };
        continue;
      }
      const writes = [...new Set(grant.role.rules.flatMap(writeVerbsOf))];
      if (writes.length === 0) {
        // Reading Secrets is as good as writing: they hold tokens and passwords. A read-only role is
        // otherwise fine for these groups, so a redefined "harmless" built-in role (issuer
        // discovery, autoupdate off) that also reads Secrets must not pass as read-only.
        const secretReads = SECRET_READS.filter((verb) => grant.role?.rules.some((rule) => ruleAllows(rule, { verb, apiGroup: '', resource: 'secrets' })));
        if (secretReads.length === 0) continue;
        yield {
          message: `${who} may ${secretReads.join(', ')} Secrets through ${grant.roleRef.kind} ${grant.roleRef.name} ${where}: their tokens and passwords are a way to change anything`,
          path: grant.subjectPath,
          severity: anonymous ? 'critical' : 'high',
          evidence: [`role ${grant.roleRef.name} reads secrets: ${secretReads.join(', ')}`],
          discriminator: who,
        };
        continue;
      }
      yield {
        message: `${who} may ${writes.join(', ')} through ${grant.roleRef.kind} ${grant.roleRef.name} ${where}`,
        path: grant.subjectPath,
        severity: anonymous ? 'critical' : 'high',
        evidence: [`role ${grant.roleRef.name} write verbs: ${writes.join(', ')}`],
        discriminator: who,
      };
    }
  },
});
