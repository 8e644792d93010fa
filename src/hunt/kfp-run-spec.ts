import { asArray, asRecord, asString, isRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';

/**
 * What a KFP run executes is its pipeline plus the parameter values it was started with. A generic
 * pipeline (`sh -c {{cmd}}`) is clean on its own; the miner is in the run's parameters. These
 * functions lay a run's values where the threat rules read parameters.
 */

/**
 * v2beta1: `runtime_config.parameters` is a map of protobuf Values (runtime_config.swagger.json,
 * `PipelineSpecRuntimeConfig`). It is kept under the run's own field name, so evidence paths say
 * where the text came from; the rules read a `parameters` map of scalars as values.
 */
export function withRuntimeConfig(spec: K8sObject | undefined, runtimeConfig: unknown): K8sObject | undefined {
  const parameters = asRecord(asRecord(runtimeConfig)?.parameters);
  if (!spec || !parameters || Object.keys(parameters).length === 0) return spec;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters)) values[name] = typeof value === 'string' ? value : JSON.stringify(value);
  return { ...spec, runtime_config: { parameters: values } };
}

/**
 * v1beta1: `pipeline_spec.parameters` is `[{name, value}]` ("If a default value of a parameter
 * exist in the JSON, the value user provided here will replace", run.swagger.json
 * `apiPipelineSpec`): the KFP 1.x API server writes them into the workflow's
 * `spec.arguments.parameters` before submitting it, so that is where they go here.
 */
export function withRunParameters(workflow: K8sObject | undefined, parameters: unknown): K8sObject | undefined {
  const given = asArray(parameters)
    .map(asRecord)
    .filter((p): p is Record<string, unknown> => p !== undefined && asString(p.name) !== undefined);
  if (!workflow || given.length === 0) return workflow;
  const spec = asRecord(workflow.spec) ?? {};
  const args = asRecord(spec.arguments) ?? {};
  const merged = asArray(args.parameters).map((p) => (isRecord(p) ? { ...p } : p));
  for (const parameter of given) {
    const at = merged.findIndex((p) => isRecord(p) && p.name === parameter.name);
    const value = asString(parameter.value) ?? '';
    if (at === -1) merged.push({ name: parameter.name, value });
    else merged[at] = { ...(merged[at] as Record<string, unknown>), value };
  }
  return { ...workflow, spec: { ...spec, arguments: { ...args, parameters: merged } } };
}
