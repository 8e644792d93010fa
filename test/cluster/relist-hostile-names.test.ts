// A relist removes what its list no longer holds by identity. A hostile server's object name may
// hold a NUL, the separator identities are built with: the object removed must be that one, not
// another whose name is the part before the NUL (a miner Pod `a` must not vanish with `a\0x`).
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { LiveSnapshot, type LiveChange } from '../../src/sources/cluster/live-snapshot.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const pod = (name: string) => ({ ...objectsOfYaml(`apiVersion: v1\nkind: Pod\nmetadata: {name: placeholder, namespace: team-a}\nspec: {containers: [{name: c, image: "xmrig/xmrig:6.21.0"}]}`)[0]!, metadata: { name, namespace: 'team-a' } });
const FAST = { initialBackoffMs: 5, maxBackoffMs: 20, watchTimeoutSeconds: 5, idleTimeoutMs: 10_000 };
const opened: { cluster: ServedCluster; live?: LiveSnapshot }[] = [];
afterEach(async () => {
  for (const { cluster, live } of opened.splice(0)) {
    await live?.stop();
    await cluster.close();
  }
});

test('a relist drops the object gone, not another whose name is a prefix of its name up to a NUL', async () => {
  const cluster = await serve({ objects: [pod('a'), pod('a\u0000x'), pod('z')], bookmarkIntervalMs: 20 });
  const entry: { cluster: ServedCluster; live?: LiveSnapshot } = { cluster };
  opened.push(entry);
  const changes: LiveChange[] = [];
  const live = await LiveSnapshot.start({ kubeconfig: cluster.kubeconfig, env: {}, rules: ALL_RULES, timing: FAST, client: { retryDelayMs: 1 }, rediscoverMs: 0, beforeChange: (c) => changes.push(c) });
  entry.live = live;
  await live.whenSynced();
  const names = (): string[] => live.snapshot.ofKind('Pod').map((s) => JSON.stringify(s.object.metadata?.name)).sort();
  assert.deepEqual(names(), ['"a"', '"a\\u0000x"', '"z"']);
  await waitFor(() => cluster.server.openWatches > 0);
  cluster.server.dropWatches();
  cluster.server.remove(pod('a\u0000x'));
  cluster.server.remove(pod('z'));
  cluster.server.compact();
  await waitFor(() => !names().includes('"z"'), 20_000, 'the relist');
  assert.deepEqual(names(), ['"a"'], 'Pod a is still there; a\\0x is gone');
  const deleted = changes.filter((c) => c.type === 'delete').map((c) => (c.type === 'delete' ? JSON.stringify(c.object.metadata?.name) : '')).sort();
  assert.deepEqual(deleted, ['"a\\u0000x"', '"z"']);
});
