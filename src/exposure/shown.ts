/**
 * Caps on what one finding *shows* (issue 17): N Services over one selector with N workloads made
 * every route list N workloads and a message join N routes, so output grew as N³. The analysis
 * still judges every workload and route; only the text that names them is cut, and it says how
 * many it left out.
 */

/** Workloads named in one route behind a Service. */
export const SHOWN_WORKLOADS = 5;
/** Routes (or other entries) joined into one message or evidence list. */
export const SHOWN_ROUTES = 5;

/** The first `limit` items, then one `… and N more NOUN` item when any were left out. */
export function shownWithRest(items: readonly string[], limit: number, noun: string): string[] {
  if (items.length <= limit) return [...items];
  return [...items.slice(0, limit), `… and ${items.length - limit} more ${noun}`];
}
