import { annotationsOf, isRecord } from '../../core/object.js';
import type { K8sObject } from '../../core/types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * An object fit to leave the process: a Secret keeps its keys with empty values, and loses the
 * last-applied annotation, which `kubectl apply` fills with the whole Secret, values and all.
 */
export function withoutSecretValues(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return object;
  const emptied = (values: unknown): unknown => (isRecord(values) ? Object.fromEntries(Object.keys(values).map((key) => [key, ''])) : values);
  const annotations = { ...annotationsOf(object) };
  delete annotations[LAST_APPLIED];
  const metadata = { ...object.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  const sanitised: Record<string, unknown> = { ...object, metadata };
  if ('data' in object) sanitised.data = emptied(object.data);
  if ('stringData' in object) sanitised.stringData = emptied(object.stringData);
  return sanitised as K8sObject;
}
