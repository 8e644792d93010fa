import type { K8sObject } from '../../core/types.js';
import { ApiError, type ApiClient } from './api-client.js';
import type { ServedResource } from './discovery.js';
import type { ListFeed } from './list-feed.js';
import { toFileForm } from './normalise.js';
import type { SharedParts } from './shared-parts.js';

export interface Listed {
  readonly objects: K8sObject[];
  /** The list's resourceVersion (of its last page). */
  readonly resourceVersion: string | undefined;
  readonly pages: number;
  readonly restarts: number;
}

/** How many times a list whose continue token expired is started again before giving up. */
const MAX_RESTARTS = 3;

/**
 * Pages one attempt at a list may take: 100,000 pages of 500 is 50 million objects, far beyond any
 * real cluster (etcd's default quota holds a few million small objects). Only a server that hands
 * out continue tokens without end gets here; without a cap `scan --cluster` would never end.
 */
export const MAX_LIST_PAGES = 100_000;

export function listPath(resource: ServedResource, namespace: string | undefined): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return namespace === undefined ? `${base}/${resource.plural}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
}

/**
 * Lists one resource page by page (`limit`/`continue`). A `410 Gone` means the continue token
 * outlived the server's compaction window; the pages already read may be out of date with the rest,
 * so the list starts again from the beginning. A `feed` gets each page as it is read, and word of
 * each restart (what it was given before is then out of date). A continue token seen twice in one
 * attempt, or more than `maxPages` pages, is an error: the list was not read to its end. With
 * `parts`, each object's repeated parts are shared as its page is read (see SharedParts).
 */
export async function listAll(client: ApiClient, resource: ServedResource, namespace: string | undefined, limit: number, feed?: ListFeed, maxPages = MAX_LIST_PAGES, parts?: SharedParts): Promise<Listed> {
  const path = listPath(resource, namespace);
  const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  const what = namespace === undefined ? resource.plural : `${resource.plural} in namespace ${namespace}`;
  let restarts = 0;
  let pages = 0;
  type Page = { metadata?: { continue?: string; resourceVersion?: string }; items?: unknown[] };
  const fetchPage = (token: string | undefined): Promise<Page> => {
    const request = client.get(path, { limit: String(limit), ...(token ? { continue: token } : {}) }) as Promise<Page>;
    // Awaited only at the next turn of the loop; until then a failure must not count as unhandled
    // (nor be lost: awaiting it still throws).
    request.catch(() => undefined);
    return request;
  };
  for (;;) {
    const objects: K8sObject[] = [];
    // Per attempt: a list started again after a 410 gets fresh tokens.
    const seen = new Set<string>();
    let token: string | undefined;
    let resourceVersion: string | undefined;
    try {
      let next: Promise<Page> | undefined = fetchPage(undefined);
      for (let attemptPages = 1; next !== undefined; attemptPages++) {
        const page: Page = await next;
        pages++;
        token = page.metadata?.continue || undefined;
        resourceVersion = page.metadata?.resourceVersion;
        // Said after this page is handed on, as its objects were read.
        let stop: Error | undefined;
        if (token !== undefined) {
          // The token itself is the server's text: not repeated in the message.
          if (seen.has(token)) stop = new Error(`the server returned the same continue token twice for ${what} (it would loop); stopped`);
          else if (attemptPages >= maxPages) stop = new Error(`the server was still handing out continue tokens for ${what} after ${maxPages} pages; stopped`);
          seen.add(token);
        }
        // The next page is asked for before this one is normalised and handed on: the server builds
        // it while this process reads this one (on the longest list the round trips are in series,
        // and a scan's wall time is theirs).
        next = token === undefined || stop !== undefined ? undefined : fetchPage(token);
        const start = objects.length;
        for (const item of page.items ?? []) {
          // The page was parsed for this list alone: its items are handed over (see toFileForm).
          const object = toFileForm(item, apiVersion, resource.kind, true);
          objects.push(parts === undefined ? object : parts.share(object));
        }
        feed?.page(objects.slice(start));
        if (stop !== undefined) throw stop;
      }
      return { objects, resourceVersion, pages, restarts };
    } catch (error) {
      if (error instanceof ApiError && error.status === 410 && token && restarts < MAX_RESTARTS) {
        restarts++;
        feed?.restart();
        continue;
      }
      throw error;
    }
  }
}
