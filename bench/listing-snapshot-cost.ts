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
import type { K8sObject } from '../src/core/types.js';

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

const times: number[] = [];
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
        const changes = readFeed(feed, { holders, list: index });
        let next = await changes.next();
        for (; !next.done; next = await changes.next()) {
          yield { type: 'batch', changes: next.value.map((change) => ({ ...change, origin: { kind: 'cluster', context: 'bench', resourceVersion: '1' } })) };
        }
      }
    },
  } as Source;
  const snapshot = newSnapshot();
  await collect([source], snapshot);
  if (round > 0) times.push(cpu() - started);
  if (snapshot.size !== objects.length) throw new Error(`snapshot holds ${snapshot.size} of ${objects.length}`);
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`${objects.length} objects: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms CPU [${sorted.map((t) => t.toFixed(0)).join(' ')}]`);
