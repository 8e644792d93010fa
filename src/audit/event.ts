import { asArray, asRecord, asString, isK8sObject } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { MUTATING_VERBS } from './verbs.js';

/** The parts of an `audit.k8s.io` Event that hunting reads, checked once when the line is read. */
export interface AuditEvent {
  readonly auditID: string;
  readonly stage: string;
  readonly verb: string;
  /** The acting user: the impersonated one when the request impersonated. */
  readonly user: string;
  readonly groups: readonly string[];
  readonly impersonatedBy?: string;
  readonly sourceIPs: readonly string[];
  readonly userAgent?: string;
  readonly requestURI?: string;
  readonly timestamp: string;
  /** Milliseconds since the epoch, NaN when the log carries no readable time. */
  readonly time: number;
  readonly objectRef: AuditObjectRef;
  readonly code?: number;
  /** `authorization.k8s.io/decision`: `allow` or `forbid`, when the policy logged it. */
  readonly decision?: string;
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
}

export interface AuditObjectRef {
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly apiGroup: string;
  readonly apiVersion?: string;
}

/**
 * A parsed JSON record as an audit Event, or why it is not one. Events without `apiVersion` are
 * accepted: older falco captures and some log shippers drop it.
 */
export function auditEventOf(value: unknown): AuditEvent | string {
  const record = asRecord(value);
  if (!record) return 'not a JSON object';
  if (record.kind !== 'Event') return 'not an audit Event (its kind is not "Event")';
  if (record.apiVersion !== undefined && !String(record.apiVersion).startsWith('audit.k8s.io/')) return 'not an audit.k8s.io Event';
  const auditID = asString(record.auditID);
  const stage = asString(record.stage);
  const verb = asString(record.verb);
  if (!auditID || !stage || !verb) return 'an audit Event without auditID, stage or verb';
  const user = asRecord(record.user);
  const impersonated = asRecord(record.impersonatedUser);
  const actor = impersonated ?? user;
  const timestamp = asString(record.requestReceivedTimestamp) ?? asString(record.timestamp) ?? asString(record.stageTimestamp) ?? '';
  const status = asRecord(record.responseStatus);
  const decision = asRecord(record.annotations)?.['authorization.k8s.io/decision'];
  // Built by assignment, not spreads: this runs on every parsed line of a log.
  const event: Mutable<AuditEvent> = {
    auditID,
    stage,
    verb,
    user: asString(actor?.username) ?? '',
    groups: stringsOf(actor?.groups),
    sourceIPs: stringsOf(record.sourceIPs),
    timestamp,
    time: Date.parse(timestamp),
    objectRef: objectRefOf(asRecord(record.objectRef)),
  };
  if (impersonated) event.impersonatedBy = asString(user?.username) ?? '';
  if (typeof record.userAgent === 'string') event.userAgent = record.userAgent;
  if (typeof record.requestURI === 'string') event.requestURI = record.requestURI;
  if (typeof status?.code === 'number') event.code = status.code;
  if (typeof decision === 'string') event.decision = decision;
  if (record.requestObject !== undefined) event.requestObject = record.requestObject;
  if (record.responseObject !== undefined) event.responseObject = record.responseObject;
  return event;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function objectRefOf(ref: ReturnType<typeof asRecord>): AuditObjectRef {
  const out: Mutable<AuditObjectRef> = { resource: asString(ref?.resource) ?? '', apiGroup: asString(ref?.apiGroup) ?? '' };
  const subresource = asString(ref?.subresource);
  const namespace = asString(ref?.namespace);
  const name = asString(ref?.name);
  const apiVersion = asString(ref?.apiVersion);
  if (subresource) out.subresource = subresource;
  if (namespace) out.namespace = namespace;
  if (name) out.name = name;
  if (apiVersion) out.apiVersion = apiVersion;
  return out;
}

function stringsOf(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/**
 * The stages hunting judges. `ResponseComplete` (or `Panic`) carries the outcome. A long-running
 * request (exec, attach, port-forward, a watch) logs `ResponseStarted` when the stream opens and
 * completes only when it closes, which a rotated or cut log may never hold, so that stage is judged
 * too for them; de-duplication by auditID keeps it to one verdict.
 */
export function isJudgedStage(event: AuditEvent): boolean {
  if (event.stage === 'ResponseComplete' || event.stage === 'Panic') return true;
  return event.stage === 'ResponseStarted' && (LONG_RUNNING_SUBRESOURCES.has(event.objectRef.subresource ?? '') || event.verb === 'watch');
}

const LONG_RUNNING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

/** Whether the API server carried the request out (a denied or failed request changed nothing). */
export function succeeded(event: AuditEvent): boolean {
  if (event.decision === 'forbid') return false;
  return event.code === undefined || (event.code >= 100 && event.code < 400);
}

/** Reads (get, list, watch) by an authenticated user change nothing and no detection reads them. */
export function isWorthJudging(event: AuditEvent): boolean {
  if (MUTATING_VERBS.has(event.verb)) return true;
  const sub = event.objectRef.subresource;
  if (sub === 'exec' || sub === 'attach') return true;
  return isAnonymous(event);
}

export function isAnonymous(event: AuditEvent): boolean {
  return event.user === 'system:anonymous' || event.groups.includes('system:unauthenticated');
}

/** `pods/exec kubeflow-user/train-abc`, `clusterrolebindings cluster-admin-x`. */
export function describeObjectRef(ref: AuditObjectRef): string {
  const resource = ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
  const name = [ref.namespace, ref.name].filter(Boolean).join('/');
  return name ? `${resource} ${name}` : resource || '(no object)';
}

/** The whole object a create or update sent; a patch's body is not one. */
export function requestObjectOf(event: AuditEvent): K8sObject | undefined {
  return isK8sObject(event.requestObject) ? event.requestObject : undefined;
}

export function responseObjectOf(event: AuditEvent): K8sObject | undefined {
  return isK8sObject(event.responseObject) ? event.responseObject : undefined;
}

/**
 * A deep copy of what a finding keeps, sharing no memory with the event it came from. The strings
 * JSON.parse returns are fresh (measured on Node 20: never slices of the line, however long), so
 * an event's own auditID or timestamp pins nothing and is kept as parsed; a finding is copied so it
 * keeps none of the objects it was judged from.
 */
export function detached<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
