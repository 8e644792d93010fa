import { ApiError } from '../sources/cluster/api-client.js';

/** What the cluster-writing sinks need of the API client: one write, one read. */
export interface ClusterWriter {
  write(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown, contentType?: string): Promise<unknown>;
  get(path: string): Promise<unknown>;
}

/** Writes refused for want of RBAC or a served kind: said once per cause, then skipped quietly. */
export class WriteTrouble {
  private readonly said = new Set<string>();

  constructor(private readonly onTrouble: (message: string) => void) {}

  report(what: string, error: unknown): void {
    const status = error instanceof ApiError ? error.status : undefined;
    const cause =
      status === 403
        ? `forbidden (${error instanceof Error ? error.message : ''}); grant the verbs deploy/scanner/clusterrole.yaml lists`
        : status === 404
          ? 'not found: is the kind served (for PolicyReports, the wgpolicyk8s.io CRDs installed)?'
          : error instanceof Error
            ? error.message
            : String(error);
    const key = `${what}\u0000${status ?? cause}`;
    if (this.said.has(key)) return;
    this.said.add(key);
    this.onTrouble(`could not write ${what}: ${cause}`);
  }
}

export const statusOf = (error: unknown): number | undefined => (error instanceof ApiError ? error.status : undefined);

/**
 * Create-or-replace with optimistic concurrency, as `kubectl replace` would need: read the
 * current object; create it when absent; else PUT with its resourceVersion, and on 409 (someone
 * wrote in between) read again and retry, a bounded number of times.
 */
export async function putWithConflictRetry(
  writer: ClusterWriter,
  collectionPath: string,
  name: string,
  desired: Record<string, unknown> & { metadata: Record<string, unknown> },
  attempts = 5,
): Promise<'created' | 'updated'> {
  const itemPath = `${collectionPath}/${encodeURIComponent(name)}`;
  for (let attempt = 1; ; attempt++) {
    let current: { metadata?: { resourceVersion?: string } } | undefined;
    try {
      current = (await writer.get(itemPath)) as typeof current;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      if (current === undefined) {
        await writer.write('POST', collectionPath, desired);
        return 'created';
      }
      const resourceVersion = current.metadata?.resourceVersion;
      await writer.write('PUT', itemPath, { ...desired, metadata: { ...desired.metadata, ...(resourceVersion ? { resourceVersion } : {}) } });
      return 'updated';
    } catch (error) {
      // 409: a PUT lost a race, or a POST found the object created meanwhile; both mean read again.
      if (statusOf(error) !== 409 || attempt >= attempts) throw error;
    }
  }
}

/** The RBAC rules the write sinks need, for deploy/scanner/watch-writer-rbac.yaml (test/cluster/deploy-scanner.test.ts). */
export const WATCH_WRITE_RULES = [
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['wgpolicyk8s.io'], resources: ['clusterpolicyreports', 'policyreports'], verbs: ['create', 'get', 'update'] },
] as const;
