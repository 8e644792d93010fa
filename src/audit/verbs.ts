/** Verbs that change what is stored; every other verb (get, list, watch, proxy) only reads. */
export const MUTATING_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
