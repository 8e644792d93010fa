import { parseAllDocuments } from 'yaml';

/**
 * A best-effort reading of a document kfguard refused for its syntax: the `yaml` parser's error
 * recovery keeps every mapping and sequence it could follow. It is never what Kubernetes applies
 * and never judged as an object; the threat search runs on it (rule manifest-parse-ambiguity), so
 * that a miner assembled from parts (`$(A)$(B)` with env A and B) stays visible when the document
 * holding it cannot be read. Objects only: a salvaged scalar has nothing to search.
 */
const MAX_SALVAGED_DOCUMENTS = 16;
/** Aliases the salvage expands; the refused document may be an alias bomb in disguise. */
const MAX_ALIAS_COUNT = 100;
/** Nodes a salvaged document may hold once aliases are expanded; past it (or on a cycle) the salvage is dropped. */
const MAX_SALVAGED_NODES = 1_000_000;

export function salvageReading(text: string): Record<string, unknown>[] {
  const salvaged: Record<string, unknown>[] = [];
  try {
    const parsed = parseAllDocuments(text, { version: '1.1', uniqueKeys: false, strict: false, prettyErrors: false, merge: true, logLevel: 'error' });
    const documents = Array.isArray(parsed) ? parsed : [];
    for (const document of documents.slice(0, MAX_SALVAGED_DOCUMENTS)) {
      const value: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && isBoundedTree(value)) salvaged.push(value as Record<string, unknown>);
    }
  } catch {
    // Whatever the salvage could not give, the raw-text search still covers.
  }
  return salvaged;
}

/** Error recovery can tie an alias to its own ancestor, and aliases share subtrees: the walk rules make must end, and soon. */
function isBoundedTree(root: object): boolean {
  const onPath = new Set<object>();
  let nodes = 0;
  const walk = (node: unknown): boolean => {
    if (++nodes > MAX_SALVAGED_NODES) return false;
    if (typeof node !== 'object' || node === null) return true;
    if (onPath.has(node)) return false;
    onPath.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (!walk(child)) return false;
    onPath.delete(node);
    return true;
  };
  try {
    return walk(root);
  } catch {
    return false; // a stack too deep for the walk is too deep for the rules
  }
}
