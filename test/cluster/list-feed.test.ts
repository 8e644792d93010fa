// readFeed: a list's pages become snapshot changes as they arrive; what a restarted or failed list
// gave is taken back, so the snapshot ends as if the whole list had been awaited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identityOf } from '../../src/core/snapshot.js';
import type { K8sObject } from '../../src/core/types.js';
import { ListFeed, readFeed, type FeedChange, type ReadFeedOptions } from '../../src/sources/cluster/list-feed.js';
import { ListHolders } from '../../src/sources/cluster/list-holders.js';

const pod = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } });

/** The changes without the identity each hands on, after checking it is the object's own: the snapshot trusts it. */
const plain = (changes: readonly FeedChange[] | undefined): { type: string; object: K8sObject }[] =>
  (changes ?? []).map(({ type, object, identity }) => {
    assert.equal(identity, identityOf(object), `identity handed on for ${String(object.metadata?.name)}`);
    return { type, object };
  });

async function changesOf(feed: ListFeed, options: ReadFeedOptions = {}): Promise<{ changes: string[]; kept: string[] }> {
  const changes: string[] = [];
  const reading = readFeed(feed, options);
  let next = await reading.next();
  for (; !next.done; next = await reading.next()) {
    assert.notEqual(next.value.length, 0, 'no empty batch');
    for (const change of plain(next.value)) changes.push(`${change.type} ${change.object.metadata?.name}`);
  }
  return { changes, kept: next.value.kept.map((o) => String(o.metadata?.name)) };
}

test('pages are read as they arrive, before the list ends, one batch of changes each', async () => {
  const feed = new ListFeed();
  const reading = readFeed(feed);
  feed.page([pod('a'), pod('b')]);
  assert.deepEqual(plain((await reading.next()).value as FeedChange[]), [
    { type: 'upsert', object: pod('a') },
    { type: 'upsert', object: pod('b') },
  ]);
  const second = reading.next();
  feed.page([pod('c')]);
  assert.deepEqual(plain((await second).value as FeedChange[]), [{ type: 'upsert', object: pod('c') }]);
  feed.finish(false);
  const end = await reading.next();
  assert.equal(end.done, true);
  assert.deepEqual(end.value, { kept: [pod('a'), pod('b'), pod('c')], incomplete: 0 });
});

test('after a restart, what the first attempt gave and the second did not is deleted', async () => {
  const feed = new ListFeed();
  feed.page([pod('a'), pod('gone')]);
  feed.restart();
  feed.page([pod('a'), pod('b')]);
  feed.finish(false);
  assert.deepEqual(await changesOf(feed), { changes: ['upsert a', 'upsert gone', 'upsert a', 'upsert b', 'delete gone'], kept: ['a', 'b'] });
});

test('a list that fails after some pages takes back everything it gave', async () => {
  const feed = new ListFeed();
  feed.page([pod('a')]);
  feed.restart();
  feed.page([pod('b')]);
  feed.finish(true);
  assert.deepEqual(await changesOf(feed), { changes: ['upsert a', 'upsert b', 'delete a', 'delete b'], kept: [] });
});

const unnamedPod = (): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns' } });

test('an unnamed object waits for its list to end: put in once when the list ends well', async () => {
  const feed = new ListFeed();
  feed.page([pod('a'), unnamedPod()]);
  feed.restart();
  feed.page([unnamedPod(), pod('a')]);
  feed.finish(false);
  const reading = readFeed(feed);
  const changes: string[] = [];
  let next = await reading.next();
  for (; !next.done; next = await reading.next()) for (const change of plain(next.value)) changes.push(`${change.type} ${change.object.metadata?.name ?? '<unnamed>'}`);
  assert.deepEqual(changes, ['upsert a', 'upsert a', 'upsert <unnamed>']);
  assert.equal(next.value.incomplete, 1);
});

test('an unnamed object of a list that fails is never put in', async () => {
  const feed = new ListFeed();
  feed.page([unnamedPod(), pod('a')]);
  feed.finish(true);
  assert.deepEqual(await changesOf(feed), { changes: ['upsert a', 'delete a'], kept: [] });
});

test('taking back what a failed list gave keeps the copy another list still holds', async () => {
  const holders = new ListHolders();
  const first = new ListFeed();
  first.page([pod('shared'), pod('own')]);
  first.finish(false);
  assert.deepEqual(await changesOf(first, { holders, list: 0 }), { changes: ['upsert shared', 'upsert own'], kept: ['shared', 'own'] });
  const second = new ListFeed();
  const copy: K8sObject = { ...pod('shared'), spec: { from: 'second' } };
  second.page([copy, pod('mine')]);
  second.finish(true);
  const changes: { type: string; object: K8sObject }[] = [];
  const reading = readFeed(second, { holders, list: 1 });
  let next = await reading.next();
  for (; !next.done; next = await reading.next()) changes.push(...plain(next.value));
  // The first list's copy is put back rather than the identity deleted.
  assert.deepEqual(changes, [
    { type: 'upsert', object: copy },
    { type: 'upsert', object: pod('mine') },
    { type: 'upsert', object: pod('shared') },
    { type: 'delete', object: pod('mine') },
  ]);
});

test('an unnamed object of a list that failed is not put in', async () => {
  const feed = new ListFeed();
  feed.page([pod('a'), unnamedPod()]);
  feed.finish(true);
  const reading = readFeed(feed);
  const changes: string[] = [];
  let next = await reading.next();
  for (; !next.done; next = await reading.next()) for (const change of plain(next.value)) changes.push(`${change.type} ${change.object.metadata?.name ?? '<unnamed>'}`);
  assert.deepEqual(changes, ['upsert a', 'delete a']);
  assert.equal(next.value.incomplete, 0);
});
