import type { KindMatch } from '../../core/rule.js';
import type { SourceKind } from '../../core/types.js';

export const ROLE_KINDS: readonly KindMatch[] = [{ apiGroups: ['rbac.authorization.k8s.io'], kinds: ['Role', 'ClusterRole'] }];
export const BINDING_KINDS: readonly KindMatch[] = [
  { apiGroups: ['rbac.authorization.k8s.io'], kinds: ['RoleBinding', 'ClusterRoleBinding'] },
];
export const RBAC_SOURCES: readonly SourceKind[] = ['manifest', 'cluster', 'admission'];

export const RBAC_DOCS = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';
export const RBAC_GOOD_PRACTICES = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
export const THREAT_MATRIX = 'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/';
