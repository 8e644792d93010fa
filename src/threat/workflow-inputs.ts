import { MAX_SEARCH_DEPTH } from '../core/budget.js';
import { asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import type { Inventory } from '../core/inventory.js';
import { configMapValue } from '../k8s/env-resolution.js';
import { isBuiltInWorkload, withoutBookkeeping } from '../k8s/workloads.js';
import type { Site } from './signals.js';
import { CUT_SHORT, cutShort, type ScanState } from './scan-queue.js';
import { foldArgoExpressions } from './argo-expressions.js';
import { scanRayJob } from './ray-job-inputs.js';
import { judgeDownloadUrl, scanRaw, scanScript } from './text-scan.js';

/** Parameter fields whose text a workflow engine substitutes into commands (`{{inputs.parameters.x}}`). */
const ARGO_VALUE_KEYS = ['value', 'default'] as const;

/**
 * Text a workflow engine turns into commands without it appearing in any container: Argo and
 * KFP parameter values and defaults, KFP v2 constants, Argo raw and http artifacts, and the
 * entrypoint, runtime env and metadata of a Ray job (the ShadowRay route: a job submitted to an
 * open Ray dashboard; `ray-job-inputs.ts`).
 */
export function scanWorkflowInputs(object: K8sObject, pipeline: boolean, state: ScanState, inventory: Inventory): void {
  // Pipeline Pods (and other built-in kinds) have schemas without parameter, artifact or loop
  // fields: Argo has substituted them before it made the pod, and the API server keeps no others.
  if (pipeline && !isBuiltInWorkload(object)) walk(withoutBookkeeping(object) as JsonRecord, '', 0, { state, inventory, namespace: object.metadata?.namespace });
  if (object.kind === 'RayService' && object.apiVersion.startsWith('ray.io/')) {
    // serveConfigV2 is YAML text whose runtime_env can carry commands and env vars.
    const serveConfig = asString(asRecord(object.spec)?.serveConfigV2);
    if (serveConfig !== undefined) scanRaw(serveConfig, { where: 'Ray Serve config', path: 'spec.serveConfigV2' }, '', state);
  }
  if (object.kind === 'SparkApplication' && object.apiVersion.startsWith('sparkoperator.k8s.io/')) scanSparkApplication(object, state);
  if (object.kind === 'Experiment' && object.apiVersion.startsWith('kubeflow.org/')) scanKatibTemplateConfigMap(object, state, inventory);
  if (object.kind === 'RayJob' && object.apiVersion.startsWith('ray.io/')) scanRayJob(object, state);
}

/** What the walk needs besides the node: the scan state and where ConfigMap references resolve. */
interface Walk {
  readonly state: ScanState;
  readonly inventory: Inventory;
  readonly namespace: string | undefined;
}

function walk(node: JsonRecord, path: string, depth: number, w: Walk): void {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') scanArgoExpressions(value, path, key, w.state);
    if (value === null || typeof value !== 'object') continue;
    const childPath = joinPath(path, key);
    if (key === 'parameters') scanParameters(value, childPath, w);
    else if (key === 'artifacts' && Array.isArray(value)) scanArtifacts(value, childPath, w.state);
    else if (key === 'withItems' && Array.isArray(value)) scanLoopItems(value, childPath, w.state);
    walkValue(value, childPath, depth + 1, w);
  }
}

/** Argo `steps` are lists of lists, so arrays are walked through to the records inside. */
function walkValue(value: unknown, path: string, depth: number, w: Walk): void {
  if (typeof value === 'string') scanArgoExpressions(value, path, undefined, w.state);
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_SEARCH_DEPTH) {
    cutShort(w.state, CUT_SHORT.fieldDepth);
    return;
  }
  if (Array.isArray(value)) value.forEach((item, i) => walkValue(item, joinPath(path, i), depth + 1, w));
  else if (isRecord(value)) walk(value, path, depth, w);
}

/** A field whose Argo expression tags fold to other text is read again as Argo would run it. */
function scanArgoExpressions(text: string, parent: string, key: string | number | undefined, state: ScanState): void {
  const folded = foldArgoExpressions(text);
  if (folded === undefined) return;
  const path = key === undefined ? parent : joinPath(parent, key);
  scanScript(folded, site(`${path} with its Argo expressions evaluated`, path), '', state);
}

/** Argo lists `[{name, value|default}]`; KFP v2 maps `{name: {defaultValue} | {runtimeValue: {constant}}}`; a run's `runtime_config` maps names to values. */
function scanParameters(parameters: unknown, path: string, w: Walk): void {
  const { state } = w;
  if (Array.isArray(parameters)) {
    parameters.forEach((raw, i) => {
      const parameter = asRecord(raw);
      if (!parameter) return;
      const name = asString(parameter.name) ?? `#${i}`;
      for (const key of ARGO_VALUE_KEYS) {
        const text = asString(parameter[key]);
        if (text !== undefined) scanScript(text, site(`parameter "${name}" ${key}`, joinPath(path, i, key)), '', state);
      }
      // `valueFrom.configMapKeyRef`: the value lives in a ConfigMap of the workflow's namespace.
      const ref = asRecord(asRecord(parameter.valueFrom)?.configMapKeyRef);
      const configMap = asString(ref?.name);
      const key = asString(ref?.key);
      const text = configMap && key ? configMapValue(w.inventory, w.namespace, configMap, key) : undefined;
      if (typeof text === 'string') {
        scanScript(text, site(`parameter "${name}" from ConfigMap ${configMap} key "${key}"`, joinPath(path, i, 'valueFrom', 'configMapKeyRef')), '', state);
      }
    });
    return;
  }
  const byName = asRecord(parameters);
  if (!byName) return;
  for (const [name, raw] of Object.entries(byName)) {
    // A KFP run's `runtime_config.parameters` maps names to the values themselves.
    if (typeof raw === 'string') {
      scanScript(raw, site(`parameter "${name}"`, joinPath(path, name)), '', state);
      continue;
    }
    const parameter = asRecord(raw);
    if (!parameter) continue;
    const runtime = asRecord(parameter.runtimeValue);
    const candidates: [unknown, string[]][] = [
      [parameter.defaultValue, ['defaultValue']],
      [runtime?.constant, ['runtimeValue', 'constant']],
      [asRecord(runtime?.constantValue)?.stringValue, ['runtimeValue', 'constantValue', 'stringValue']],
    ];
    for (const [value, segments] of candidates) {
      if (typeof value === 'string') scanScript(value, site(`parameter "${name}"`, joinPath(path, name, ...segments)), '', state);
    }
  }
}

/** Argo `withItems` values become `{{item}}` in the step's command. */
function scanLoopItems(items: readonly unknown[], path: string, state: ScanState): void {
  items.forEach((item, i) => {
    const texts = typeof item === 'string' ? [item] : Object.values(asRecord(item) ?? {}).filter((v): v is string => typeof v === 'string');
    for (const text of texts) scanScript(text, site(`loop item ${i}`, joinPath(path, i)), '', state);
  });
}

/** Argo `raw.data` becomes a file the step may run; an `http` artifact is a download. */
function scanArtifacts(artifacts: readonly unknown[], path: string, state: ScanState): void {
  artifacts.forEach((raw, i) => {
    const artifact = asRecord(raw);
    if (!artifact) return;
    const name = asString(artifact.name) ?? `#${i}`;
    const data = asString(asRecord(artifact.raw)?.data);
    if (data !== undefined) scanScript(data, site(`artifact "${name}" raw data`, joinPath(path, i, 'raw', 'data')), '', state);
    const url = asString(asRecord(artifact.http)?.url);
    if (url !== undefined) judgeDownloadUrl(url, site(`artifact "${name}" http url`, joinPath(path, i, 'http', 'url')), '', state);
  });
}

function site(where: string, path: string): Site {
  return { where, path };
}

/** A Spark application runs `mainApplicationFile` with `arguments`, neither of which sits in a container. */
function scanSparkApplication(object: K8sObject, state: ScanState): void {
  const spec = asRecord(object.spec);
  const file = asString(spec?.mainApplicationFile);
  if (file !== undefined && /^https?:\/\//i.test(file)) judgeDownloadUrl(file, site('Spark main application file', 'spec.mainApplicationFile'), '', state);
  const args = Array.isArray(spec?.arguments) ? spec.arguments : [];
  args.forEach((arg, i) => {
    if (typeof arg === 'string') scanRaw(arg, site(`Spark argument ${i}`, joinPath('spec.arguments', i)), '', state);
  });
}

/** A Katib trial template kept in a ConfigMap (`trialTemplate.configMap`) is the trial's Job as text. */
function scanKatibTemplateConfigMap(object: K8sObject, state: ScanState, inventory: Inventory): void {
  const ref = asRecord(asRecord(asRecord(object.spec)?.trialTemplate)?.configMap);
  const name = asString(ref?.configMapName);
  const key = asString(ref?.templatePath);
  if (!name || !key) return;
  const text = configMapValue(inventory, asString(ref?.configMapNamespace) ?? object.metadata?.namespace, name, key);
  if (typeof text === 'string') scanScript(text, site(`trial template from ConfigMap ${name} key "${key}"`, 'spec.trialTemplate.configMap'), '', state);
}
