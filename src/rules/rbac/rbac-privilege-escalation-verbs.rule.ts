import { RBAC_READS } from '../rule-defaults.js';
import { nameOf } from '../../core/object.js';
import { defineRule } from '../../core/rule.js';
import { escalationsOf } from '../../rbac/escalation.js';
import { readPolicyRules } from '../../rbac/policy-rule.js';
import { bindingsUnreadFor, describeHolders, reachOf, severityForReach } from '../../rbac/role-exposure.js';
import { grantsOfRoleObject } from './role-lookup.js';
import { RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES, ROLE_KINDS } from './shared.js';

export default defineRule({
  meta: {
    id: 'rbac-privilege-escalation-verbs',
    title: 'Role can escalate, bind or impersonate',
    severity: 'high',
    category: 'rbac',
    description:
      'A Role or ClusterRole allows `escalate` or `bind` on roles, or `impersonate` on users, groups or service accounts, by name or through a `*` verb. `resourceNames` do not excuse impersonation (naming `system:masters` is the point) or binding `cluster-admin`, `admin`, `edit` or a `system:` role; binding a named ordinary role is fine. Rules that are `*` on every resource of every group are left to `rbac-wildcard-permissions`.',
    rationale:
      'These verbs bypass RBAC\'s own guard against privilege escalation: `escalate` edits a role to hold more than the editor has, `bind` grants roles the binder does not hold, `impersonate` acts as another identity, for example a cluster-admin. Any of them is equivalent to the highest privilege reachable.',
    remediation:
      'Remove the verbs. If a controller must create bindings, restrict `bind` with `resourceNames` to the exact roles it hands out.',
    references: [RBAC_DOCS + '#privilege-escalation-prevention-and-bootstrapping', RBAC_GOOD_PRACTICES + '#escalate-verb'],
    mitre: ['T1078.003', 'T1548', 'MS-TA9019'],
    match: ROLE_KINDS,
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    if (object.aggregationRule !== undefined) return;
    const hits: { index: number; labels: string[] }[] = [];
    readPolicyRules(object.rules).forEach((rule, index) => {
      if (rule.apiGroups.includes('*') && rule.resources.includes('*')) return;
      const labels = escalationsOf(rule);
      if (labels.length > 0) hits.push({ index, labels });
    });
    const first = hits[0];
    if (!first) return;
    const grants = grantsOfRoleObject(ctx.inventory, object);
    const unread = bindingsUnreadFor(object, ctx.unreadKinds);
    const severity = severityForReach('high', reachOf(grants), unread);
    if (!severity) return;
    const labels = [...new Set(hits.flatMap((h) => h.labels))];
    yield {
      message: `${object.kind} ${nameOf(object)} can ${labels.join(', ')} (${describeHolders(grants, undefined, unread)})`,
      path: `rules[${first.index}].verbs`,
      severity,
      evidence: hits.map((h) => `rules[${h.index}]: ${h.labels.join(', ')}`),
    };
  },
});
