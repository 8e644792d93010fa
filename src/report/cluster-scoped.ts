/**
 * Kinds the API server keeps outside namespaces. A manifest cannot tell us this (a missing
 * `namespace` usually just means "the current one"), so the well-known kinds are listed.
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterPolicy',
  'ClusterPolicyReport',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterServingRuntime',
  'ClusterStorageContainer',
  'ClusterTrainingRuntime',
  'ClusterWorkflowTemplate',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'Profile',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}
