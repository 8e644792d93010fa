import { asString, isRecord } from '../core/object.js';
import { foldGoJsonKeys, goFieldOf, type GoFields } from './go-json-fold.js';

/**
 * KFP v1 pipeline packages are Argo workflows, which KFP (and the Argo CLI) decode into Go structs
 * with `encoding/json`: keys match fields case-insensitively (`go-json-fold.ts`). These are the
 * json names of the fields of Argo's Workflow and template structs and of the Kubernetes pod and
 * container structs that kfguard's rules read; a key folding to one of them is read as that field.
 * https://argo-workflows.readthedocs.io/en/latest/fields/
 * https://pkg.go.dev/k8s.io/api/core/v1#Container
 */
const FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'annotations', 'labels', 'spec', 'workflowSpec',
  'entrypoint', 'templates', 'templateDefaults', 'arguments', 'parameters', 'value', 'default', 'inputs', 'outputs', 'artifacts', 'raw', 'data',
  'container', 'script', 'source', 'containerSet', 'containers', 'initContainers', 'sidecars', 'steps', 'dag', 'tasks', 'template',
  'resource', 'action', 'manifest', 'podSpecPatch', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'env', 'envFrom', 'valueFrom',
  'securityContext', 'privileged', 'allowPrivilegeEscalation', 'capabilities', 'add', 'runAsUser', 'runAsNonRoot', 'readOnlyRootFilesystem',
  'hostNetwork', 'hostPID', 'hostIPC', 'volumes', 'volumeMounts', 'hostPath', 'path', 'mountPath', 'serviceAccountName', 'automountServiceAccountToken',
  'nodeSelector', 'tolerations', 'resources', 'limits', 'requests', 'ports', 'lifecycle', 'postStart', 'preStop', 'exec',
  'livenessProbe', 'readinessProbe', 'startupProbe',
]);
/** Go maps (`map[string]string`, resource lists): their keys are data, not fields. */
const OPAQUE = new Set(['annotations', 'labels', 'nodeSelector', 'limits', 'requests']);
const ARGO_FIELDS: GoFields = { fields: FIELDS, opaque: OPAQUE };
const ARGO_WORKFLOW_KINDS = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);

/**
 * An Argo workflow document as KFP v1 and the Argo CLI decode it; any other document unchanged.
 * The kind and apiVersion are themselves found case-insensitively (`Kind: Workflow` is a workflow).
 */
export function asGoDecodedWorkflow(value: unknown): unknown {
  if (!isRecord(value)) return value;
  let kind: string | undefined;
  let apiVersion: string | undefined;
  for (const [key, field] of Object.entries(value)) {
    const name = goFieldOf(key, FIELDS);
    if (name === 'kind') kind = asString(field) ?? kind;
    else if (name === 'apiVersion') apiVersion = asString(field) ?? apiVersion;
  }
  if (!kind || !ARGO_WORKFLOW_KINDS.has(kind) || !apiVersion?.startsWith('argoproj.io/')) return value;
  return foldGoJsonKeys(value, ARGO_FIELDS);
}
