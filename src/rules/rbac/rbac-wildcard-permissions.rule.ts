import { RBAC_READS } from '../rule-defaults.js';
import { nameOf } from '../../core/object.js';
import { defineRule } from '../../core/rule.js';
import { severityRank, type Severity } from '../../core/severity.js';
import type { K8sObject } from '../../core/types.js';
import { POD_MAKERS } from '../../rbac/pod-makers.js';
import { readPolicyRules, writeVerbsOf, type PolicyRule } from '../../rbac/policy-rule.js';
import { bindingsUnreadFor, describeHolders, reachOf, severityForReach } from '../../rbac/role-exposure.js';
import { grantsOfRoleObject } from './role-lookup.js';
import { RBAC_DOCS, RBAC_GOOD_PRACTICES, RBAC_SOURCES, ROLE_KINDS } from './shared.js';

const POD_MAKER_GROUPS = new Set(POD_MAKERS.map((m) => m.apiGroup));
const CONTROL_GROUPS = new Set(['', 'rbac.authorization.k8s.io']);
const SENSITIVE_RESOURCES = new Set([
  ...POD_MAKERS.map((m) => m.resource),
  'pods/exec',
  'pods/attach',
  'secrets',
  'serviceaccounts',
  'serviceaccounts/token',
  'nodes',
  'nodes/proxy',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
]);

interface WildcardFinding {
  readonly path: string;
  readonly severity: Severity;
  readonly text: string;
}

/** What one rule's wildcards give away, or undefined when they only touch harmless things. */
function judge(rule: PolicyRule, index: number): WildcardFinding | undefined {
  const writes = writeVerbsOf(rule);
  const allResources = rule.resources.includes('*');
  const allGroups = rule.apiGroups.includes('*');
  const groups = rule.apiGroups.join(',') || '""';
  if (allResources && writes.length > 0) {
    const covers = allGroups || rule.apiGroups.some((g) => CONTROL_GROUPS.has(g)) ? 'high' : rule.apiGroups.some((g) => POD_MAKER_GROUPS.has(g)) ? 'medium' : undefined;
    if (!covers) return undefined;
    return {
      path: `rules[${index}].resources`,
      severity: covers,
      text: `rules[${index}]: ${writes.join(',')} on every resource of API group(s) ${allGroups ? '*' : groups}`,
    };
  }
  if (rule.verbs.includes('*')) {
    const sensitive = rule.resources.filter((r) => SENSITIVE_RESOURCES.has(r));
    if (sensitive.length === 0) return undefined;
    return { path: `rules[${index}].verbs`, severity: 'medium', text: `rules[${index}]: every verb on ${sensitive.join(', ')}` };
  }
  return undefined;
}

function findingsOf(object: K8sObject): WildcardFinding[] {
  return readPolicyRules(object.rules).flatMap((rule, index) => judge(rule, index) ?? []);
}

export default defineRule({
  meta: {
    id: 'rbac-wildcard-permissions',
    title: 'Role uses wildcards on sensitive resources',
    severity: 'high',
    category: 'rbac',
    description:
      'A Role or ClusterRole grants `*` verbs on pods, workloads, Secrets or RBAC objects, or write verbs on `*` resources of the core, RBAC or a workload API group (apps, batch, argoproj.io, kubeflow.org, ray.io …). Read-only wildcards and wildcards over harmless custom resources are not reported.',
    rationale:
      'Wildcards grant today\'s and tomorrow\'s resources and verbs, including `escalate`, `bind`, `impersonate`, `pods/exec` and new workload kinds. The severity follows who holds the role: people and cluster-wide bindings rank higher, controller service accounts lower, and profile roles Kubeflow creates by design lowest.',
    remediation:
      'List the exact verbs and resources the holder needs. Replace `*` in `verbs` with `get`, `list`, `watch` and the specific writes, and `*` in `resources` with named resources.',
    references: [RBAC_GOOD_PRACTICES + '#least-privilege', RBAC_DOCS + '#referring-to-resources'],
    mitre: ['T1078.003', 'MS-TA9019'],
    match: ROLE_KINDS,
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    if (object.aggregationRule !== undefined) return;
    const findings = findingsOf(object);
    const first = findings[0];
    if (!first) return;
    const grants = grantsOfRoleObject(ctx.inventory, object);
    const unread = bindingsUnreadFor(object, ctx.unreadKinds);
    const base = findings.reduce<Severity>((worst, f) => (severityRank(f.severity) > severityRank(worst) ? f.severity : worst), 'info');
    const severity = severityForReach(base, reachOf(grants), unread);
    if (!severity) return;
    yield {
      message: `${object.kind} ${nameOf(object)} grants wildcards: ${findings.map((f) => f.text.replace(/^rules\[\d+\]: /, '')).join('; ')} (${describeHolders(grants, undefined, unread)})`,
      path: first.path,
      severity,
      evidence: findings.map((f) => f.text),
    };
  },
});
