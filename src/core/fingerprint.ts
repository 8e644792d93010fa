import * as crypto from 'node:crypto';
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
  const text = parts.join('\u0000');
  // The one-shot hash (Node 20.12+) spares a Hash object per finding; older 20.x builds take the long way.
  const digest = typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
  return digest.slice(0, 32);
}
