import type { Severity } from '../../core/severity.js';
import { workloadSecurityRule } from './workload-security-template.js';

/** What each host namespace hands the pod, and how bad that is. */
const HOST_NAMESPACES: readonly { field: string; severity: Severity; gives: string }[] = [
  { field: 'hostPID', severity: 'high', gives: "sees and can signal or ptrace every process on the node, and read their environment" },
  { field: 'hostIPC', severity: 'medium', gives: "shares the node's IPC namespace and shared memory with every host process" },
  { field: 'hostNetwork', severity: 'medium', gives: "uses the node's network: it can reach node-local services and bind ports on the node's addresses, bypassing NetworkPolicies" },
];

export default workloadSecurityRule({
  meta: {
    id: 'pod-host-namespaces',
    title: 'Pod shares the node\'s PID, IPC or network namespace',
    severity: 'high',
    description:
      'A pod spec (or an Argo workflow spec) sets `hostPID`, `hostIPC` or `hostNetwork` to `true` (Pod Security Standards baseline, "Host Namespaces"). Each field is a separate finding: `hostPID` is `high`, the other two `medium`.',
    rationale:
      "Host namespaces remove the isolation between the pod and the node. With `hostPID` a compromised notebook or pipeline step can read other pods' process environments (their credentials) and, with enough privilege, enter the node. `hostNetwork` puts the pod on the node's interfaces, out of reach of NetworkPolicies, and exposes its ports on every node address.",
    remediation:
      'Remove the fields. Workloads that really need them (CNI, node exporters) belong in a dedicated system namespace with a Pod Security exemption; user and Kubeflow namespaces should enforce the baseline profile.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
      'https://attack.mitre.org/techniques/T1611/',
    ],
    mitre: ['T1611', 'T1610', 'MS-TA9008'],
  },
  scope: 'pod',
  *judge(pod) {
    for (const { field, severity, gives } of HOST_NAMESPACES) {
      if (pod.spec[field] !== true) continue;
      const path = pod.path === '' ? field : `${pod.path}.${field}`;
      yield { message: `${field} is true: the pod ${gives}.`, path, severity, evidence: `${path}: true` };
    }
  },
});
