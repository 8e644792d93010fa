import { apiGroupOf, isRecord } from './object.js';

/** Built-in kinds whose `status` reports on pods and never describes one to run. */
const STATUS_WITHOUT_TEMPLATES = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch']);

/** Pods and the built-in controllers: kinds whose every field the API server's schema defines. */
export function isBuiltInWorkloadKind(apiVersion: string, kind: string): boolean {
  return STATUS_WITHOUT_TEMPLATES.has(kind) && BUILT_IN_GROUPS.has(apiGroupOf(apiVersion));
}

/**
 * The value without what the API server keeps for its own bookkeeping: `metadata.managedFields`
 * (field ownership, no values) and the `status` of built-in workloads. No rule, fingerprint,
 * suppression or report reads them (test/sources/bookkeeping.test.ts checks the rules), and in a
 * `kubectl get -o yaml` dump they are a fifth of a pod's nodes. Dropped as each document is
 * parsed, they die young instead of being copied into the old generation with the object the
 * scan keeps. A CRD's status is kept: Argo keeps the workflow it actually runs there. The value
 * given is not changed; a copy is made only when something is dropped.
 */
export function withoutServerBookkeeping(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { apiVersion, kind, metadata, items } = value;
  // A List's items are the objects (sources/documents-to-objects.ts expands them the same way).
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
    const kept = items.map(withoutServerBookkeeping);
    return kept.every((item, i) => item === items[i]) ? value : { ...value, items: kept };
  }
  const dropStatus = 'status' in value && typeof apiVersion === 'string' && typeof kind === 'string' && isBuiltInWorkloadKind(apiVersion, kind);
  const dropManaged = isRecord(metadata) && 'managedFields' in metadata;
  if (!dropStatus && !dropManaged) return value;
  const { status: _status, ...rest } = value;
  const kept: Record<string, unknown> = dropStatus ? rest : { ...value };
  if (dropManaged) {
    const { managedFields: _managed, ...others } = metadata;
    kept.metadata = others;
  }
  return kept;
}
