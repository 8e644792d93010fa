import type { K8sObject, ScannedObject } from './types.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * A result computed from a whole inventory (the exposure graph, the RBAC graph), built at most once
 * per snapshot version. `name` is for diagnostics only; identity is the object itself.
 */
export interface DerivedAnalysis<T> {
  readonly name: string;
  build(inventory: Inventory): T;
  /**
   * For analyses that walk `all` looking for a few objects (the notebook controller among every
   * workload): what they take from `all` depends only on objects for which this is true, so other
   * changes need not rebuild them.
   */
  readonly relevant?: (object: K8sObject) => boolean;
  /**
   * For analyses that hold objects they read (the exposure analysis holds the workloads behind
   * each Service): called when `after` replaces `before` (same identity) and the recorded reads
   * say the analysis is affected. True when the replacement cannot change what it computed beyond
   * which copy it holds, and it has put `after` in `before`'s place in `value`; the value is then
   * kept, not rebuilt. `inventory` is the snapshot before the change.
   */
  readonly carry?: (value: T, before: ScannedObject, after: ScannedObject, inventory: Inventory) => boolean;
}

/** Read-only index of the objects judged together, for rules that join objects (Service → Deployment …). */
export interface Inventory {
  readonly all: readonly ScannedObject[];
  ofKind(kind: string, apiGroup?: string): readonly ScannedObject[];
  get(kind: string, namespace: string | undefined, name: string, apiGroup?: string): ScannedObject | undefined;
  inNamespace(namespace: string | undefined): readonly ScannedObject[];
  namespaces(): readonly string[];
  /** Objects whose pod template labels match `selector` in `namespace` (Service semantics). */
  selectedByService(service: K8sObject): readonly ScannedObject[];
  /** Services in the object's namespace whose selector matches one of its pod templates. */
  servicesSelecting(object: K8sObject): readonly ScannedObject[];
  /** Objects in `namespace` whose labels match a metav1.LabelSelector. */
  matchingLabelSelector(namespace: string | undefined, selector: unknown, kinds?: readonly string[]): readonly ScannedObject[];
  /** The ScannedObject wrapping an object, for rules that hold only the object. */
  originOf(object: K8sObject): ScannedObject | undefined;
  /** The analysis computed over this inventory, built on first use and reused while nothing it read changes. */
  derived<T>(analysis: DerivedAnalysis<T>): T;
}
