import { asArray, asRecord, asString } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';
import type { AuditDetection, EventContext } from '../detection.js';
import { resourceOfEvent } from '../detection.js';
import { possiblyDeletedNote } from '../deleted-collections.js';
import { isAnonymous, succeeded } from '../event.js';

const ANONYMOUS_SUBJECTS = new Set(['User/system:anonymous', 'Group/system:unauthenticated']);

function bindingWritten(context: EventContext): K8sObject | undefined {
  const { event, after } = context;
  if (event.objectRef.resource !== 'rolebindings' && event.objectRef.resource !== 'clusterrolebindings') return undefined;
  if (!['create', 'update', 'patch'].includes(event.verb) || !succeeded(event)) return undefined;
  return after;
}

const subjectsOf = (binding: K8sObject): string[] => asArray(binding.subjects).map((s) => `${asString(asRecord(s)?.kind) ?? ''}/${asString(asRecord(s)?.name) ?? ''}`);
const roleOf = (binding: K8sObject): string => `${asString(asRecord(binding.roleRef)?.kind) ?? 'Role'}/${asString(asRecord(binding.roleRef)?.name) ?? ''}`;
const kindOf = (context: EventContext): string => (context.event.objectRef.resource === 'clusterrolebindings' ? 'ClusterRoleBinding' : 'RoleBinding');

/** GuardDuty's `AnonymousAccessGranted`: a binding that gives anonymous users anything. */
export const rbacGrantsAnonymous: AuditDetection = {
  meta: {
    id: 'audit-rbac-grants-anonymous',
    title: 'RBAC binding grants anonymous users access',
    severity: 'critical',
    category: 'rbac',
    description: 'A RoleBinding or ClusterRoleBinding created, updated or patched so that its subjects include the user `system:anonymous` or the group `system:unauthenticated`.',
    rationale: 'Any request without credentials then gets the role: in the RBAC Buster campaign attackers made such bindings to keep a way back in.',
    remediation: 'Delete the binding (or remove the anonymous subject), then review every request anonymous users made afterwards (`audit-anonymous-request-allowed` findings and the timeline).',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects', 'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-types-kubernetes.html'],
    mitre: ['T1098', 'T1078.001'],
  },
  start: () =>
    function* (context) {
      const binding = bindingWritten(context);
      if (!binding) return;
      const anonymous = subjectsOf(binding).filter((s) => ANONYMOUS_SUBJECTS.has(s));
      if (anonymous.length === 0) return;
      const role = roleOf(binding);
      yield {
        resource: resourceOfEvent(context, kindOf(context)),
        message: `${kindOf(context)} grants ${role} to ${anonymous.join(' and ')}`,
        path: 'subjects',
        discriminator: context.event.auditID,
        severity: kindOf(context) === 'ClusterRoleBinding' || role === 'ClusterRole/cluster-admin' ? 'critical' : 'high',
      };
    },
};

/** A binding to `cluster-admin`, the role that can do anything. */
export const clusterAdminBinding: AuditDetection = {
  meta: {
    id: 'audit-cluster-admin-binding',
    title: 'Binding to cluster-admin created or changed',
    severity: 'high',
    category: 'rbac',
    description: 'A ClusterRoleBinding or RoleBinding to the `cluster-admin` ClusterRole created, updated or patched. Critical when made by an anonymous user or when it names an anonymous subject.',
    rationale: 'Attackers who get in through an exposed UI bind their service account to `cluster-admin` to stay; a legitimate one is rare enough to check every time.',
    remediation: 'Confirm the binding with its owner; delete it if nobody asked for it and rotate the credentials of its subjects.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
    mitre: ['T1098', 'T1078'],
  },
  start: () =>
    function* (context) {
      const binding = bindingWritten(context);
      if (!binding || roleOf(binding) !== 'ClusterRole/cluster-admin') return;
      // Unchanged is not judged again, unless a deletecollection may have ended the state it is compared with.
      const unchanged = context.before && roleOf(context.before) === 'ClusterRole/cluster-admin' && JSON.stringify(context.before.subjects) === JSON.stringify(binding.subjects);
      if (unchanged && !context.beforeDeletedBy) return;
      const subjects = subjectsOf(binding);
      const anonymous = isAnonymous(context.event) || subjects.some((s) => ANONYMOUS_SUBJECTS.has(s));
      yield {
        resource: resourceOfEvent(context, kindOf(context)),
        message: `${kindOf(context)} gives cluster-admin to ${subjects.join(', ') || 'no subject yet'}`,
        path: 'roleRef',
        discriminator: context.event.auditID,
        severity: anonymous ? 'critical' : 'high',
        ...(context.beforeDeletedBy ? { evidence: [possiblyDeletedNote(`the binding's earlier state${unchanged ? ' (the same subjects)' : ''}`, context.beforeDeletedBy)] } : {}),
      };
    },
};
