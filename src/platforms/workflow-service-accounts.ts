import yaml from 'js-yaml';
import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';

/** One place an Argo workflow names the service account some of its pods run as. */
export interface ServiceAccountSetting {
  /** The account, or undefined when it is computed at run time (a `{{…}}` expression). */
  readonly name?: string;
  readonly path: string;
  /** `spec.serviceAccountName` itself: the one setting KFP's run authorization reads. */
  readonly workflowLevel: boolean;
  readonly what: string;
}

/** A podSpecPatch is a few lines; anything far larger is not parsed but still reported. */
const MAX_PATCH_CHARS = 64 * 1024;

/** Where the kind keeps the workflow spec its pods are made from. */
export function workflowSpecOf(object: K8sObject): { readonly spec: JsonRecord; readonly path: string } | undefined {
  const spec = asRecord(object.spec);
  if (!spec) return undefined;
  switch (object.kind) {
    case 'Workflow':
    case 'WorkflowTemplate':
    case 'ClusterWorkflowTemplate':
      return { spec, path: 'spec' };
    case 'CronWorkflow': {
      const inner = asRecord(spec.workflowSpec);
      return inner ? { spec: inner, path: 'spec.workflowSpec' } : undefined;
    }
    case 'ScheduledWorkflow': {
      const inner = asRecord(asRecord(spec.workflow)?.spec);
      return inner ? { spec: inner, path: 'spec.workflow.spec' } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Every service account a workflow's pods can run as. Argo lets several settings override the
 * workflow-level `serviceAccountName`: template defaults, each template (inline ones in steps and
 * DAG tasks included), executors, artifact garbage collection and pod spec patches. KFP's run
 * authorization read only the workflow level (kubeflow/pipelines#14357), so each is listed.
 * https://argo-workflows.readthedocs.io/en/latest/fields/
 */
export function serviceAccountSettingsOf(spec: JsonRecord, base: string): ServiceAccountSetting[] {
  const found: ServiceAccountSetting[] = [];
  const direct = (record: JsonRecord | undefined, path: string, what: string, workflowLevel = false): void => {
    for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
      const value = record?.[field];
      if (typeof value !== 'string' || value === '') continue;
      found.push({ ...(value.includes('{{') ? {} : { name: value }), path: joinPath(path, field), workflowLevel, what });
    }
  };
  const patch = (record: JsonRecord | undefined, path: string, what: string): void => {
    const text = asString(record?.podSpecPatch);
    if (text === undefined || !/serviceAccount/.test(text)) return;
    const patchPath = joinPath(path, 'podSpecPatch');
    const parsed = text.length <= MAX_PATCH_CHARS && !text.includes('{{') ? parsePatch(text) : undefined;
    const names = parsed ? [asString(parsed.serviceAccountName), asString(parsed.serviceAccount)].filter((n): n is string => !!n) : [];
    // Unreadable or templated: the account is decided at run time, which is itself the finding.
    if (names.length === 0) found.push({ path: patchPath, workflowLevel: false, what: `${what} pod spec patch` });
    for (const name of names) found.push({ name, path: patchPath, workflowLevel: false, what: `${what} pod spec patch` });
  };
  const executor = (record: JsonRecord | undefined, path: string, what: string): void => {
    direct(asRecord(record?.executor), joinPath(path, 'executor'), `${what} executor`);
    direct(asRecord(record?.artifactGC), joinPath(path, 'artifactGC'), `${what} artifact GC`);
  };
  const template = (record: JsonRecord | undefined, path: string, depth: number): void => {
    if (!record || depth > 8) return;
    const name = asString(record.name);
    const what = name ? `template ${name}` : 'inline template';
    direct(record, path, what);
    executor(record, path, what);
    patch(record, path, what);
    asArray(record.steps).forEach((group, i) =>
      asArray(group).forEach((step, j) => template(asRecord(asRecord(step)?.inline), joinPath(path, 'steps', i, j, 'inline'), depth + 1)),
    );
    asArray(asRecord(record.dag)?.tasks).forEach((task, i) => template(asRecord(asRecord(task)?.inline), joinPath(path, 'dag', 'tasks', i, 'inline'), depth + 1));
  };

  direct(spec, base, 'workflow', true);
  executor(spec, base, 'workflow');
  patch(spec, base, 'workflow');
  const defaults = asRecord(spec.templateDefaults);
  direct(defaults, joinPath(base, 'templateDefaults'), 'template defaults');
  patch(defaults, joinPath(base, 'templateDefaults'), 'template defaults');
  asArray(spec.templates).forEach((raw, i) => template(asRecord(raw), joinPath(base, 'templates', i), 0));
  return found;
}

function parsePatch(text: string): JsonRecord | undefined {
  try {
    return asRecord(yaml.load(text, { schema: yaml.JSON_SCHEMA, json: true }));
  } catch {
    return undefined;
  }
}
