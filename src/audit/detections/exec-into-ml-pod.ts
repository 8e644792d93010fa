import { redactCredentialAssignments, redactUrlCredentials } from '../../core/redact.js';
import type { AuditDetection } from '../detection.js';
import { possiblyDeletedNote } from '../deleted-collections.js';
import { succeeded } from '../event.js';
import { podRoleFromName } from '../pod-names.js';

/** `exec` or `attach` into a pipeline, notebook, training or Ray pod. */
export const execIntoMlPod: AuditDetection = {
  meta: {
    id: 'audit-exec-into-ml-pod',
    title: 'exec or attach into a pipeline, notebook or Ray pod',
    severity: 'high',
    category: 'workload-security',
    description:
      '`kubectl exec`, `attach` or `debug` (an ephemeral container) into a pod the log showed being created as a pipeline step, notebook, training job or Ray node. Into a pod whose creation is not in the log, its role is read from its name and namespace (KubeRay head and worker names, a notebook StatefulSet\'s `NAME-0` outside the platform\'s namespaces, Argo and KFP step pod names) at `medium`, saying so; otherwise it is `low`.',
    rationale: 'These pods hold the pipeline runner\'s or the notebook user\'s token and often cloud credentials; an interactive shell in one is how miners are started by hand and how credentials are taken.',
    remediation: 'Confirm the session with the user in the timeline; if unexpected, revoke their access and check the pod for started processes.',
    references: ['https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/'],
    mitre: ['T1609'],
  },
  start: () =>
    function* (context) {
      const { event, podRoles } = context;
      const sub = event.objectRef.subresource;
      if (event.objectRef.resource !== 'pods' || !succeeded(event)) return;
      // `kubectl debug` adds an ephemeral container to the pod: a shell in it as much as exec.
      const debug = sub === 'ephemeralcontainers' && ['patch', 'update'].includes(event.verb);
      if (sub !== 'exec' && sub !== 'attach' && !debug) return;
      const access = debug ? 'debug container (pods/ephemeralcontainers)' : (sub as string);
      const role = podRoles.roleOf(event.objectRef.namespace, event.objectRef.name);
      const named = role ? undefined : podRoleFromName(event.objectRef.namespace, event.objectRef.name);
      const command = new URLSearchParams((event.requestURI ?? '').split('?')[1] ?? '').getAll('command').join(' ');
      const deletedBy = role ? podRoles.deletedBy(event.objectRef.namespace, event.objectRef.name) : undefined;
      // The command is what was typed: `mysql --password=…`, `AWS_SECRET_ACCESS_KEY=… aws s3 cp`.
      const evidence = [...(command ? [`command: ${redactUrlCredentials(redactCredentialAssignments(command)).slice(0, 200)}`] : []), ...(deletedBy ? [possiblyDeletedNote('its role', deletedBy)] : [])];
      yield {
        resource: { apiVersion: 'v1', kind: 'Pod', ...(event.objectRef.namespace ? { namespace: event.objectRef.namespace } : {}), name: event.objectRef.name ?? '' },
        message: role
          ? `${access} into ${role} pod ${event.objectRef.name ?? ''} by ${event.user}`
          : named
            ? `${access} into pod ${event.objectRef.name ?? ''} by ${event.user}, a ${named} pod by its name (its creation is not in the log)`
            : `${access} into pod ${event.objectRef.name ?? ''} by ${event.user} (its creation is not in the log, so its role is unknown)`,
        severity: role ? 'high' : named ? 'medium' : 'low',
        discriminator: event.auditID,
        ...(evidence.length > 0 ? { evidence } : {}),
      };
    },
};
