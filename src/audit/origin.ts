import type { AuditOrigin } from '../core/types.js';
import { doorOf } from './doors.js';
import { describeObjectRef, type AuditEvent } from './event.js';

/** The event as a finding's origin: who, when, from where, with what client, through which door. */
export function auditOriginOf(event: AuditEvent): AuditOrigin {
  const door = doorOf(event);
  return {
    kind: 'audit',
    auditID: event.auditID,
    timestamp: event.timestamp,
    user: event.user,
    sourceIPs: event.sourceIPs,
    ...(event.userAgent !== undefined ? { userAgent: event.userAgent } : {}),
    verb: event.verb,
    groups: event.groups,
    ...(event.impersonatedBy !== undefined ? { impersonatedBy: event.impersonatedBy } : {}),
    objectRef: describeObjectRef(event.objectRef),
    ...(door ? { door } : {}),
  };
}

