import { redactQueryCredentials } from '../../core/redact.js';
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
      'A request by `system:anonymous` (or in the `system:unauthenticated` group) that the API server allowed, other than the discovery and health endpoints every cluster opens. Writes and reads of Secrets (`get`, `list`, `watch`) are critical; other reads medium. Repeats of the same request on the same resource are one finding, counted.',
    rationale:
      'Anonymous writes are how RBAC Buster and Dero miners entered clusters; AWS GuardDuty raises `Policy:Kubernetes/AnonymousAccessGranted` on the grant that allows them. An anonymous read of Secrets is credential theft under way, not a misconfiguration waiting to be found: the reader now holds service-account tokens, registry and cloud keys (GuardDuty `CredentialAccess:Kubernetes/SuccessfulAnonymousAccess`; MITRE T1552.007, the Kubernetes threat matrix\'s "List K8S secrets").',
    remediation: 'Find the binding that grants `system:anonymous` or `system:unauthenticated` (see `audit-rbac-grants-anonymous` and `kfguard scan --cluster`), remove it, and consider `--anonymous-auth=false` on the API server.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
      'https://www.aquasec.com/blog/leveraging-kubernetes-rbac-to-backdoor-clusters/',
      'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty-finding-types-eks-audit-logs.html#credentialaccess-kubernetes-successfulanonymousaccess',
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/List%20K8S%20secrets/',
    ],
    mitre: ['T1078.001', 'T1190', 'T1552.007'],
  },
  start: () =>
    function* (context) {
      const { event } = context;
      if (!isAnonymous(event) || !succeeded(event)) return;
      const ref = event.objectRef;
      if (!ref.resource && PUBLIC_PATHS.test(event.requestURI ?? '/')) return;
      const writes = !['get', 'list', 'watch'].includes(event.verb);
      // A non-resource URL is the finding's name and message too: every place it shows is masked.
      const uri = event.requestURI === undefined ? undefined : redactQueryCredentials(event.requestURI);
      // A Secret read without credentials has already handed over what it holds: as grave as a write.
      const secrets = ref.resource === 'secrets' && !ref.subresource;
      const resource = ref.resource ? (ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource) : (uri ?? '');
      yield {
        resource: { apiVersion: ref.apiGroup ? `${ref.apiGroup}/${ref.apiVersion ?? ''}` : (ref.apiVersion ?? 'v1'), kind: ref.resource || 'NonResourceURL', ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name ?? (ref.resource ? '*' : (uri ?? '')) },
        message: `${event.user} was allowed to ${event.verb} ${resource}${ref.namespace ? ` in ${ref.namespace}` : ''}`,
        severity: writes || secrets ? 'critical' : 'medium',
        discriminator: `${event.user}\u0000${event.verb}\u0000${resource}`,
        evidence: [
          // A proxied request's query may carry the proxied app's login (a Jupyter `?token=`).
          ...(event.requestURI ? [`request ${redactQueryCredentials(event.requestURI.slice(0, 300))}`] : []),
          ...(secrets && !writes ? ['Secrets read without credentials: credential access (GuardDuty CredentialAccess:Kubernetes/SuccessfulAnonymousAccess); rotate what they held'] : []),
        ],
      };
    },
};
