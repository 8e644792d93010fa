import type { Rule } from '../core/rule.js';
// --- exposure imports ---
import kubeflowDashboardExposed from './exposure/kubeflow-dashboard-exposed.rule.js';
import mlServiceExposed from './exposure/ml-service-exposed.rule.js';
// --- threat imports ---
import cryptoMinerWorkload from './threat/crypto-miner-workload.rule.js';
import manifestParseAmbiguity from './threat/manifest-parse-ambiguity.rule.js';
// --- authentication imports ---
import jupyterEmptyToken from './authentication/jupyter-empty-token.rule.js';
import argoServerAuthModeServer from './authentication/argo-server-auth-mode-server.rule.js';
import kubernetesDashboardAuthBypass from './authentication/kubernetes-dashboard-auth-bypass.rule.js';
import dexDefaultStaticPassword from './authentication/dex-default-static-password.rule.js';
import objectStoreDefaultCredentials from './authentication/object-store-default-credentials.rule.js';
import publishedDefaultCredentials from './authentication/published-default-credentials.rule.js';
import rayDashboardNoAuth from './authentication/ray-dashboard-no-auth.rule.js';
import mlTrackingServerExposed from './authentication/ml-tracking-server-exposed.rule.js';
import kfpSingleUserExposed from './authentication/kfp-single-user-exposed.rule.js';
import istioAllowAllKubeflowNamespace from './authentication/istio-allow-all-kubeflow-namespace.rule.js';
// --- rbac imports ---
import rbacAnonymousWrite from './rbac/rbac-anonymous-write.rule.js';
import rbacClusterAdminBinding from './rbac/rbac-cluster-admin-binding.rule.js';
import rbacWildcardPermissions from './rbac/rbac-wildcard-permissions.rule.js';
import rbacPrivilegeEscalationVerbs from './rbac/rbac-privilege-escalation-verbs.rule.js';
import rbacPodsExec from './rbac/rbac-pods-exec.rule.js';
import kfpRunnerServiceAccountReach from './rbac/kfp-runner-service-account-reach.rule.js';
import pipelinePodTokenAutomount from './rbac/pipeline-pod-token-automount.rule.js';
import kubeSystemServiceAccountBackdoor from './rbac/kube-system-service-account-backdoor.rule.js';
import pipelineRunServiceAccountOverride from './rbac/pipeline-run-service-account-override.rule.js';
// --- guardrails imports ---
import profileNamespaceMissingResourceQuota from './guardrails/profile-namespace-missing-resource-quota.rule.js';
import profileNamespaceMissingLimitRange from './guardrails/profile-namespace-missing-limit-range.rule.js';
import profileNamespaceMissingEgressDeny from './guardrails/profile-namespace-missing-egress-deny.rule.js';
import profileNamespaceMissingPodSecurity from './guardrails/profile-namespace-missing-pod-security.rule.js';
// --- supply-chain imports ---
import imageFloatingTag from './supply-chain/image-floating-tag.rule.js';
import imageNotPinnedDigest from './supply-chain/image-not-pinned-digest.rule.js';
import imageRegistryNotAllowed from './supply-chain/image-registry-not-allowed.rule.js';
import rayVersionVulnerable from './supply-chain/ray-version-vulnerable.rule.js';
// --- workload-security imports ---
import podPrivileged from './workload-security/pod-privileged.rule.js';
import podHostNamespaces from './workload-security/pod-host-namespaces.rule.js';
import podHostPath from './workload-security/pod-host-path.rule.js';
import containerRuntimeSocket from './workload-security/container-runtime-socket.rule.js';
import containerAddedCapabilities from './workload-security/container-added-capabilities.rule.js';

/** Every rule kfguard ships, in catalogue order. Adding a rule means adding it here. */
export const ALL_RULES: readonly Rule[] = [
  // --- exposure rules ---
  kubeflowDashboardExposed,
  mlServiceExposed,
  // --- threat rules ---
  cryptoMinerWorkload,
  manifestParseAmbiguity,
  // --- authentication rules ---
  jupyterEmptyToken,
  argoServerAuthModeServer,
  kubernetesDashboardAuthBypass,
  dexDefaultStaticPassword,
  objectStoreDefaultCredentials,
  publishedDefaultCredentials,
  rayDashboardNoAuth,
  mlTrackingServerExposed,
  kfpSingleUserExposed,
  istioAllowAllKubeflowNamespace,
  // --- rbac rules ---
  rbacAnonymousWrite,
  rbacClusterAdminBinding,
  rbacWildcardPermissions,
  rbacPrivilegeEscalationVerbs,
  rbacPodsExec,
  kubeSystemServiceAccountBackdoor,
  pipelineRunServiceAccountOverride,
  kfpRunnerServiceAccountReach,
  pipelinePodTokenAutomount,
  // --- guardrails rules ---
  profileNamespaceMissingResourceQuota,
  profileNamespaceMissingLimitRange,
  profileNamespaceMissingEgressDeny,
  profileNamespaceMissingPodSecurity,
  // --- supply-chain rules ---
  imageFloatingTag,
  imageNotPinnedDigest,
  imageRegistryNotAllowed,
  rayVersionVulnerable,
  // --- workload-security rules ---
  podPrivileged,
  podHostNamespaces,
  podHostPath,
  containerRuntimeSocket,
  containerAddedCapabilities,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
