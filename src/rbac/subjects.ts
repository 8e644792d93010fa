import { asRecord, asString } from '../core/object.js';

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** An RBAC subject. A ServiceAccount without a namespace could not be resolved. */
export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly namespace?: string;
}

/** Identities any client reaches the API as: no credentials at all, or any valid token in the cluster. */
export const UNAUTHENTICATED_SUBJECTS: readonly Subject[] = [
  { kind: 'User', name: 'system:anonymous' },
  { kind: 'Group', name: 'system:unauthenticated' },
];
export const ALL_AUTHENTICATED_GROUP: Subject = { kind: 'Group', name: 'system:authenticated' };

/**
 * Reads a binding's subject. A ServiceAccount subject of a RoleBinding without a namespace is
 * taken to live in the binding's namespace, as the API server does.
 */
export function readSubject(raw: unknown, bindingNamespace: string | undefined): Subject | undefined {
  const record = asRecord(raw);
  const kind = asString(record?.kind);
  const name = asString(record?.name);
  if (!name || (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount')) return undefined;
  const namespace = asString(record?.namespace) ?? (kind === 'ServiceAccount' ? bindingNamespace : undefined);
  return namespace === undefined || kind !== 'ServiceAccount' ? { kind, name } : { kind, name, namespace };
}

/** `User alice`, `Group system:authenticated`, `ServiceAccount kubeflow/pipeline-runner`. */
export function describeSubject(subject: Subject): string {
  // A namespace-less manifest lands in whatever namespace it is applied to.
  const name = subject.kind === 'ServiceAccount' ? `${subject.namespace || '(default)'}/${subject.name}` : subject.name;
  return `${subject.kind} ${name}`;
}

export function sameSubject(a: Subject, b: Subject): boolean {
  return a.kind === b.kind && a.name === b.name && (a.kind !== 'ServiceAccount' || a.namespace === b.namespace);
}

export function isUnauthenticated(subject: Subject): boolean {
  return UNAUTHENTICATED_SUBJECTS.some((s) => sameSubject(s, subject));
}

export function isAllAuthenticated(subject: Subject): boolean {
  return sameSubject(ALL_AUTHENTICATED_GROUP, subject);
}

/** Service accounts that Helm 2 and similar installers added to kube-system with cluster-admin: a known risk, not the control plane. */
const KUBE_SYSTEM_ADD_ONS = new Set(['tiller', 'default', 'kubernetes-dashboard', 'dashboard']);

/**
 * Kubernetes' own identities (`system:masters`, `system:kube-controller-manager`, kube-system
 * controller service accounts), which hold broad rights by design. The public groups, the
 * groups of all service accounts (`system:serviceaccounts`, `system:serviceaccounts:<ns>`) and
 * add-ons installed into kube-system are never system: a grant to them reaches ordinary pods.
 */
export function isKubernetesSystemSubject(subject: Subject): boolean {
  if (isUnauthenticated(subject) || isAllAuthenticated(subject)) return false;
  if (subject.kind === 'ServiceAccount') return subject.namespace === 'kube-system' && !KUBE_SYSTEM_ADD_ONS.has(subject.name);
  if (subject.kind === 'Group' && /^system:serviceaccounts(?::|$)/.test(subject.name)) return false;
  return subject.name.startsWith('system:');
}
