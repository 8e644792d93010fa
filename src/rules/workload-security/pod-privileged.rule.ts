import { asRecord } from '../../core/object.js';
import { defineRule, type Violation } from '../../core/rule.js';
import { containersOf } from '../../k8s/workloads.js';
import { ANY_KIND, SPEC_SOURCES, OBJECT_SOURCES, OBJECT_ONLY } from '../rule-defaults.js';
import { NODE_AGENT_NOTE, NODE_AGENT_SEVERITY_NOTE, isNodeAgentNamespace, pssSeverity } from '../../k8s/system-namespaces.js';

export default defineRule({
  meta: {
    id: 'pod-privileged',
    title: 'Container runs privileged',
    severity: 'high',
    category: 'workload-security',
    description:
      'A container, init container or ephemeral container sets `securityContext.privileged: true` (Pod Security Standards baseline, "Privileged Containers").' + NODE_AGENT_SEVERITY_NOTE,
    rationale:
      'A privileged container sees every host device and has all capabilities; escaping to the node is a matter of mounting its disk. Cloud defenders alert on new privileged containers for that reason (Microsoft Defender for Cloud raises `K8S_PrivilegedContainer`). Notebooks and pipeline steps almost never need it; node agents such as CNI plugins do, and belong in namespaces that allow it explicitly.',
    remediation:
      'Remove `privileged: true`; add only the specific capabilities the program needs, and enforce `pod-security.kubernetes.io/enforce: baseline` on user and Kubeflow namespaces.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      'https://learn.microsoft.com/en-us/azure/defender-for-cloud/alerts-containers',
      'https://attack.mitre.org/techniques/T1611/',
    ],
    mitre: ['T1611', 'T1610', 'MS-TA9008'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
  },
  *check(object): Iterable<Violation> {
    for (const ref of containersOf(object)) {
      if (asRecord(ref.container.securityContext)?.privileged !== true) continue;
      const path = `${ref.path}.securityContext.privileged`;
      yield {
        message: `Container "${ref.name}" runs privileged, with full access to the node's devices.`,
        path,
        severity: pssSeverity(object, 'high'),
        evidence: [`${path}: true`, ...(isNodeAgentNamespace(object) ? [NODE_AGENT_NOTE] : [])],
        discriminator: ref.path,
      };
    }
  },
});
