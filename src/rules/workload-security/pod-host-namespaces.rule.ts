import { defineRule, type Violation } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { podLevelSpecsOf } from '../../k8s/pod-level.js';
import { ANY_KIND, SPEC_SOURCES, OBJECT_SOURCES, OBJECT_ONLY } from '../rule-defaults.js';
import { NODE_AGENT_NOTE, NODE_AGENT_SEVERITY_NOTE, isNodeAgentNamespace, pssSeverity } from '../../k8s/system-namespaces.js';

/** What each host namespace hands the pod, and how bad that is. */
const HOST_NAMESPACES: readonly { field: string; severity: Severity; gives: string }[] = [
  { field: 'hostPID', severity: 'high', gives: "sees and can signal or ptrace every process on the node, and read their environment" },
  { field: 'hostIPC', severity: 'medium', gives: "shares the node's IPC namespace and shared memory with every host process" },
  { field: 'hostNetwork', severity: 'medium', gives: "uses the node's network: it can reach node-local services and bind ports on the node's addresses, bypassing NetworkPolicies" },
];

export default defineRule({
  meta: {
    id: 'pod-host-namespaces',
    title: 'Pod shares the node\'s PID, IPC or network namespace',
    severity: 'high',
    category: 'workload-security',
    description:
      'A pod spec (or an Argo workflow spec) sets `hostPID`, `hostIPC` or `hostNetwork` to `true` (Pod Security Standards baseline, "Host Namespaces"). Each field is a separate finding: `hostPID` is `high`, the other two `medium`.' + NODE_AGENT_SEVERITY_NOTE,
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
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
  },
  *check(object): Iterable<Violation> {
    for (const pod of podLevelSpecsOf(object)) {
      for (const { field, severity, gives } of HOST_NAMESPACES) {
        if (pod.spec[field] !== true) continue;
        const path = pod.path === '' ? field : `${pod.path}.${field}`;
        yield {
          message: `${field} is true: the pod ${gives}.`,
          path,
          severity: pssSeverity(object, severity),
          evidence: [`${path}: true`, ...(isNodeAgentNamespace(object) ? [NODE_AGENT_NOTE] : [])],
          discriminator: path,
        };
      }
    }
  },
});
