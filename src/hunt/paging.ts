import { MAX_PAGES } from './job-object.js';

export interface Page {
  readonly items: readonly unknown[];
  readonly next?: string;
}

/**
 * Every item of a paged list, following the API's continuation token until it is empty. A token
 * seen twice (a server that loops) or more than MAX_PAGES pages stop with an error saying so.
 */
export async function* allPages(fetchPage: (token: string | undefined) => Promise<Page>): AsyncGenerator<unknown> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new Error(`stopped after ${MAX_PAGES} pages; narrow the hunt with --namespace`);
    const { items, next } = await fetchPage(token);
    yield* items;
    if (!next) return;
    if (seen.has(next)) throw new Error('the server returned the same page token twice; stopped');
    seen.add(next);
    token = next;
  }
}

/** What a paged list gave: every item read, and the error that stopped it early, if one did. */
export interface PagedRead {
  readonly items: unknown[];
  readonly error?: unknown;
}

/**
 * `allPages` collected, keeping the pages read before a failure: a list refused or cut off at page
 * three must not cost what pages one and two held.
 */
export async function readPages(fetchPage: (token: string | undefined) => Promise<Page>): Promise<PagedRead> {
  const items: unknown[] = [];
  try {
    for await (const item of allPages(fetchPage)) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items };
}
