import type { DerivedAnalysis, Inventory } from './inventory.js';
import { Snapshot, type PodLabelsOf } from './snapshot.js';
import type { K8sObject, ScannedObject } from './types.js';

/**
 * The snapshot of a few objects, built on the first query. A source that judges objects one at a
 * time (an audit event's object) gives each its own inventory, and most rules on most objects ask
 * it nothing: the miner rule reads it only for the ConfigMaps and Secrets a workload names. Every
 * answer is the snapshot's own, so judging with this is judging with `Snapshot.of(objects)`.
 */
export class LazyInventory implements Inventory {
  private built: Snapshot | undefined;

  constructor(
    private readonly objects: readonly ScannedObject[],
    private readonly podLabelsOf: PodLabelsOf,
  ) {}

  private get snapshot(): Snapshot {
    this.built ??= Snapshot.of(this.objects, this.podLabelsOf);
    return this.built;
  }

  /** Whether a query needed the snapshot (for tests and measurements). */
  get wasBuilt(): boolean {
    return this.built !== undefined;
  }

  get all(): readonly ScannedObject[] {
    return this.snapshot.all;
  }

  ofKind(kind: string, apiGroup?: string): readonly ScannedObject[] {
    return this.snapshot.ofKind(kind, apiGroup);
  }

  get(kind: string, namespace: string | undefined, name: string, apiGroup?: string): ScannedObject | undefined {
    return this.snapshot.get(kind, namespace, name, apiGroup);
  }

  inNamespace(namespace: string | undefined): readonly ScannedObject[] {
    return this.snapshot.inNamespace(namespace);
  }

  namespaces(): readonly string[] {
    return this.snapshot.namespaces();
  }

  selectedByService(service: K8sObject): readonly ScannedObject[] {
    return this.snapshot.selectedByService(service);
  }

  servicesSelecting(object: K8sObject): readonly ScannedObject[] {
    return this.snapshot.servicesSelecting(object);
  }

  matchingLabelSelector(namespace: string | undefined, selector: unknown, kinds?: readonly string[]): readonly ScannedObject[] {
    return this.snapshot.matchingLabelSelector(namespace, selector, kinds);
  }

  originOf(object: K8sObject): ScannedObject | undefined {
    return this.snapshot.originOf(object);
  }

  derived<T>(analysis: DerivedAnalysis<T>): T {
    return this.snapshot.derived(analysis);
  }
}
