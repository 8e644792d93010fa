import { asArray, asRecord, asString, isK8sObject } from '../core/object.js';
import type { AuditOrigin, ScannedObject } from '../core/types.js';

/**
 * The object an `audit.k8s.io/v1` Event carries, with the event as its origin. A create or update
 * carries the whole object in `requestObject`; a patch carries only the patch there, so the
 * `responseObject` (the object as stored) is preferred when the policy logged it.
 */
export function objectFromAuditEvent(event: unknown): ScannedObject | undefined {
  const record = asRecord(event);
  if (!record || record.kind !== 'Event' || !String(record.apiVersion ?? '').startsWith('audit.k8s.io/')) return undefined;
  const verb = asString(record.verb) ?? '';
  const candidates = verb === 'patch' ? [record.responseObject, record.requestObject] : [record.requestObject, record.responseObject];
  const object = candidates.find(isK8sObject);
  if (!object) return undefined;
  const user = asRecord(record.user);
  const origin: AuditOrigin = {
    kind: 'audit',
    auditID: asString(record.auditID) ?? '',
    timestamp: asString(record.requestReceivedTimestamp) ?? asString(record.stageTimestamp) ?? '',
    user: asString(user?.username) ?? '',
    sourceIPs: asArray(record.sourceIPs).filter((ip): ip is string => typeof ip === 'string'),
    verb,
    ...(typeof record.userAgent === 'string' ? { userAgent: record.userAgent } : {}),
  };
  return { object, origin };
}
