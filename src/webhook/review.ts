import { isK8sObject, isRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import type { AdmissionDecision } from './decision.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

/** The fields of an `admission.k8s.io/v1` AdmissionRequest kfguard reads. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: string;
  readonly user: string;
  readonly groups: readonly string[];
  readonly dryRun: boolean;
  readonly object?: K8sObject;
  /** The object as stored, sent on DELETE and UPDATE. */
  readonly oldObject?: K8sObject;
}

export type ParsedReview = { readonly ok: true; readonly request: AdmissionRequest } | { readonly ok: false; readonly message: string };

/** Parses a request body into an AdmissionRequest, or one clear line saying what is wrong. */
export function parseReview(body: string): ParsedReview {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return { ok: false, message: `malformed JSON: ${(error as Error).message}` };
  }
  if (!isRecord(raw)) return { ok: false, message: 'expected a JSON object (an AdmissionReview)' };
  if (raw.kind !== 'AdmissionReview') return { ok: false, message: `expected kind AdmissionReview, got ${describe(raw.kind)}` };
  if (raw.apiVersion !== ADMISSION_API_VERSION) {
    return { ok: false, message: `unsupported AdmissionReview version ${describe(raw.apiVersion)}: kfguard answers only ${ADMISSION_API_VERSION}; set admissionReviewVersions: ["v1"]` };
  }
  const request = raw.request;
  if (!isRecord(request)) return { ok: false, message: 'AdmissionReview has no request' };
  if (typeof request.uid !== 'string' || request.uid === '') return { ok: false, message: 'AdmissionReview request has no uid' };
  if (typeof request.operation !== 'string') return { ok: false, message: 'AdmissionReview request has no operation' };
  const kind = isRecord(request.kind) ? request.kind : {};
  const userInfo = isRecord(request.userInfo) ? request.userInfo : {};
  const object = request.object;
  if (object !== undefined && object !== null && !isK8sObject(object)) return { ok: false, message: 'request.object is not a Kubernetes object (apiVersion and kind are required)' };
  const oldObject = request.oldObject;
  if (oldObject !== undefined && oldObject !== null && !isK8sObject(oldObject)) return { ok: false, message: 'request.oldObject is not a Kubernetes object (apiVersion and kind are required)' };
  return {
    ok: true,
    request: {
      uid: request.uid,
      kind: { group: str(kind.group), version: str(kind.version), kind: str(kind.kind) },
      ...(typeof request.name === 'string' ? { name: request.name } : {}),
      ...(typeof request.namespace === 'string' ? { namespace: request.namespace } : {}),
      operation: request.operation,
      user: str(userInfo.username),
      groups: Array.isArray(userInfo.groups) ? userInfo.groups.filter((g): g is string => typeof g === 'string') : [],
      dryRun: request.dryRun === true,
      ...(isK8sObject(object) ? { object: withRequestNamespace(object, request.namespace) } : {}),
      ...(isK8sObject(oldObject) ? { oldObject: withRequestNamespace(oldObject, request.namespace) } : {}),
    },
  };
}

/**
 * Objects created by generateName or in a namespace given only in the URL arrive without
 * metadata.name/namespace; the request carries them, and rules and logs need them.
 */
function withRequestNamespace(object: K8sObject, namespace: unknown): K8sObject {
  if (typeof namespace !== 'string' || namespace === '' || object.metadata?.namespace) return object;
  return { ...object, metadata: { ...object.metadata, namespace } };
}

export function reviewResponse(uid: string, decision: AdmissionDecision): unknown {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: decision.allowed,
      ...(decision.allowed ? {} : { status: { code: 403, reason: 'Forbidden', message: decision.message ?? 'denied by kfguard' } }),
      ...(decision.warnings.length > 0 ? { warnings: decision.warnings } : {}),
      ...(Object.keys(decision.auditAnnotations).length > 0 ? { auditAnnotations: decision.auditAnnotations } : {}),
    },
  };
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 80)}"` : value === undefined ? 'none' : typeof value;
}
