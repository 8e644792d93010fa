import type { AuditDetection } from '../detection.js';
import { isAnonymous, succeeded } from '../event.js';

/** Reads anyone may make: discovery and health, granted by the default `system:public-info-viewer` and `system:discovery` roles. */
const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version|api|apis|openapi)(\/|$|\?)/;

/** Requests the API server allowed for `system:anonymous` or the `system:unauthenticated` group. */
export const anonymousRequestAllowed: AuditDetection = {
  meta: {
    id: 'audit-anonymous-request-allowed',
    title: 'API request allowed without authentication',
    severity: 'high',
    category: 'authentication',
    description:
      'A request by `system:anonymous` (or in the `system:unauthenticated` group) that the API server allowed, other than the discovery and health endpoints every cluster opens. Writes are critical; reads of Secrets high; other reads medium. Repeats of the same request on the same resource are one finding, counted.',
    rationale: 'Anonymous writes are how RBAC Buster and Dero miners entered clusters; AWS GuardDuty raises `Policy:Kubernetes/AnonymousAccessGranted` on the grant that allows them.',
    remediation: 'Find the binding that grants `system:anonymous` or `system:unauthenticated` (see `audit-rbac-grants-anonymous` and `kfguard scan --cluster`), remove it, and consider `--anonymous-auth=false` on the API server.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests', 'https://www.aquasec.com/blog/leveraging-kubernetes-rbac-to-backdoor-clusters/'],
    mitre: ['T1078.001', 'T1190'],
  },
  start: () =>
    function* (context) {
      const { event } = context;
      if (!isAnonymous(event) || !succeeded(event)) return;
      const ref = event.objectRef;
      if (!ref.resource && PUBLIC_PATHS.test(event.requestURI ?? '/')) return;
      const writes = !['get', 'list', 'watch'].includes(event.verb);
      const secrets = ref.resource === 'secrets';
      const resource = ref.resource ? (ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource) : (event.requestURI ?? '');
      yield {
        resource: { apiVersion: ref.apiGroup ? `${ref.apiGroup}/${ref.apiVersion ?? ''}` : (ref.apiVersion ?? 'v1'), kind: ref.resource || 'NonResourceURL', ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name ?? (ref.resource ? '*' : (event.requestURI ?? '')) },
        message: `${event.user} was allowed to ${event.verb} ${resource}${ref.namespace ? ` in ${ref.namespace}` : ''}`,
        severity: writes ? 'critical' : secrets ? 'high' : 'medium',
        discriminator: `${event.user}\u0000${event.verb}\u0000${resource}`,
        ...(event.requestURI ? { evidence: [`request ${event.requestURI.slice(0, 300)}`] } : {}),
      };
    },
};
