import type { AuditDetection } from '../detection.js';
import { succeeded } from '../event.js';

/** `exec` or `attach` into a pipeline, notebook, training or Ray pod. */
export const execIntoMlPod: AuditDetection = {
  meta: {
    id: 'audit-exec-into-ml-pod',
    title: 'exec or attach into a pipeline, notebook or Ray pod',
    severity: 'high',
    category: 'workload-security',
    description:
      '`kubectl exec` or `attach` into a pod the log showed being created as a pipeline step, notebook, training job or Ray node. Into a pod whose creation is not in the log it is reported at `low`, saying so.',
    rationale: 'These pods hold the pipeline runner\'s or the notebook user\'s token and often cloud credentials; an interactive shell in one is how miners are started by hand and how credentials are taken.',
    remediation: 'Confirm the session with the user in the timeline; if unexpected, revoke their access and check the pod for started processes.',
    references: ['https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/'],
    mitre: ['T1609'],
  },
  start: () =>
    function* (context) {
      const { event, podRoles } = context;
      const sub = event.objectRef.subresource;
      if (event.objectRef.resource !== 'pods' || (sub !== 'exec' && sub !== 'attach') || !succeeded(event)) return;
      const role = podRoles.roleOf(event.objectRef.namespace, event.objectRef.name);
      const command = new URLSearchParams((event.requestURI ?? '').split('?')[1] ?? '').getAll('command').join(' ');
      yield {
        resource: { apiVersion: 'v1', kind: 'Pod', ...(event.objectRef.namespace ? { namespace: event.objectRef.namespace } : {}), name: event.objectRef.name ?? '' },
        message: role ? `${sub} into ${role} pod ${event.objectRef.name ?? ''} by ${event.user}` : `${sub} into pod ${event.objectRef.name ?? ''} by ${event.user} (its creation is not in the log, so its role is unknown)`,
        severity: role ? 'high' : 'low',
        discriminator: event.auditID,
        ...(command ? { evidence: [`command: ${command.slice(0, 200)}`] } : {}),
      };
    },
};
