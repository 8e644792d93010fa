import { asRecord, asString, isRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';

/**
 * Turns a parsed document that is not a Kubernetes object (a KFP pipeline package, say) into a
 * Kubernetes-shaped object so the same rules judge it. The document's own fields must stay at the
 * top level, so that rule paths still point at real lines in the file.
 */
export type DocumentRecognizer = (value: unknown, context: { readonly file?: string }) => K8sObject | undefined;

/** apiVersion given to recognised KFP v2 documents; they carry none of their own. */
export const KFP_PIPELINE_API_VERSION = 'pipelines.kubeflow.org/v2';

/**
 * KFP v2 IR `PipelineSpec` (the YAML or JSON the v2 SDK compiles, starting `# PIPELINE DEFINITION`):
 * `deploymentSpec.executors.*.container` hold image, command and args.
 */
export const recognizeKfpPipelineSpec: DocumentRecognizer = (value) => {
  if (!isRecord(value) || 'apiVersion' in value || 'kind' in value) return undefined;
  const hasExecutors = isRecord(asRecord(value.deploymentSpec)?.executors);
  const hasPipelineShape = isRecord(value.pipelineInfo) && isRecord(value.root);
  if (!hasExecutors && !hasPipelineShape) return undefined;
  const name = asString(asRecord(value.pipelineInfo)?.name);
  return { ...value, apiVersion: KFP_PIPELINE_API_VERSION, kind: 'PipelineSpec', metadata: name ? { name } : {} };
};

/** The Kubernetes platform config a KFP v2 package carries as its second document (`platforms: kubernetes: …`). */
export const recognizeKfpPlatformSpec: DocumentRecognizer = (value) => {
  if (!isRecord(value) || 'apiVersion' in value || 'kind' in value) return undefined;
  const platforms = asRecord(value.platforms);
  if (!platforms || !isRecord(platforms.kubernetes)) return undefined;
  return { ...value, apiVersion: KFP_PIPELINE_API_VERSION, kind: 'PlatformSpec', metadata: {} };
};

export const DOCUMENT_RECOGNIZERS: readonly DocumentRecognizer[] = [recognizeKfpPipelineSpec, recognizeKfpPlatformSpec];

/** The KFP v2 SDK starts every compiled package with this line, whatever the file is named. */
export const KFP_PACKAGE_HEADER = '# PIPELINE DEFINITION';

export function hasPipelineHeader(start: Buffer | string): boolean {
  const text = typeof start === 'string' ? start : start.toString('utf8');
  return text.replace(/^\uFEFF/, '').startsWith(KFP_PACKAGE_HEADER);
}
