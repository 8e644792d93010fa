// The fake API server's DELETE, and CRDs created through its API serving their kinds: what the
// live-cluster helper (live-cluster.ts) needs to run the portable suite against a standalone fake
// server as against a real one, checked here through the same client it uses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { objectsOfYaml, serve, type ServedCluster } from './helpers.js';
import { LiveApi, LiveApiError } from './live-api.js';

const POD = (name: string, namespace: string) => objectsOfYaml(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {containers: [{name: c, image: nginx}]}`)[0]!;
const CRD = objectsOfYaml(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true}]`)[0]!;
const WIDGET = objectsOfYaml('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: team-a}\nspec: {size: 1}')[0]!;

const status = async (call: Promise<unknown>): Promise<number> => call.then(() => 200, (error: unknown) => (error instanceof LiveApiError ? error.status : Promise.reject(error)));

describe('fake API server: DELETE and CRDs created through the API', () => {
  let cluster: ServedCluster;
  let api: LiveApi;
  before(async () => {
    cluster = await serve({ objects: [POD('a', 'team-a'), POD('b', 'team-a'), POD('c', 'team-b')], forbiddenWrites: ['configmaps'] });
    api = await LiveApi.open(cluster.kubeconfig);
  });
  after(() => cluster.close());

  test('DELETE removes the item and tells the watches; again, it is 404; without the verb, 403', async () => {
    const rv = cluster.server.resourceVersion;
    assert.equal(await status(api.request('DELETE', '/api/v1/namespaces/team-a/pods/a')), 200);
    assert.deepEqual((await api.list('v1', 'Pod', 'team-a')).map((p) => p.metadata?.name), ['b']);
    assert.equal(cluster.server.resourceVersion, rv + 1, 'the deletion is a change watches see');
    assert.equal(await status(api.request('DELETE', '/api/v1/namespaces/team-a/pods/a')), 404);
    await api.request('POST', '/api/v1/namespaces/team-a/pods', POD('a', 'team-a'));
    assert.equal(await status(api.request('DELETE', '/api/v1/namespaces/team-a/configmaps/x')), 403);
  });

  test('a CRD created through the API serves its kind; deleting it takes the kind and its objects', async () => {
    assert.equal(await api.resourceOf('example.com/v1', 'Widget'), undefined);
    await api.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD);
    assert.deepEqual(await api.resourceOf('example.com/v1', 'Widget'), { plural: 'widgets', namespaced: true });
    await api.request('POST', '/apis/example.com/v1/namespaces/team-a/widgets', WIDGET);
    assert.equal((await api.list('example.com/v1', 'Widget', 'team-a')).length, 1);
    await api.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    // A new client: this one remembers the kind it found.
    assert.equal(await (await LiveApi.open(cluster.kubeconfig)).resourceOf('example.com/v1', 'Widget'), undefined);
    assert.equal(await status(api.request('POST', '/apis/example.com/v1/namespaces/team-a/widgets', WIDGET)), 404);
  });

  test('deleting a Namespace deletes what is in it, and nothing elsewhere', async () => {
    await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    await api.request('DELETE', '/api/v1/namespaces/team-a');
    assert.deepEqual(await api.list('v1', 'Pod', 'team-a'), []);
    assert.deepEqual((await api.list('v1', 'Pod')).map((p) => p.metadata?.name), ['c']);
  });
});
