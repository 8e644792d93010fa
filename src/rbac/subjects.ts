import { asRecord, asString } from '../core/object.js';
import { isKnownKubeSystemServiceAccount } from './kube-system-identities.js';

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

/**
 * Kubernetes' own identities (`system:masters`, `system:kube-controller-manager`, and the
 * kube-system service accounts of its controllers and common add-ons, kept as data), which hold
 * broad rights by design. The public groups, the groups of all service accounts
 * (`system:serviceaccounts`, `system:serviceaccounts:<ns>`) and any other kube-system service
 * account (`default`, `tiller`, a freshly created backdoor) are never system: a grant to them
 * reaches ordinary pods or an attacker's token.
 */
export function isKubernetesSystemSubject(subject: Subject): boolean {
  if (isUnauthenticated(subject) || isAllAuthenticated(subject)) return false;
  if (subject.kind === 'ServiceAccount') return isKnownKubeSystemServiceAccountSubject(subject);
  if (subject.kind === 'Group' && /^system:serviceaccounts(?::|$)/.test(subject.name)) return false;
  return subject.name.startsWith('system:');
}

/** A kube-system service account of a known controller or add-on. */
export function isKnownKubeSystemServiceAccountSubject(subject: Subject): boolean {
  return subject.kind === 'ServiceAccount' && subject.namespace === 'kube-system' && isKnownKubeSystemServiceAccount(subject.name);
}

/** A kube-system service account that is none of the known controllers and add-ons. */
export function isUnrecognisedKubeSystemServiceAccount(subject: Subject): boolean {
  return subject.kind === 'ServiceAccount' && subject.namespace === 'kube-system' && !isKnownKubeSystemServiceAccount(subject.name);
}
