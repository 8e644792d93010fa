// readFeed: a list's pages become snapshot changes as they arrive; what a restarted or failed list
// gave is taken back, so the snapshot ends as if the whole list had been awaited.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { ListFeed, readFeed } from '../../src/sources/cluster/list-feed.js';

const pod = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } });

async function changesOf(feed: ListFeed): Promise<{ changes: string[]; kept: string[] }> {
  const changes: string[] = [];
  const reading = readFeed(feed);
  let next = await reading.next();
  for (; !next.done; next = await reading.next()) changes.push(`${next.value.type} ${next.value.object.metadata?.name}`);
  return { changes, kept: next.value.map((o) => String(o.metadata?.name)) };
}

test('pages are read as they arrive, before the list ends', async () => {
  const feed = new ListFeed();
  const reading = readFeed(feed);
  feed.page([pod('a'), pod('b')]);
  assert.deepEqual((await reading.next()).value, { type: 'upsert', object: pod('a') });
  assert.deepEqual((await reading.next()).value, { type: 'upsert', object: pod('b') });
  const third = reading.next();
  feed.page([pod('c')]);
  assert.deepEqual((await third).value, { type: 'upsert', object: pod('c') });
  feed.finish(false);
  const end = await reading.next();
  assert.equal(end.done, true);
  assert.deepEqual(end.value, [pod('a'), pod('b'), pod('c')]);
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
