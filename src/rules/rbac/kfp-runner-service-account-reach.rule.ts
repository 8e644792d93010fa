import { defineRule } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { accessGraphOf, type Grant } from '../../rbac/access-graph.js';
import { canExecIntoPods, creatablePodMakers } from '../../rbac/pod-makers.js';
import { describeSubject } from '../../rbac/subjects.js';
import { profileNamespacesOf } from '../guardrails/profile-namespaces.js';
import { RBAC_READS } from '../rule-defaults.js';
import { RBAC_DOCS, RBAC_SOURCES } from './shared.js';

/** The service accounts KFP runs pipeline steps as: standalone, and multi-user (per profile). */
const RUNNER_ACCOUNTS = new Set(['pipeline-runner', 'default-editor']);

interface Reach {
  readonly grant: Grant;
  readonly creates: readonly string[];
  readonly exec: boolean;
}

function reachOf(grant: Grant): Reach | undefined {
  if (!grant.role) return undefined;
  const creates = creatablePodMakers(grant.role.rules);
  const exec = canExecIntoPods(grant.role.rules);
  return creates.length > 0 || exec ? { grant, creates, exec } : undefined;
}

export default defineRule({
  meta: {
    id: 'kfp-runner-service-account-reach',
    title: 'Pipeline runner service account can run code beyond its own profile',
    severity: 'high',
    category: 'rbac',
    description:
      'The service account Kubeflow Pipelines runs steps as (`pipeline-runner` standalone, `default-editor` in multi-user mode) can create pods, pod-making resources or exec into pods cluster-wide, in a namespace other than its own, or in a namespace that is not a Kubeflow profile namespace (so it shares it with other workloads such as the KFP control plane).',
    rationale:
      'Every pipeline step, including one submitted by anyone who can reach an unauthenticated KFP API, runs with this token. In 2020 and 2021 attackers used exposed Kubeflow to launch miners through pipelines; what the runner can create or exec into is exactly how far such a step spreads. Inside its own profile namespace that reach is Kubeflow\'s design and is not reported.',
    remediation:
      'Keep the runner bound only in its own profile namespace. In standalone installs, run pipelines in a dedicated namespace, not `kubeflow`, and remove `pods/exec` and the `*` rules from the `pipeline-runner` Role.',
    references: [
      'https://github.com/kubeflow/manifests/blob/master/applications/pipeline/upstream/base/pipeline/pipeline-runner-role.yaml',
      'https://www.kubeflow.org/docs/components/pipelines/operator-guides/multi-user/',
      RBAC_DOCS,
    ],
    mitre: ['T1610', 'MS-TA9008'],
    match: [{ apiGroups: ['rbac.authorization.k8s.io'], kinds: ['RoleBinding', 'ClusterRoleBinding'] }, { apiGroups: ['kubeflow.org'], kinds: ['Profile'] }],
    sources: RBAC_SOURCES,
    needs: { reads: [...RBAC_READS, 'ConfigMap'], snapshot: 'required', request: false, cost: 'moderate' },
  },
  *checkInventory(ctx) {
    const profileNamespaces = new Set(profileNamespacesOf(ctx.inventory).map((p) => p.name));
    for (const grant of accessGraphOf(ctx.inventory).grants) {
      const { subject } = grant;
      if (subject.kind !== 'ServiceAccount' || !RUNNER_ACCOUNTS.has(subject.name)) continue;
      const reach = reachOf(grant);
      if (!reach) continue;
      let severity: Severity;
      let where: string;
      if (grant.namespace === '*') {
        severity = 'high';
        where = 'in every namespace';
      } else if (grant.namespace !== subject.namespace) {
        severity = 'high';
        where = `in namespace ${grant.namespace}, outside its own`;
      } else if (!profileNamespaces.has(grant.namespace)) {
        severity = 'medium';
        where = `in namespace ${grant.namespace}, which is not a profile namespace`;
      } else {
        continue;
      }
      const abilities = [...(reach.creates.length > 0 ? [`create ${reach.creates.slice(0, 6).join(', ')}${reach.creates.length > 6 ? ` and ${reach.creates.length - 6} more` : ''}`] : []), ...(reach.exec ? ['exec into pods'] : [])];
      yield {
        target: grant.source,
        path: grant.subjectPath,
        severity,
        message: `${describeSubject(subject)}, an account KFP runs pipeline steps as, can ${abilities.join(' and ')} ${where} (via ${grant.via})`,
        evidence: [`role ${grant.roleRef.kind} ${grant.roleRef.name}`, ...reach.creates.map((r) => `create ${r}`)],
        discriminator: `${describeSubject(subject)}@${grant.namespace}`,
      };
    }
  },
});
