// The live snapshot: informers (list, then watch) over the fake API server feed a core Snapshot;
// creates, updates and deletes arrive; 410 relists; dropped watches reconnect; 403 is a gap.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { labelsOf } from '../../src/core/object.js';
import { identityOf } from '../../src/core/snapshot.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { backoff } from '../../src/sources/cluster/informer.js';
import { LiveSnapshot, type LiveChange, type LiveSnapshotOptions } from '../../src/sources/cluster/live-snapshot.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const pod = (name: string, namespace = 'team-a', image = 'nginx') =>
  objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec: {containers: [{name: c, image: ${image}}]}`)[0]!;

const WORKFLOW_CRD = objectsOfYaml(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: workflows.argoproj.io}
spec:
  group: argoproj.io
  scope: Namespaced
  names: {kind: Workflow, plural: workflows}
  versions: [{name: v1alpha1, served: true, storage: true}]`)[0]!;
const workflow = (name: string) =>
  objectsOfYaml(`apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}, namespace: team-a}
spec: {entrypoint: main, templates: [{name: main, container: {image: "xmrig/xmrig:6.21.0"}}]}`)[0]!;

const FAST = { initialBackoffMs: 5, maxBackoffMs: 20, watchTimeoutSeconds: 5, idleTimeoutMs: 10_000 };

const opened: { cluster: ServedCluster; live?: LiveSnapshot }[] = [];
afterEach(async () => {
  for (const { cluster, live } of opened.splice(0)) {
    await live?.stop();
    await cluster.close();
  }
});

async function start(objects = [pod('a'), pod('b', 'team-b')], options: Partial<LiveSnapshotOptions> = {}, forbidden: string[] = []) {
  const cluster = await serve({ objects, forbidden, bookmarkIntervalMs: 20 });
  const entry: { cluster: ServedCluster; live?: LiveSnapshot } = { cluster };
  opened.push(entry);
  const changes: LiveChange[] = [];
  const live = await LiveSnapshot.start({ kubeconfig: cluster.kubeconfig, env: {}, rules: ALL_RULES, timing: FAST, client: { retryDelayMs: 1 }, beforeChange: (c) => changes.push(c), ...options });
  entry.live = live;
  return { cluster, live, changes };
}

const pods = (live: LiveSnapshot): string[] => live.snapshot.ofKind('Pod').map((s) => `${s.object.metadata?.namespace}/${s.object.metadata?.name}`).sort();

describe('live snapshot', () => {
  test('syncs from lists, then applies watched creates, updates and deletes', async () => {
    const { cluster, live, changes } = await start();
    await live.whenSynced();
    assert.deepEqual(pods(live), ['team-a/a', 'team-b/b']);
    assert.ok(live.lastHeardAt > 0);
    const versionAtSync = live.snapshot.version;
    const created = cluster.server.create(pod('c'));
    await waitFor(() => pods(live).includes('team-a/c'));
    cluster.server.update({ ...created, metadata: { ...created.metadata, labels: { app: 'x' } } });
    await waitFor(() => labelsOf(live.snapshot.get('Pod', 'team-a', 'c')?.object ?? { apiVersion: '', kind: '' }).app === 'x');
    // Listed and watched copies carry their identity: the engine's baselines key their records by it.
    const updated = live.snapshot.get('Pod', 'team-a', 'c')!;
    assert.equal(updated.identity, identityOf(updated.object));
    assert.equal(live.snapshot.get('Pod', 'team-a', 'a')!.identity, identityOf(pod('a')));
    cluster.server.remove(created);
    await waitFor(() => !pods(live).includes('team-a/c'));
    assert.ok(live.snapshot.version > versionAtSync);
    assert.deepEqual(changes.map((c) => c.type), ['upsert', 'upsert', 'delete']);
    const stored = live.snapshot.get('Pod', 'team-a', 'a')!;
    assert.equal(stored.origin.kind, 'cluster');
    assert.equal(stored.object.metadata?.managedFields, undefined);
    // Watches resume from the list's version with bookmarks; they never relist without cause.
    const podWatches = cluster.server.requests.filter((r) => r.path === '/api/v1/pods' && r.query.get('watch') === '1');
    assert.ok(podWatches.length >= 1);
    assert.equal(podWatches[0]!.query.get('allowWatchBookmarks'), 'true');
    assert.ok(Number(podWatches[0]!.query.get('resourceVersion')) > 0);
  });

  test('after a dropped watch it reconnects from its last version and misses nothing', async () => {
    const { cluster, live } = await start();
    await live.whenSynced();
    await waitFor(() => cluster.server.openWatches > 0);
    const lists = cluster.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.has('watch')).length;
    cluster.server.dropWatches();
    cluster.server.create(pod('while-away'));
    await waitFor(() => pods(live).includes('team-a/while-away'));
    assert.equal(cluster.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.has('watch')).length, lists, 'a reconnect must not relist');
  });

  test('410 after compaction: lists again, and an object deleted meanwhile leaves the snapshot', async () => {
    const relists: number[] = [];
    const { cluster, live } = await start(undefined, { onRelist: () => relists.push(Date.now()) });
    await live.whenSynced();
    await waitFor(() => cluster.server.openWatches > 0);
    // Delete while no watch is open (this code runs in one turn: the informer cannot reconnect in
    // between), then compact: the resumed watch gets ERROR 410, and only a relist sees the delete.
    cluster.server.dropWatches();
    cluster.server.remove(pod('a'));
    cluster.server.compact();
    // Every informer relists after its 410; on a loaded machine (8 test runs on 2 cores) that
    // takes longer than the default 5 s.
    await waitFor(() => !pods(live).includes('team-a/a'), 20_000, 'the relist to drop team-a/a');
    assert.deepEqual(pods(live), ['team-b/b']);
    assert.ok(relists.length >= 1);
    assert.deepEqual(live.coverage, []);
  });

  test('a relist hands what changed to beforeChange, as the watch events would have, and nothing else', async () => {
    const { cluster, live, changes } = await start([pod('a'), pod('b', 'team-b'), pod('kept')]);
    await live.whenSynced();
    await waitFor(() => cluster.server.openWatches > 0);
    const stored = live.snapshot.get('Pod', 'team-a', 'kept');
    cluster.server.dropWatches();
    cluster.server.remove(pod('a'));
    cluster.server.create(pod('c'));
    const b = cluster.server.get('Pod', 'team-b', 'b')!;
    cluster.server.update({ ...b, metadata: { ...b.metadata, labels: { app: 'x' } } });
    cluster.server.compact();
    await waitFor(() => pods(live).includes('team-a/c') && !pods(live).includes('team-a/a'), 20_000, 'the relist');
    await waitFor(() => changes.length >= 3, 5_000, 'the three changes');
    const seen = changes.map((c) => `${c.type} ${(c.type === 'upsert' ? c.scanned.object : c.object).metadata?.name}`).sort();
    assert.deepEqual(seen, ['delete a', 'upsert b', 'upsert c']);
    // Each change was handed over before it was applied: the snapshot it saw did not hold it yet.
    assert.equal(live.snapshot.get('Pod', 'team-a', 'kept'), stored, 'an unchanged object keeps its stored copy');
    assert.equal(labelsOf(live.snapshot.get('Pod', 'team-b', 'b')!.object).app, 'x');
  });

  test('discovery runs again: a kind whose CRD is installed after the start is watched, its objects handed to beforeChange', async () => {
    const added: string[] = [];
    const { cluster, live, changes } = await start(undefined, { rediscoverMs: 50, onNewResources: (d) => added.push(...d) });
    await live.whenSynced();
    assert.ok(!live.watched.some((d) => d.includes('workflows')), 'Argo is not served yet');
    cluster.server.create(WORKFLOW_CRD);
    cluster.server.create(workflow('later'));
    await waitFor(() => live.snapshot.ofKind('Workflow').length === 1, 20_000, 'the Workflow to be listed');
    assert.ok(live.watched.some((d) => d.includes('workflows')));
    assert.ok(added.some((d) => d.includes('workflows')), `named as newly watched: ${added.join(', ')}`);
    assert.deepEqual(changes.filter((c) => c.type === 'upsert' && c.scanned.object.kind === 'Workflow').map((c) => (c.type === 'upsert' ? c.scanned.object.metadata?.name : '')), ['later']);
    // Watched from then on: a second Workflow arrives through the new informer's watch.
    cluster.server.create(workflow('next'));
    await waitFor(() => live.snapshot.ofKind('Workflow').length === 2, 20_000, 'the second Workflow');
    // One informer per kind, however many discoveries run.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(live.watched.filter((d) => d.includes('workflows')).length, 1);
  });

  test('a refused resource is a coverage gap, synced anyway, and cleared once it can be read', async () => {
    const { cluster, live } = await start(undefined, {}, ['secrets']);
    await live.whenSynced();
    assert.ok(live.synced);
    assert.ok(live.coverage.some((c) => c.reason === 'could not list secrets: forbidden'), JSON.stringify(live.coverage));
    assert.deepEqual(pods(live), ['team-a/a', 'team-b/b']);
    cluster.server.setForbidden([]);
    // A refusal retries at the slowest pace (here 20 ms at most).
    await waitFor(() => !live.coverage.some((c) => c.reason.includes('secrets')));
  });

  test('a list that keeps failing is a gap, not a snapshot that never syncs', async () => {
    const cluster = await serve({ objects: [pod('a')], dropFirstLists: 1_000_000 });
    const entry: { cluster: ServedCluster; live?: LiveSnapshot } = { cluster };
    opened.push(entry);
    entry.live = await LiveSnapshot.start({ kubeconfig: cluster.kubeconfig, env: {}, rules: ALL_RULES, timing: FAST, client: { retryDelayMs: 1, attempts: 2 } });
    await entry.live.whenSynced();
    assert.ok(entry.live.coverage.some((c) => c.reason.startsWith('could not list pods: ')), JSON.stringify(entry.live.coverage.slice(0, 3)));
    assert.equal(entry.live.snapshot.size, 0);
  });

  test('with namespaces: only those, and cluster-scoped kinds are a named gap', async () => {
    const { live } = await start(undefined, { namespaces: ['team-b'] });
    await live.whenSynced();
    assert.deepEqual(pods(live), ['team-b/b']);
    assert.ok(live.coverage.some((c) => c.reason.startsWith('cluster-scoped kinds not watched with --namespace: ') && c.reason.includes('ClusterRole')));
  });

  test('no cluster configured is a clear error, not localhost:8080', async () => {
    await assert.rejects(LiveSnapshot.start({ env: {}, rules: ALL_RULES }), /no cluster configured/);
  });

  test('backoff grows, is capped, and is jittered', () => {
    const timing = { initialBackoffMs: 100, maxBackoffMs: 1_000 };
    assert.equal(backoff(1, timing, () => 0.5), 100);
    assert.equal(backoff(3, timing, () => 0.5), 400);
    assert.equal(backoff(50, timing, () => 0.5), 1_000);
    assert.equal(backoff(1, timing, () => 0), 50);
    assert.equal(backoff(1, timing, () => 0.999), 150);
  });
});
