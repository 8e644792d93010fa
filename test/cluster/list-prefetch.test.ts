// A list asks for its next page before it normalises and hands on the page it has: the server
// builds page N+1 while kfguard reads page N (on the longest list of a scan the round trips are in
// series). The real client against the fake API server; a spy on the client's get (delegating to
// the real one) records the order of requests and hand-overs.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ApiClient } from '../../src/sources/cluster/api-client.js';
import { connect } from '../../src/sources/cluster/connection.js';
import { listAll } from '../../src/sources/cluster/list.js';
import { ListFeed } from '../../src/sources/cluster/list-feed.js';
import { objectsOfYaml, serve, type ServedCluster } from './helpers.js';

const pods = (count: number) =>
  objectsOfYaml(
    Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ns${i % 3}}\nspec: {containers: [{name: c, image: nginx}]}`).join('\n---\n'),
  );
const POD_RESOURCE = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true } as Parameters<typeof listAll>[1];

const opened: ServedCluster[] = [];
afterEach(async () => {
  for (const cluster of opened.splice(0)) await cluster.close();
});

async function spiedList(options: { expireContinueOnce?: string[] } = {}) {
  const cluster = await serve({ objects: pods(10), ...options });
  opened.push(cluster);
  const client = new ApiClient(await connect({ kubeconfig: cluster.kubeconfig, env: {} }), { retryDelayMs: 1 });
  const events: string[] = [];
  const get = client.get.bind(client);
  client.get = (path, query = {}) => {
    events.push(`get ${query.continue === undefined ? 'first' : 'next'}`);
    return get(path, query);
  };
  const feed = new ListFeed();
  const page = feed.page.bind(feed);
  feed.page = (objects) => {
    events.push(`page ${objects.length}`);
    page(objects);
  };
  const listed = await listAll(client, POD_RESOURCE, undefined, 4, feed);
  return { listed, events };
}

test('the next page is asked for before the current one is handed on; the last page asks for nothing', async () => {
  const { listed, events } = await spiedList();
  assert.equal(listed.objects.length, 10);
  assert.deepEqual(events, ['get first', 'get next', 'page 4', 'get next', 'page 4', 'page 2']);
});

test('a 410 on a continue token asked for ahead still restarts the list, and nothing is lost', async () => {
  const { listed, events } = await spiedList({ expireContinueOnce: ['pods'] });
  assert.equal(listed.restarts, 1);
  assert.deepEqual(listed.objects.map((o) => o.metadata?.name).sort(), pods(10).map((o) => o.metadata?.name).sort());
  assert.equal(events.filter((e) => e === 'get first').length, 2);
});
