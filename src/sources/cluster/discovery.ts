import type { ApiClient } from './api-client.js';
import type { ListableKind } from './catalog.js';
import { mapBounded } from './bounded.js';

/** A kind the cluster serves and kfguard will list, as discovery named it. */
export interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface DiscoveryResult {
  readonly resources: ServedResource[];
  /** Group versions whose discovery failed (an aggregated API down), with the reason. */
  readonly failures: { readonly groupVersion: string; readonly message: string }[];
}

interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs?: readonly string[];
}

/**
 * Asks the server what it serves (`/api`, `/apis`, then each wanted group's versions, preferred
 * first) and keeps the wanted kinds it can list. A kind served in several versions is listed once,
 * in the first version that serves it.
 */
export async function discover(client: ApiClient, wanted: readonly ListableKind[], concurrency: number): Promise<DiscoveryResult> {
  const groups = (await client.get('/apis')) as { groups?: { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[] };
  const wantedGroups = new Set(wanted.map((w) => w.group));
  const versionsToAsk: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  for (const group of groups.groups ?? []) {
    if (!wantedGroups.has(group.name)) continue;
    const preferred = group.preferredVersion?.version;
    const ordered = [...group.versions.map((v) => v.version)].sort((a, b) => Number(b === preferred) - Number(a === preferred));
    for (const version of ordered) versionsToAsk.push({ group: group.name, version });
  }
  const failures: DiscoveryResult['failures'] = [];
  const lists = await mapBounded(versionsToAsk, concurrency, async ({ group, version }) => {
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    try {
      const list = (await client.get(path)) as { resources?: ApiResource[] };
      return { group, version, resources: list.resources ?? [] };
    } catch (error) {
      if (group === '') throw error;
      failures.push({ groupVersion: `${group}/${version}`, message: error instanceof Error ? error.message : String(error) });
      return { group, version, resources: [] };
    }
  });
  const resources: ServedResource[] = [];
  const seen = new Set<string>();
  for (const { group, version, resources: served } of lists) {
    for (const r of served) {
      // `pods/log`, `deployments/scale`: subresources are not lists of objects.
      if (r.name.includes('/') || !(r.verbs ?? []).includes('list')) continue;
      const key = `${group}/${r.kind}`;
      if (seen.has(key) || !wanted.some((w) => w.group === group && w.kind === r.kind)) continue;
      seen.add(key);
      resources.push({ group, version, kind: r.kind, plural: r.name, namespaced: r.namespaced });
    }
  }
  return { resources, failures };
}
