import { asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import type { Site } from './signals.js';
import { judgeDownloadUrl, scanRaw, scanScript, type ScanState } from './text-scan.js';

const MAX_DEPTH = 16;
/** Parameter fields whose text a workflow engine substitutes into commands (`{{inputs.parameters.x}}`). */
const ARGO_VALUE_KEYS = ['value', 'default'] as const;

/**
 * Text a workflow engine turns into commands without it appearing in any container: Argo and
 * KFP parameter values and defaults, KFP v2 constants, Argo raw and http artifacts, and the
 * entrypoint of a Ray job (the ShadowRay route: a job submitted to an open Ray dashboard).
 */
export function scanWorkflowInputs(object: K8sObject, pipeline: boolean, state: ScanState): void {
  if (pipeline) walk(object as JsonRecord, '', 0, state);
  if (object.kind === 'RayJob' && object.apiVersion.startsWith('ray.io/')) {
    const spec = asRecord(object.spec);
    const entrypoint = asString(spec?.entrypoint);
    if (entrypoint !== undefined) scanScript(entrypoint, { where: 'Ray job entrypoint', path: 'spec.entrypoint' }, '', state, 0);
    const runtimeEnv = asString(spec?.runtimeEnvYAML);
    if (runtimeEnv !== undefined) scanRaw(runtimeEnv, { where: 'Ray job runtimeEnvYAML', path: 'spec.runtimeEnvYAML' }, '', state, 0);
  }
}

function walk(node: JsonRecord, path: string, depth: number, state: ScanState): void {
  if (depth > MAX_DEPTH) return;
  for (const [key, value] of Object.entries(node)) {
    if (value === null || typeof value !== 'object') continue;
    const childPath = joinPath(path, key);
    if (key === 'parameters') scanParameters(value, childPath, state);
    else if (key === 'artifacts' && Array.isArray(value)) scanArtifacts(value, childPath, state);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isRecord(item)) walk(item, joinPath(childPath, i), depth + 1, state);
      });
    } else {
      walk(value as JsonRecord, childPath, depth + 1, state);
    }
  }
}

/** Argo lists `[{name, value|default}]`; KFP v2 maps `{name: {defaultValue} | {runtimeValue: {constant}}}`. */
function scanParameters(parameters: unknown, path: string, state: ScanState): void {
  if (Array.isArray(parameters)) {
    parameters.forEach((raw, i) => {
      const parameter = asRecord(raw);
      if (!parameter) return;
      const name = asString(parameter.name) ?? `#${i}`;
      for (const key of ARGO_VALUE_KEYS) {
        const text = asString(parameter[key]);
        if (text !== undefined) scanScript(text, site(`parameter "${name}" ${key}`, joinPath(path, i, key)), '', state, 0);
      }
    });
    return;
  }
  const byName = asRecord(parameters);
  if (!byName) return;
  for (const [name, raw] of Object.entries(byName)) {
    const parameter = asRecord(raw);
    if (!parameter) continue;
    const runtime = asRecord(parameter.runtimeValue);
    const candidates: [unknown, string[]][] = [
      [parameter.defaultValue, ['defaultValue']],
      [runtime?.constant, ['runtimeValue', 'constant']],
      [asRecord(runtime?.constantValue)?.stringValue, ['runtimeValue', 'constantValue', 'stringValue']],
    ];
    for (const [value, segments] of candidates) {
      if (typeof value === 'string') scanScript(value, site(`parameter "${name}"`, joinPath(path, name, ...segments)), '', state, 0);
    }
  }
}

/** Argo `raw.data` becomes a file the step may run; an `http` artifact is a download. */
function scanArtifacts(artifacts: readonly unknown[], path: string, state: ScanState): void {
  artifacts.forEach((raw, i) => {
    const artifact = asRecord(raw);
    if (!artifact) return;
    const name = asString(artifact.name) ?? `#${i}`;
    const data = asString(asRecord(artifact.raw)?.data);
    if (data !== undefined) scanScript(data, site(`artifact "${name}" raw data`, joinPath(path, i, 'raw', 'data')), '', state, 0);
    const url = asString(asRecord(artifact.http)?.url);
    if (url !== undefined) judgeDownloadUrl(url, site(`artifact "${name}" http url`, joinPath(path, i, 'http', 'url')), '', state);
  });
}

function site(where: string, path: string): Site {
  return { where, path };
}
