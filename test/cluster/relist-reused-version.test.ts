// A relist keeps the stored copy of an object whose resourceVersion it lists again. A server that
// reuses a resourceVersion with other content (a hostile or broken aggregated API; the API server
// itself never does) must not make the relist keep the old copy: the change is judged and stored.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { LiveSnapshot, type LiveChange } from '../../src/sources/cluster/live-snapshot.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const pod = (name: string, image: string) => objectsOfYaml(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: team-a}\nspec: {containers: [{name: c, image: "${image}"}]}`)[0]!;
const FAST = { initialBackoffMs: 5, maxBackoffMs: 20, watchTimeoutSeconds: 5, idleTimeoutMs: 10_000 };
const opened: { cluster: ServedCluster; live?: LiveSnapshot }[] = [];
afterEach(async () => {
  for (const { cluster, live } of opened.splice(0)) {
    await live?.stop();
    await cluster.close();
  }
});

const imageOf = (live: LiveSnapshot, name: string): unknown => (live.snapshot.get('Pod', 'team-a', name)?.object.spec as { containers: { image: string }[] } | undefined)?.containers[0]?.image;

test('a relist stores and judges an object listed with its stored resourceVersion but other content', async () => {
  const cluster = await serve({ objects: [pod('a', 'nginx'), pod('kept', 'nginx'), pod('z', 'nginx')], bookmarkIntervalMs: 20 });
  const entry: { cluster: ServedCluster; live?: LiveSnapshot } = { cluster };
  opened.push(entry);
  const changes: LiveChange[] = [];
  const live = await LiveSnapshot.start({ kubeconfig: cluster.kubeconfig, env: {}, rules: ALL_RULES, timing: FAST, client: { retryDelayMs: 1 }, rediscoverMs: 0, beforeChange: (c) => changes.push(c) });
  entry.live = live;
  await live.whenSynced();
  // Its stored copy from a watched update: the relist must find it equal all the same.
  cluster.server.update(pod('kept', 'nginx:1.27'));
  await waitFor(() => imageOf(live, 'kept') === 'nginx:1.27', 20_000, 'the watched update');
  const kept = live.snapshot.get('Pod', 'team-a', 'kept');
  changes.length = 0;
  await waitFor(() => cluster.server.openWatches > 0);
  cluster.server.dropWatches();
  // The stored object changed in place: same resourceVersion, a miner's image.
  const stored = cluster.server.get('Pod', 'team-a', 'a')!;
  const version = stored.metadata?.resourceVersion;
  (stored.spec as { containers: { image: string }[] }).containers[0]!.image = 'xmrig/xmrig:6.21.0';
  assert.equal(cluster.server.get('Pod', 'team-a', 'a')!.metadata?.resourceVersion, version, 'the server reuses the version');
  cluster.server.remove(pod('z', 'nginx'));
  cluster.server.compact();
  await waitFor(() => live.snapshot.get('Pod', 'team-a', 'z') === undefined, 20_000, 'the relist');
  assert.equal(imageOf(live, 'a'), 'xmrig/xmrig:6.21.0', 'the relisted content is stored');
  assert.deepEqual(changes.map((c) => `${c.type} ${(c.type === 'upsert' ? c.scanned.object : c.object).metadata?.name}`).sort(), ['delete z', 'upsert a']);
  assert.equal(live.snapshot.get('Pod', 'team-a', 'kept'), kept, 'an unchanged object keeps its stored copy');
});
