import type { DerivedAnalysis, Inventory, Labels } from './inventory.js';
import { asRecord, labelsOf, namespaceOf } from './object.js';
import { matchesLabelSelector, matchesMapSelector } from './selectors.js';
import type { K8sObject, ScannedObject } from './types.js';

/**
 * What a derived analysis read from the inventory while it was built. An analysis is a pure
 * function of these reads, so an object that appears in none of them, before or after a change,
 * cannot change its result: that is what lets a snapshot keep it across versions and overlays.
 */
export interface Dependencies {
  /** The analysis walked every object; any change affects it. */
  all: boolean;
  /** The analysis walked every object but looked only at those this accepts. */
  allRelevant: ((object: K8sObject) => boolean) | undefined;
  /** Kinds listed (`ofKind`) or looked up by name (`get`). */
  kinds: ReadonlySet<string>;
  /** Namespaces listed whole. */
  namespaces: ReadonlySet<string>;
  /** The namespace list itself was read. */
  namespaceList: boolean;
  /** Service selectors evaluated (`selectedByService`). */
  serviceSelectors: readonly { readonly namespace: string; readonly selector: Labels }[];
  /** Namespaces whose Services were matched against an object (`servicesSelecting`). */
  serviceNamespaces: ReadonlySet<string>;
  /** metav1.LabelSelectors evaluated. */
  labelSelectors: readonly { readonly namespace: string; readonly selector: unknown; readonly kinds?: readonly string[] }[];
  /** Other analyses read. */
  analyses: ReadonlySet<DerivedAnalysis<unknown>>;
}

/**
 * Shared by every recording until it reads something of that sort. A live snapshot keeps one
 * record per judged object and rule (the engine's baselines), and most read one or two sorts of
 * thing: five empty Sets each were most of that memory, and, since a watched object is judged
 * again on each change, most of the old-generation garbage of a busy watch.
 */
const NOTHING: ReadonlySet<never> = new Set();
const NO_READS: readonly never[] = [];

/** `list` with `read` appended: the shared empty list is never written, a list of the recording's own is. */
function withRead<T>(list: readonly T[], read: T): readonly T[] {
  const own = list === NO_READS ? [] : (list as T[]);
  own.push(read);
  return own;
}

/** `set` with `value`: the shared empty set is never written, a set of the recording's own is. */
function withValue<T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> {
  if (set.has(value)) return set;
  const own = set === NOTHING ? new Set<T>() : (set as Set<T>);
  own.add(value);
  return own;
}

function emptyDependencies(): Dependencies {
  return {
    all: false,
    allRelevant: undefined,
    kinds: NOTHING,
    namespaces: NOTHING,
    namespaceList: false,
    serviceSelectors: NO_READS,
    serviceNamespaces: NOTHING,
    labelSelectors: NO_READS,
    analyses: NOTHING,
  };
}

/** An inventory that answers from another and writes down what was asked. */
export class DependencyRecorder {
  readonly dependencies = emptyDependencies();
  readonly inventory: Inventory;

  /** True when anything at all was read. */
  get read(): boolean {
    const d = this.dependencies;
    return (
      d.all ||
      d.allRelevant !== undefined ||
      d.namespaceList ||
      d.kinds.size > 0 ||
      d.namespaces.size > 0 ||
      d.serviceSelectors.length > 0 ||
      d.serviceNamespaces.size > 0 ||
      d.labelSelectors.length > 0 ||
      d.analyses.size > 0
    );
  }

  constructor(target: Inventory, relevant?: (object: K8sObject) => boolean) {
    const deps = this.dependencies;
    this.inventory = {
      get all() {
        if (relevant) deps.allRelevant = relevant;
        else deps.all = true;
        return target.all;
      },
      ofKind(kind, apiGroup) {
        deps.kinds = withValue(deps.kinds, kind);
        return target.ofKind(kind, apiGroup);
      },
      get(kind, namespace, name, apiGroup) {
        deps.kinds = withValue(deps.kinds, kind);
        return target.get(kind, namespace, name, apiGroup);
      },
      inNamespace(namespace) {
        deps.namespaces = withValue(deps.namespaces, namespace ?? '');
        return target.inNamespace(namespace);
      },
      namespaces() {
        deps.namespaceList = true;
        return target.namespaces();
      },
      selectedByService(service) {
        const selector = asRecord(asRecord(service.spec)?.selector) as Labels | undefined;
        if (selector) deps.serviceSelectors = withRead(deps.serviceSelectors, { namespace: namespaceOf(service) ?? '', selector });
        return target.selectedByService(service);
      },
      servicesSelecting(object) {
        deps.serviceNamespaces = withValue(deps.serviceNamespaces, namespaceOf(object) ?? '');
        return target.servicesSelecting(object);
      },
      matchingLabelSelector(namespace, selector, kinds) {
        deps.labelSelectors = withRead(deps.labelSelectors, { namespace: namespace ?? '', selector, ...(kinds ? { kinds } : {}) });
        return target.matchingLabelSelector(namespace, selector, kinds);
      },
      originOf: (object) => target.originOf(object),
      derived(analysis) {
        deps.analyses = withValue(deps.analyses, analysis as DerivedAnalysis<unknown>);
        return target.derived(analysis);
      },
    };
  }
}

/**
 * True when one of `changed` (the copies replaced and the copy added) appears in a read recorded in
 * `dependencies`, or a nested analysis is affected.
 */
export function isAffected(
  dependencies: Dependencies,
  changed: readonly ScannedObject[],
  inventory: Inventory,
  podLabelsOf: (object: K8sObject) => readonly Labels[],
  nestedAffected: (analysis: DerivedAnalysis<unknown>) => boolean,
): boolean {
  if (dependencies.all) return true;
  // Loops, not closures: an admitted change is tested against every dependent object's reads.
  for (const { object } of changed) {
    const namespace = namespaceOf(object) ?? '';
    if (dependencies.allRelevant?.(object)) return true;
    if (dependencies.kinds.has(object.kind) || dependencies.namespaces.has(namespace)) return true;
    if (dependencies.namespaceList && namespace !== '' && !inventory.namespaces().includes(namespace)) return true;
    if (object.kind === 'Service' && dependencies.serviceNamespaces.has(namespace)) return true;
    for (const read of dependencies.serviceSelectors) {
      if (read.namespace !== namespace) continue;
      for (const labels of podLabelsOf(object)) if (matchesMapSelector(read.selector, labels)) return true;
    }
    for (const read of dependencies.labelSelectors) {
      if (read.namespace !== namespace || (read.kinds && !read.kinds.includes(object.kind))) continue;
      if (matchesLabelSelector(read.selector, labelsOf(object))) return true;
    }
  }
  for (const nested of dependencies.analyses) if (nestedAffected(nested)) return true;
  return false;
}
