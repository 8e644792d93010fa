import { nameOf } from '../../core/object.js';
import type { AuditDetection } from '../detection.js';
import { resourceOfEvent } from '../detection.js';
import { possiblyDeletedNote } from '../deleted-collections.js';
import { succeeded } from '../event.js';
import { exposedTypeOf, uiBehindService } from '../ui-services.js';

/** kfguard's `K8S_ExposedKubeflow`: the gateway or an ML UI's Service turned `LoadBalancer`/`NodePort`. */
export const mlUiExposed: AuditDetection = {
  meta: {
    id: 'audit-ml-ui-exposed',
    title: 'Ingress gateway or ML UI Service changed to LoadBalancer or NodePort',
    severity: 'critical',
    category: 'exposure',
    description:
      'A create, update, strategic-merge patch or JSON patch that leaves the Istio ingress gateway, or the Service of a Kubeflow, Argo, Ray, Jupyter or MLflow UI, of type `LoadBalancer` or `NodePort`. A patch is applied to the last state of the Service in the log; without one, the patch body is judged alone and the finding says so.',
    rationale:
      'In the 2020-2021 campaign the Kubeflow ingress gateway was patched to `LoadBalancer`, putting the dashboard on the internet with no login; miners followed. Microsoft Defender raises `K8S_ExposedKubeflow` on this change.',
    remediation: 'Set the Service back to `ClusterIP` (or restrict it with `loadBalancerSourceRanges`), find who changed it and why, and check for workloads created after the change (see the timeline).',
    references: ['https://www.microsoft.com/en-us/security/blog/2021/06/10/cryptojacking-campaign-targets-kubeflow-ml-clusters/', 'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'],
    mitre: ['T1133', 'MS-TA9005'],
  },
  start: () =>
    function* (context) {
      const { event, before, after } = context;
      if (event.objectRef.resource !== 'services' || event.objectRef.subresource || !after || !succeeded(event)) return;
      if (!['create', 'update', 'patch'].includes(event.verb)) return;
      const type = exposedTypeOf(after);
      // A state a deletecollection may have ended is no proof the type was already there.
      if (!type || (before && !context.beforeDeletedBy && exposedTypeOf(before) === type)) return;
      const ui = uiBehindService(after) ?? (before ? uiBehindService(before) : undefined);
      if (!ui) return;
      const gatewayOrKubeflow = /ingress gateway|Kubeflow/.test(ui);
      yield {
        resource: resourceOfEvent(context, 'Service'),
        message: `Service ${nameOf(after) || (event.objectRef.name ?? '')} fronting ${ui} became ${type} by ${event.verb}`,
        severity: gatewayOrKubeflow ? 'critical' : 'high',
        path: 'spec.type',
        discriminator: event.auditID,
        evidence: [
          before ? `before: type ${String((before.spec as { type?: unknown } | undefined)?.type ?? 'ClusterIP')}` : event.verb === 'create' ? 'created with this type' : 'no earlier state of this Service in the log',
          ...(context.afterFromPatchAlone ? ['judged from the patch body alone: the log holds no earlier state of this Service'] : []),
          ...(context.beforeDeletedBy ? [possiblyDeletedNote('the earlier state of this Service', context.beforeDeletedBy)] : []),
        ],
      };
    },
};
