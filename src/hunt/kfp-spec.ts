import yaml from 'js-yaml';
import { asRecord, isK8sObject, type JsonRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { goFieldOf } from '../sources/go-json-fold.js';
import { asGoDecodedWorkflow } from '../sources/kfp-v1.js';
import { recognizeKfpPipelineSpec } from '../sources/recognizers.js';

/**
 * What a KFP pipeline, version or run says it runs, read as the KFP server reads it. A spec that is
 * there but cannot be read is `unread`, with the reason, so the hunt can say the run was not judged:
 * a run listed and silently dropped is the bypass.
 */
export type SpecReading = { readonly object: K8sObject } | { readonly unread: string } | undefined;

const ARGO_KINDS: ReadonlySet<string> = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);
const TOP_FIELDS: ReadonlySet<string> = new Set(['kind', 'apiVersion', 'spec']);

/**
 * A v2beta1 `pipeline_spec`: the IR, the IR wrapped with its platform config, or an Argo Workflow.
 * KFP 2 returns the stored workflow of a run created through v1beta1 as that run's `pipeline_spec`
 * (kubeflow/pipelines backend/src/apiserver/server/api_converter.go, `toApiRun`). The IR is a
 * protobuf message to the server, which ignores fields it does not know, so a stray `kind` does not
 * make it something else.
 */
export function readPipelineSpec(spec: unknown): SpecReading {
  if (spec === undefined || spec === null) return undefined;
  const record = asRecord(spec);
  if (!record) return { unread: 'its pipeline spec is not an object' };
  const workflow = asWorkflow(record);
  if (workflow) return { object: workflow };
  const ir = asRecord(record.pipeline_spec) ?? record;
  const fields: Record<string, unknown> = { ...ir };
  delete fields.kind;
  delete fields.apiVersion;
  const object = recognizeKfpPipelineSpec(fields, {});
  return object ? { object } : { unread: 'its pipeline spec is neither a KFP pipeline (IR) nor an Argo workflow' };
}

/** A v1beta1 workflow or pipeline manifest: JSON or YAML text of an Argo Workflow, or an IR. */
export function readManifest(text: string | undefined): SpecReading {
  if (text === undefined || text === '') return undefined;
  let value: unknown;
  try {
    value = yaml.load(text, { json: true });
  } catch (error) {
    return { unread: `its manifest could not be parsed (${(error as Error).message.split('\n')[0] ?? 'YAML error'})` };
  }
  return readPipelineSpec(value) ?? { unread: 'its manifest is empty' };
}

/**
 * KFP 1.x unmarshals a workflow manifest into Argo's Workflow struct whatever its `kind` says, or
 * without one (Go's encoding/json does not check it): a record with a `spec` and no kind of its own
 * is read as a Workflow too.
 */
function asWorkflow(record: JsonRecord): K8sObject | undefined {
  const decoded = asGoDecodedWorkflow(record);
  if (isK8sObject(decoded) && ARGO_KINDS.has(decoded.kind) && decoded.apiVersion.startsWith('argoproj.io/')) return decoded;
  const named = new Set(Object.keys(record).map((key) => goFieldOf(key, TOP_FIELDS)));
  if (named.has('kind') || named.has('apiVersion') || !named.has('spec')) return undefined;
  const assumed = asGoDecodedWorkflow({ ...record, apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' });
  return isK8sObject(assumed) && assumed.kind === 'Workflow' ? assumed : undefined;
}
