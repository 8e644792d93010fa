import { asRecord, asString } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';
import type { AuditDetection } from '../detection.js';
import { resourceOfEvent } from '../detection.js';
import { succeeded } from '../event.js';

const actionOf = (policy: K8sObject | undefined): string => asString(asRecord(policy?.spec)?.action) ?? 'ALLOW';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The oauth2-proxy CUSTOM AuthorizationPolicy or a RequestAuthentication deleted or changed. */
export const authChainRemoved: AuditDetection = {
  meta: {
    id: 'audit-auth-chain-removed',
    title: 'Istio authentication chain removed or changed',
    severity: 'high',
    category: 'authentication',
    description:
      'A delete or change of an Istio `AuthorizationPolicy` with `action: CUSTOM` (the oauth2-proxy or Dex check in front of Kubeflow), or of a `RequestAuthentication` (the JWT check). The change is compared with the policy\'s last state in the log; a delete whose earlier state the log does not hold is still reported, at lower severity.',
    rationale: 'Kubeflow\'s login is these two objects. Deleting or rewriting them leaves every UI behind the gateway open while the gateway still looks the same.',
    remediation: 'Restore the policy from your manifests (`kubectl apply -k` the auth component), then review what was created while it was gone (see the timeline).',
    references: ['https://istio.io/latest/docs/reference/config/security/authorization-policy/', 'https://github.com/kubeflow/manifests/tree/master/common/oauth2-proxy'],
    mitre: ['T1556', 'T1562.001'],
  },
  start: () =>
    function* (context) {
      const { event, before, after } = context;
      const resource = event.objectRef.resource;
      if ((resource !== 'authorizationpolicies' && resource !== 'requestauthentications') || !succeeded(event)) return;
      if (!['update', 'patch', 'delete'].includes(event.verb)) return;
      const kind = resource === 'authorizationpolicies' ? 'AuthorizationPolicy' : 'RequestAuthentication';
      const ref = resourceOfEvent(context, kind);
      if (kind === 'AuthorizationPolicy') {
        if (before && actionOf(before) !== 'CUSTOM') return;
        if (event.verb === 'delete') {
          yield before
            ? { resource: ref, message: `CUSTOM AuthorizationPolicy ${ref.name} deleted: the external login check is gone`, severity: 'critical', discriminator: event.auditID }
            : { resource: ref, message: `AuthorizationPolicy ${ref.name} deleted; the log holds no earlier state to show whether it was the CUSTOM login check`, severity: 'medium', discriminator: event.auditID };
          return;
        }
        if (!before || !after) return;
        if (actionOf(after) !== 'CUSTOM') yield { resource: ref, message: `CUSTOM AuthorizationPolicy ${ref.name} changed to action ${actionOf(after)}: the external login check is gone`, severity: 'critical', path: 'spec.action', discriminator: event.auditID };
        else if (!same(before.spec, after.spec)) yield { resource: ref, message: `CUSTOM AuthorizationPolicy ${ref.name} changed (selector, provider or rules)`, severity: 'high', path: 'spec', discriminator: event.auditID, evidence: changedKeys(before, after) };
        return;
      }
      if (event.verb === 'delete') yield { resource: ref, message: `RequestAuthentication ${ref.name} deleted: JWTs are no longer checked there`, severity: before ? 'high' : 'medium', discriminator: event.auditID };
      else if (before && after && !same(before.spec, after.spec)) yield { resource: ref, message: `RequestAuthentication ${ref.name} changed`, severity: 'medium', path: 'spec', discriminator: event.auditID, evidence: changedKeys(before, after) };
    },
};

function changedKeys(before: K8sObject, after: K8sObject): string[] {
  const a = asRecord(before.spec) ?? {};
  const b = asRecord(after.spec) ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !same(a[key], b[key]));
  return keys.length > 0 ? [`changed: ${keys.map((key) => `spec.${key}`).join(', ')}`] : [];
}
