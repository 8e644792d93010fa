import { apiGroupOf, asRecord, asString } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import type { ScanState } from './scan-queue.js';
import { HIGH_SCORE } from './signals.js';
import { scanRaw } from './text-scan.js';

/**
 * An ExternalName Service is a DNS alias: pods that dial `relay:443` reach whatever host it names.
 * One that names a mining pool hides the pool from every command line that uses it, so the
 * Service is reported on its own. It runs nothing itself, so a pool there is high, not critical.
 */
export function scanExternalNameService(object: K8sObject, state: ScanState): void {
  if (object.kind !== 'Service' || apiGroupOf(object.apiVersion) !== '') return;
  const spec = asRecord(object.spec);
  const host = asString(spec?.externalName);
  if (asString(spec?.type) !== 'ExternalName' || host === undefined || host === '') return;
  const from = state.signals.length;
  scanRaw(host, { where: 'Service spec.externalName', path: 'spec.externalName' }, '', state);
  for (let i = from; i < state.signals.length; i++) {
    const found = state.signals[i];
    if (found?.kind === 'pool-host' && found.weight > HIGH_SCORE) state.signals[i] = { ...found, weight: HIGH_SCORE };
  }
}
