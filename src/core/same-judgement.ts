import type { Dependencies } from './snapshot-dependencies.js';

/**
 * Whether a rule's judgement of an object came out as the one recorded: the same fingerprints in
 * the same order, and the same reads. The engine's baselines keep the record they hold when it did,
 * so re-judging an unchanged object allocates nothing that outlives the judgement. A false "no"
 * only costs a replaced record; a false "yes" would keep stale reads, so reads of objects compare
 * by identity (a selector is the judged object's own, the same while that object is).
 */
export function sameFingerprints(held: readonly string[], found: readonly { readonly fingerprint: string }[]): boolean {
  if (held.length !== found.length) return false;
  for (let i = 0; i < held.length; i++) if (held[i] !== found[i]!.fingerprint) return false;
  return true;
}

export function sameDependencies(a: Dependencies, b: Dependencies): boolean {
  return (
    a.all === b.all &&
    a.allRelevant === b.allRelevant &&
    a.namespaceList === b.namespaceList &&
    sameSet(a.kinds, b.kinds) &&
    sameSet(a.namespaces, b.namespaces) &&
    sameSet(a.serviceNamespaces, b.serviceNamespaces) &&
    sameSet(a.analyses, b.analyses) &&
    sameList(a.serviceSelectors, b.serviceSelectors, (x, y) => x.namespace === y.namespace && x.selector === y.selector) &&
    sameList(a.labelSelectors, b.labelSelectors, (x, y) => x.namespace === y.namespace && x.selector === y.selector && sameKinds(x.kinds, y.kinds))
  );
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

function sameKinds(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return sameList(a, b, (x, y) => x === y);
}
