import { asRecord, asString } from '../../core/object.js';
import type { AuditDetection } from '../detection.js';
import { resourceOfEvent } from '../detection.js';
import { isAnonymous, succeeded } from '../event.js';

/**
 * The owner the Kubeflow dashboard writes when no login put a user header on the request.
 * https://github.com/kubeflow/kubeflow/blob/master/components/centraldashboard/app/attach_user_middleware.ts
 */
const ANONYMOUS_OWNERS = new Set(['', 'anonymous', 'anonymous@kubeflow.org', 'system:anonymous']);

/** Profiles or namespaces created by an anonymous identity, directly or through the dashboard. */
export const anonymousProfile: AuditDetection = {
  meta: {
    id: 'audit-anonymous-profile',
    title: 'Profile or namespace created by an anonymous identity',
    severity: 'high',
    category: 'authentication',
    description: 'A Kubeflow Profile or a Namespace created by `system:anonymous`, or a Profile whose owner is empty or the dashboard\'s anonymous user (registration through a dashboard with no login in front).',
    rationale: 'A profile namespace gives its owner the right to run pipelines and notebooks; made anonymously, it is a foothold anyone on the network can use.',
    remediation: 'Delete the profile and its namespace if nobody owns it, and put authentication in front of the dashboard (oauth2-proxy or Dex).',
    references: ['https://www.kubeflow.org/docs/components/central-dash/profiles/'],
    mitre: ['T1136', 'T1190'],
  },
  start: () =>
    function* (context) {
      const { event, after } = context;
      const resource = event.objectRef.resource;
      if (event.verb !== 'create' || (resource !== 'profiles' && resource !== 'namespaces') || !succeeded(event)) return;
      const kind = resource === 'profiles' ? 'Profile' : 'Namespace';
      const ref = resourceOfEvent(context, kind);
      // A create is often logged without objectRef.name; resourceOfEvent takes it from the request object.
      const name = ref.name || '(name not logged)';
      if (isAnonymous(event)) {
        yield { resource: ref, message: `${kind} ${name} created by ${event.user}`, severity: 'critical', discriminator: event.auditID };
        return;
      }
      if (kind !== 'Profile' || !after) return;
      const owner = asRecord(asRecord(after.spec)?.owner);
      const ownerName = asString(owner?.name) ?? '';
      if (!ANONYMOUS_OWNERS.has(ownerName)) return;
      yield { resource: ref, message: `Profile ${name} created for ${ownerName === '' ? 'no owner' : `the anonymous owner "${ownerName}"`} (by ${event.user})`, path: 'spec.owner.name', discriminator: event.auditID };
    },
};
