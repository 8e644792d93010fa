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
/**
 * Text the salvage reads: the `yaml` parser's error recovery costs 3-5 s of CPU per MB on hostile
 * flow text (a null key in every item of a 1 MB list), and issue 17 wants no document of 1 MB to
 * take more than 1 s. Past this, only the text up to it is salvaged (cut at a line break) and the
 * cut is said in the threat finding's evidence; the raw-text search still reads the whole text.
 */
export const MAX_SALVAGED_BYTES = 64 * 1024;

export interface Salvage {
  readonly objects: Record<string, unknown>[];
  /** Set when only the start of the text was salvaged, saying so. */
  readonly cut?: string;
}

export function salvageReading(whole: string): Salvage {
  const salvaged: Record<string, unknown>[] = [];
  let text = whole;
  let cut: string | undefined;
  if (whole.length > MAX_SALVAGED_BYTES) {
    const lineEnd = whole.lastIndexOf('\n', MAX_SALVAGED_BYTES);
    text = whole.slice(0, lineEnd > 0 ? lineEnd + 1 : MAX_SALVAGED_BYTES);
    cut = `only the first ${text.length} of ${whole.length} characters of the refused document were salvaged for the workload search (salvage limit ${MAX_SALVAGED_BYTES}); the raw-text search read all of it`;
  }
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
  return cut === undefined ? { objects: salvaged } : { objects: salvaged, cut };
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
