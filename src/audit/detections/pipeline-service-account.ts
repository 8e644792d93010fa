import { asRecord, asString, nameOf } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';
import type { AuditDetection } from '../detection.js';
import { resourceOfEvent } from '../detection.js';
import { succeeded } from '../event.js';
import { podRoleOf } from '../pod-roles.js';
import { serviceAccountSettingsOf, workflowSpecOf } from '../../platforms/workflow-service-accounts.js';

/** The service account a pipeline pod or workflow runs as; Kubernetes falls back to `default`. */
function serviceAccountOf(object: K8sObject): string {
  const spec = asRecord(object.spec);
  return asString(spec?.serviceAccountName) ?? asString(spec?.serviceAccount) ?? 'default';
}

/**
 * Pipeline runs whose pods use another service account than the namespace's pipeline runner
 * (kubeflow/pipelines#14357: a run's `service_account` is taken from the request, so anyone who can
 * submit a run can borrow any service account in the namespace).
 */
export const pipelineServiceAccount: AuditDetection = {
  meta: {
    id: 'audit-pipeline-service-account',
    title: 'Pipeline run uses a service account other than the pipeline runner',
    severity: 'high',
    category: 'rbac',
    description:
      'A pipeline pod (labelled by Argo or Kubeflow Pipelines) or an Argo Workflow created by the Kubeflow Pipelines API server, whose service account is not one of the pipeline runners (`pipeline-runner`, `default-editor`; set with `--runner-service-account`).',
    rationale: 'The Pipelines API lets a run name its service account (kubeflow/pipelines#14357), so a run can act with whatever that account may do, in the cluster or in the cloud it federates to.',
    remediation: 'Find who submitted the run (the timeline), delete it if unexpected, and restrict which service accounts runs may use (an admission policy on Workflows and pipeline pods).',
    references: ['https://github.com/kubeflow/pipelines/issues/14357', 'https://www.kubeflow.org/docs/components/pipelines/operator-guides/multi-user/'],
    mitre: ['T1078.004', 'T1610'],
  },
  start: (settings) =>
    function* (context) {
      const { event, after } = context;
      if (event.verb !== 'create' || !after || !succeeded(event) || event.objectRef.subresource) return;
      const pod = event.objectRef.resource === 'pods' && podRoleOf(after) === 'pipeline';
      const workflow = event.objectRef.resource === 'workflows' && /:ml-pipeline$/.test(event.user);
      if (!pod && !workflow) return;
      const name = nameOf(after) || (event.objectRef.name ?? '');
      const runners = settings.runnerServiceAccounts.join(', ');
      for (const setting of pod ? [{ name: serviceAccountOf(after), path: 'spec.serviceAccountName', what: '' }] : workflowAccounts(after)) {
        if (setting.name !== undefined && settings.runnerServiceAccounts.includes(setting.name)) continue;
        const account = setting.name === undefined ? 'an account chosen at run time' : `service account "${setting.name}"`;
        yield {
          resource: resourceOfEvent(context, pod ? 'Pod' : 'Workflow'),
          message: pod
            ? `pipeline pod ${name} runs as ${account}, not a pipeline runner (${runners})`
            : `pipeline run (Workflow) ${name} runs ${setting.what ? `pods of its ${setting.what}` : 'its pods'} as ${account}, not a pipeline runner (${runners})`,
          path: setting.path,
          discriminator: `${event.auditID}:${setting.path}`,
        };
      }
    },
};

/**
 * Every account a Workflow's pods can run as: the workflow level (Kubernetes' `default` when unset)
 * and each setting Argo lets override it per template, executor or pod spec patch, the ones KFP's
 * run authorization never read (kubeflow/pipelines#14357). The scan rule lists the same settings.
 */
function workflowAccounts(workflow: K8sObject): { name?: string; path: string; what: string }[] {
  const found = workflowSpecOf(workflow);
  const listed = found ? serviceAccountSettingsOf(found.spec, found.path) : [];
  const accounts = listed.map((s) => ({ ...(s.name !== undefined ? { name: s.name } : {}), path: s.path, what: s.workflowLevel ? '' : s.what }));
  if (!listed.some((s) => s.workflowLevel)) accounts.unshift({ name: 'default', path: 'spec.serviceAccountName', what: '' });
  return accounts;
}
