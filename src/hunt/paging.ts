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
