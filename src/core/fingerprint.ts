import { createHash } from 'node:crypto';
import { apiGroupOf } from './object.js';
import type { ResourceRef } from './types.js';

/**
 * Identifies a finding by what it is about, never by where it sits in a file, so baselines survive
 * reformatting, line shifts and document reordering.
 */
export function fingerprintOf(ruleId: string, resource: ResourceRef, path: string | undefined, discriminator?: string): string {
  const parts = [
    ruleId,
    apiGroupOf(resource.apiVersion),
    resource.kind,
    resource.namespace ?? '',
    resource.name,
    path ?? '',
    discriminator ?? '',
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
