/**
 * Test-only: "a cluster holding these objects" on a real API server (KFGUARD_LIVE_KUBECONFIG),
 * the other side of the seam in `test-cluster.ts`. The objects are created through the API as the
 * files carry them, with their own names and namespaces: kfguard's findings depend on those
 * (`istio-system` is Istio's root namespace, `kube-system` accounts are judged apart, routes name
 * `svc.NS.svc.cluster.local` hosts), so renaming them for isolation would change what is tested.
 * Isolation comes instead from the runner (one file at a time, see scripts/kind-e2e.sh), from
 * refusing to start over a leftover (an object that already exists is an error, never reused),
 * and from deleting everything created, waiting until it is gone.
 *
 * Namespaces the objects use but do not define, and CRDs for custom kinds nothing serves
 * (`stub-crds.ts`), are created first as scaffolding; `beforeObjects` runs after them, before any
 * object exists (parity snapshots the cluster there).
 */
import type { K8sObject } from '../../src/core/types.js';
import { LiveApi, LiveApiError } from './live-api.js';
import { SCAFFOLD_LABEL, stubCrds } from './stub-crds.js';

export interface LiveClusterOptions {
  readonly beforeObjects?: (kubeconfig: string) => Promise<void>;
}

const GONE_TIMEOUT_MS = 180_000;
const SERVED_TIMEOUT_MS = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');
const describeObject = (o: K8sObject): string => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`;

export class LiveCluster {
  /** What this helper created, scaffolding included, in order; deleted in reverse. */
  private readonly created: K8sObject[] = [];
  /** The test's objects as created: a namespaced one that named no namespace is in `default`. */
  readonly objects: K8sObject[] = [];

  private constructor(
    readonly api: LiveApi,
    readonly kubeconfig: string,
  ) {}

  static async open(kubeconfig: string, objects: readonly K8sObject[], options: LiveClusterOptions = {}): Promise<LiveCluster> {
    for (const object of objects) refuseNodeName(object);
    const cluster = new LiveCluster(await LiveApi.open(kubeconfig), kubeconfig);
    try {
      await cluster.scaffold(objects);
      await options.beforeObjects?.(kubeconfig);
      for (const object of [...objects].sort((a, b) => creationRank(a) - creationRank(b))) {
        if (object.kind === 'Namespace' && (await cluster.waitUntilNotTerminating(object.metadata?.name ?? ''))) {
          throw new Error(`Namespace ${object.metadata?.name ?? ''} already exists: a leftover, or a namespace the cluster owns; the test cannot create it`);
        }
        const placed = await cluster.placed(object);
        await cluster.create(placed);
        cluster.objects.push(placed);
      }
      await cluster.waitListable(cluster.objects);
      return cluster;
    } catch (error) {
      await cluster.close().catch(() => undefined);
      throw error;
    }
  }

  get context(): string {
    return this.api.context;
  }

  /** POSTs the object; an object that already exists is a leftover and an error, never reused. */
  async create(object: K8sObject): Promise<void> {
    refuseNodeName(object);
    if (object.kind !== 'CustomResourceDefinition') await this.waitServed(object);
    const { collection } = await this.api.pathsOf(object);
    try {
      await this.api.request('POST', collection, object);
    } catch (error) {
      if (error instanceof LiveApiError && error.status === 409) {
        throw new Error(`${describeObject(object)} already exists on the live cluster: a leftover of an earlier run; delete it or use a fresh cluster`);
      }
      throw error;
    }
    this.created.push(object);
    if (object.kind === 'CustomResourceDefinition') await this.waitCrdServed(object);
  }

  /** Replaces the stored object with this one, as `kubectl replace` does (read, then PUT with its resourceVersion). */
  async update(object: K8sObject): Promise<void> {
    const { item } = await this.api.pathsOf(object);
    const current = (await this.api.request('GET', item)) as K8sObject;
    await this.api.request('PUT', item, { ...object, metadata: { ...object.metadata, resourceVersion: current.metadata?.resourceVersion } });
  }

  /** DELETEs the object and waits until the server no longer has it. */
  async remove(object: K8sObject): Promise<void> {
    const { item } = await this.api.pathsOf(object);
    await this.api.request('DELETE', item);
    await this.waitGone(object, item);
    const at = this.created.findIndex((o) => o.kind === object.kind && o.metadata?.namespace === object.metadata?.namespace && o.metadata?.name === object.metadata?.name);
    if (at !== -1) this.created.splice(at, 1);
  }

  list(apiVersion: string, kind: string, namespace?: string): Promise<K8sObject[]> {
    return this.api.list(apiVersion, kind, namespace);
  }

  /** Deletes what was created, newest first, and waits until each is gone; any failure is thrown. */
  async close(): Promise<void> {
    const failures: string[] = [];
    for (const object of [...this.created].reverse()) {
      try {
        await this.remove(object);
      } catch (error) {
        if (error instanceof LiveApiError && error.status === 404) continue;
        failures.push(`${describeObject(object)}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`live cluster clean-up failed; later tests may meet leftovers:\n${failures.join('\n')}`);
  }

  /** The object as `kubectl create` would place it: a namespaced kind with no namespace goes to `default`. */
  private async placed(object: K8sObject): Promise<K8sObject> {
    if (object.metadata?.namespace !== undefined || object.kind === 'CustomResourceDefinition') return object;
    await this.waitServed(object);
    const { namespaced } = await this.api.pathsOf({ ...object, metadata: { ...object.metadata, namespace: 'default' } });
    return namespaced ? { ...object, metadata: { ...object.metadata, namespace: 'default' } } : object;
  }

  /** Namespaces the objects name but do not define, and CRDs for kinds nothing serves. */
  private async scaffold(objects: readonly K8sObject[]): Promise<void> {
    const defined = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
    const used = new Set(objects.map((o) => o.metadata?.namespace).filter((ns): ns is string => ns !== undefined && !defined.has(ns)));
    for (const name of used) {
      if (await this.waitUntilNotTerminating(name)) continue; // default, kube-system, ...: the cluster's own
      await this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [SCAFFOLD_LABEL]: 'namespace' } } });
    }
    const crdDefined = new Set(
      objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => {
        const spec = o.spec as { group?: string; names?: { kind?: string } } | undefined;
        return `${spec?.group ?? ''}/${spec?.names?.kind ?? ''}`;
      }),
    );
    const unserved: K8sObject[] = [];
    for (const object of objects) {
      if (crdDefined.has(`${groupOf(object.apiVersion)}/${object.kind}`)) continue;
      if (!(await this.api.resourceOf(object.apiVersion, object.kind))) unserved.push(object);
    }
    for (const crd of stubCrds(unserved, () => false)) await this.create(crd);
  }

  /** Whether the namespace exists (after waiting out a deletion in progress). */
  private async waitUntilNotTerminating(name: string): Promise<boolean> {
    const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
    const start = Date.now();
    for (;;) {
      let ns: K8sObject;
      try {
        ns = (await this.api.request('GET', path)) as K8sObject;
      } catch (error) {
        if (error instanceof LiveApiError && error.status === 404) return false;
        throw error;
      }
      if (!(ns.metadata as { deletionTimestamp?: string } | undefined)?.deletionTimestamp) return true;
      if (Date.now() - start > GONE_TIMEOUT_MS) throw new Error(`Namespace ${name} is still terminating after ${GONE_TIMEOUT_MS / 1000} s`);
      await sleep(500);
    }
  }

  private async waitServed(object: K8sObject): Promise<void> {
    const start = Date.now();
    while (!(await this.api.resourceOf(object.apiVersion, object.kind))) {
      if (Date.now() - start > SERVED_TIMEOUT_MS) throw new Error(`the API server serves no ${object.apiVersion} ${object.kind} (no CRD defines it)`);
      await sleep(250);
    }
  }

  /** A new CRD's kinds are served once discovery lists them (Established, on a real server). */
  private async waitCrdServed(crd: K8sObject): Promise<void> {
    const spec = crd.spec as { group: string; names: { kind: string }; versions?: { name: string; served?: boolean }[] };
    for (const version of spec.versions ?? []) {
      if (version.served === false) continue;
      await this.waitServed({ apiVersion: `${spec.group}/${version.name}`, kind: spec.names.kind, metadata: {} });
    }
  }

  /** Every object appears in a list of its collection (what kfguard reads). */
  private async waitListable(objects: readonly K8sObject[]): Promise<void> {
    const byCollection = new Map<string, Set<string>>();
    for (const object of objects) {
      const { collection } = await this.api.pathsOf(object);
      byCollection.set(collection, (byCollection.get(collection) ?? new Set()).add(object.metadata?.name ?? ''));
    }
    for (const [collection, names] of byCollection) {
      const start = Date.now();
      for (;;) {
        const list = (await this.api.request('GET', collection)) as { items?: K8sObject[] };
        const listed = new Set((list.items ?? []).map((i) => i.metadata?.name));
        const missing = [...names].filter((n) => !listed.has(n));
        if (missing.length === 0) break;
        if (Date.now() - start > SERVED_TIMEOUT_MS) throw new Error(`${collection} does not list ${missing.join(', ')}`);
        await sleep(250);
      }
    }
  }

  private async waitGone(object: K8sObject, item: string): Promise<void> {
    const start = Date.now();
    for (;;) {
      try {
        await this.api.request('GET', item);
      } catch (error) {
        if (error instanceof LiveApiError && error.status === 404) return;
        throw error;
      }
      if (Date.now() - start > GONE_TIMEOUT_MS) throw new Error(`${describeObject(object)} still exists ${GONE_TIMEOUT_MS / 1000} s after its deletion`);
      await sleep(250);
    }
  }
}

/**
 * Namespaces, then CRDs: nothing can be created in a namespace or of a kind before them. Admission
 * webhooks and policies last: their backends never run here (see `refuseNodeName`), so a webhook
 * registered early would refuse every later create it matches.
 */
function creationRank(object: K8sObject): number {
  if (object.kind === 'Namespace') return 0;
  if (object.kind === 'CustomResourceDefinition') return 1;
  if (/^(Mutating|Validating)WebhookConfiguration$|^ValidatingAdmissionPolicy(Binding)?$/.test(object.kind)) return 3;
  return 2;
}

/**
 * The suite creates miner Pods. The kind script stops the scheduler, so no Pod the suite creates is
 * ever bound to a node and run; a Pod (or Pod template) naming its node would skip the scheduler.
 */
export function refuseNodeName(object: K8sObject): void {
  const seen = (value: unknown): boolean =>
    value !== null && typeof value === 'object' && (Array.isArray(value) ? value.some(seen) : Object.entries(value).some(([k, v]) => (k === 'nodeName' && typeof v === 'string' && v !== '') || seen(v)));
  if (seen(object.spec)) throw new Error(`${describeObject(object)} names a node (nodeName): the live suite never creates objects that could run on a node`);
}
