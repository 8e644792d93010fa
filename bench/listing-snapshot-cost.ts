/**
 * In-process CPU of what a cluster listing does per object between the parsed page and the
 * snapshot, as `scan --cluster` does it: ListFeed pages, readFeed (ListHolders, identities), the
 * cluster origin per object, `collect`'s batches and Snapshot.upsert. No server, no rules. Rounds
 * run in one process (the first is a warm-up, not counted); A/B two trees by pointing KFGUARD_SRC
 * at another checkout's src/ and interleaving runs.
 *   node --import tsx bench/listing-snapshot-cost.ts [SCALE] [ROUNDS]
 */
import type * as SourceModule from '../src/core/source.js';
import type * as InventoryModule from '../src/k8s/inventory.js';
import type * as ListFeedModule from '../src/sources/cluster/list-feed.js';
import type * as ListHoldersModule from '../src/sources/cluster/list-holders.js';
import type * as NormaliseModule from '../src/sources/cluster/normalise.js';
import { generateCluster } from './cluster-objects.js';

const root = process.env.KFGUARD_SRC ?? new URL('../src/', import.meta.url).href;
const at = (path: string): string => new URL(path, root.endsWith('/') ? root : `${root}/`).href;
const { collect } = (await import(at('core/source.ts'))) as typeof SourceModule;
const { newSnapshot } = (await import(at('k8s/inventory.ts'))) as typeof InventoryModule;
const { ListFeed, readFeed } = (await import(at('sources/cluster/list-feed.ts'))) as typeof ListFeedModule;
const { ListHolders } = (await import(at('sources/cluster/list-holders.ts'))) as typeof ListHoldersModule;
const { toFileForm } = (await import(at('sources/cluster/normalise.ts'))) as typeof NormaliseModule;
import type { Source, SourceEvent } from '../src/core/source.js';
import type { ClusterOrigin, K8sObject } from '../src/core/types.js';

const scale = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 5);
const objects = generateCluster(scale);
const lists = new Map<string, K8sObject[]>();
for (const o of objects) {
  const key = `${o.apiVersion}\u0000${o.kind}`;
  const list = lists.get(key);
  if (list) list.push(o);
  else lists.set(key, [o]);
}
// Pages as text, parsed afresh each round: the snapshot keeps parsed objects, as a scan does.
const texts = [...lists].map(([key, list]) => {
  const [apiVersion, kind] = key.split('\u0000') as [string, string];
  const pages: string[] = [];
  for (let i = 0; i < list.length; i += 500) pages.push(JSON.stringify(list.slice(i, i + 500).map(({ apiVersion: _v, kind: _k, ...rest }) => rest)));
  return { apiVersion, kind, pages };
});
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// As ClusterSource makes them: one per object, with its resourceVersion.
const originOf = (object: K8sObject): ClusterOrigin => {
  const resourceVersion = object.metadata?.resourceVersion;
  return typeof resourceVersion === 'string' ? { kind: 'cluster', context: 'bench', resourceVersion } : { kind: 'cluster', context: 'bench' };
};
const times: number[] = [];
const listingTimes: number[] = [];
const kinds = [...new Set(objects.map((o) => o.kind))];
const namespaces = [...new Set(objects.map((o) => String(o.metadata?.namespace ?? '')))];
for (let round = 0; round <= rounds; round++) {
  const parsed = texts.map(({ apiVersion, kind, pages }) => pages.map((text) => (JSON.parse(text) as unknown[]).map((item) => toFileForm(item, apiVersion, kind))));
  const started = cpu();
  const holders = new ListHolders();
  const source: Source = {
    kind: 'cluster',
    async *events(): AsyncGenerator<SourceEvent> {
      for (const [index, pages] of parsed.entries()) {
        const feed = new ListFeed();
        for (const page of pages) feed.page(page);
        feed.finish(false);
        const changes = readFeed(feed, { holders, list: index, originOf });
        let next = await changes.next();
        for (; !next.done; next = await changes.next()) {
          // A tree whose readFeed makes the origins (KFGUARD_SRC may name an older one that does not).
          const made = next.value.length > 0 && 'origin' in next.value[0]!;
          yield { type: 'batch', changes: made ? next.value : next.value.map((change) => ({ ...change, origin: originOf(change.object) })) };
        }
      }
    },
  } as Source;
  const snapshot = newSnapshot();
  await collect([source], snapshot);
  const listed = cpu();
  let found = 0;
  for (const kind of kinds) found += snapshot.ofKind(kind).length;
  for (const namespace of namespaces) found += snapshot.inNamespace(namespace).length;
  found += snapshot.namespaces().length;
  for (const { object } of snapshot.all) if (snapshot.get(object.kind, object.metadata?.namespace, String(object.metadata?.name)) !== undefined) found++;
  if (round > 0) {
    times.push(cpu() - started);
    listingTimes.push(listed - started);
  }
  if (found < objects.length * 3) throw new Error(`queries found ${found}`);
  if (snapshot.size !== objects.length) throw new Error(`snapshot holds ${snapshot.size} of ${objects.length}`);
}
const median = (values: number[]): string => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(0);
console.log(`${objects.length} objects: median ${median(times)} ms CPU with the first queries, ${median(listingTimes)} ms the listing alone [${times.map((t) => t.toFixed(0)).join(' ')}]`);
