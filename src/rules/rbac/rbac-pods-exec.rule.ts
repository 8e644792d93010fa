import { RBAC_READS } from '../rule-defaults.js';
import { nameOf } from '../../core/object.js';
import { defineRule } from '../../core/rule.js';
import { readPolicyRules, ruleAllows } from '../../rbac/policy-rule.js';
import { bindingsUnreadFor, describeHolders, reachOf, severityForReach } from '../../rbac/role-exposure.js';
import { grantsOfRoleObject } from './role-lookup.js';
import { RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES, ROLE_KINDS } from './shared.js';

export default defineRule({
  meta: {
    id: 'rbac-pods-exec',
    title: 'Role can exec into pods',
    severity: 'medium',
    category: 'rbac',
    description:
      'A Role or ClusterRole allows `create` on `pods/exec` (named, through `*/exec`, or with a `*` verb). Rules with `*` resources are left to `rbac-wildcard-permissions`; rules limited by `resourceNames` are not reported.',
    rationale:
      'Exec runs any command inside a running pod, with its service-account token, mounted Secrets and network position. A pipeline step or notebook holding it can take over every other pod the role reaches, including the Kubeflow control plane when they share a namespace. Profile contributors get it by design in their own namespace (reported as info); service accounts rank low, people and cluster-wide holders higher.',
    remediation:
      'Drop `pods/exec` (and `pods/attach`) from roles used by workloads. Grant it to people only in the namespaces they own, and audit its use.',
    references: [RBAC_GOOD_PRACTICES + '#workload-creation', RBAC_DOCS + '#referring-to-resources'],
    mitre: ['T1609', 'MS-TA9006'],
    match: ROLE_KINDS,
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    if (object.aggregationRule !== undefined) return;
    const index = readPolicyRules(object.rules).findIndex(
      (rule) => !rule.resources.includes('*') && ruleAllows(rule, { verb: 'create', apiGroup: '', resource: 'pods/exec' }),
    );
    if (index === -1) return;
    const grants = grantsOfRoleObject(ctx.inventory, object);
    const unread = bindingsUnreadFor(object, ctx.unreadKinds);
    const severity = severityForReach('medium', reachOf(grants), unread);
    if (!severity) return;
    yield {
      message: `${object.kind} ${nameOf(object)} can exec into pods (${describeHolders(grants, undefined, unread)})`,
      path: `rules[${index}].resources`,
      severity,
    };
  },
});
