import { namespaceOf } from '../core/object.js';
import type { Severity } from '../core/severity.js';
import type { K8sObject } from '../core/types.js';

/**
 * Node agents (CNI, CSI, kube-proxy, Istio's ztunnel) need host access by design and run where
 * Pod Security admission is normally relaxed: anything in `kube-system`, and DaemonSets in
 * `istio-system`. Findings there stay visible, as `info`, because attackers also hide DaemonSets
 * in system namespaces; the threat rules judge what the workload is.
 */
const NODE_AGENT_NAMESPACES = new Set(['kube-system']);
const NODE_AGENT_DAEMONSET_NAMESPACES = new Set(['istio-system']);

export const NODE_AGENT_NOTE = 'node agent in a system namespace, which is normally exempt from Pod Security admission';

export function isNodeAgentNamespace(object: K8sObject): boolean {
  const namespace = namespaceOf(object) ?? '';
  return NODE_AGENT_NAMESPACES.has(namespace) || (object.kind === 'DaemonSet' && NODE_AGENT_DAEMONSET_NAMESPACES.has(namespace));
}

/** The severity to report: `info` for node-agent namespaces, the given one elsewhere. */
export function pssSeverity(object: K8sObject, severity: Severity): Severity {
  return isNodeAgentNamespace(object) ? 'info' : severity;
}

/** Appended to the PSS rules' descriptions so the severity policy is documented with them. */
export const NODE_AGENT_SEVERITY_NOTE =
  ' Node agents (anything in `kube-system`, DaemonSets in `istio-system` such as the Istio CNI and ztunnel) need host access by design; their findings are reported as `info`.';
