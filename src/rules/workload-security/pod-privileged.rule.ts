import { asRecord } from '../../core/object.js';
import { workloadSecurityRule } from './workload-security-template.js';

export default workloadSecurityRule({
  meta: {
    id: 'pod-privileged',
    title: 'Container runs privileged',
    severity: 'high',
    description:
      'A container, init container or ephemeral container sets `securityContext.privileged: true` (Pod Security Standards baseline, "Privileged Containers").',
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
  },
  scope: 'container',
  *judge(ref) {
    if (asRecord(ref.container.securityContext)?.privileged !== true) return;
    const path = `${ref.path}.securityContext.privileged`;
    yield {
      message: `Container "${ref.name}" runs privileged, with full access to the node's devices.`,
      path,
      severity: 'high',
      evidence: `${path}: true`,
      discriminator: ref.path,
    };
  },
});
