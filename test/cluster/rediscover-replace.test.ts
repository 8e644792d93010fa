// Rediscovery when a kind the watch already follows comes back under another resource name (its CRD
// deleted and created again as `wfs.argoproj.io`, or a hostile server renaming it each time): the
// kind must stay watched by one informer, under the name served now, without a false gap left by
// the old name, and the informers must not grow with every discovery.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { LiveSnapshot, type LiveChange } from '../../src/sources/cluster/live-snapshot.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';
import { LiveApi } from './live-api.js';

const crd = (plural: string) =>
  objectsOfYaml(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${plural}.argoproj.io}
spec:
  group: argoproj.io
  scope: Namespaced
  names: {kind: Workflow, plural: ${plural}}
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

test('a kind served again under a new resource name is watched by one informer, under that name', async () => {
  const cluster = await serve({ objects: [crd('workflows'), workflow('first')], bookmarkIntervalMs: 20 });
  const entry: { cluster: ServedCluster; live?: LiveSnapshot } = { cluster };
  opened.push(entry);
  const changes: LiveChange[] = [];
  const live = await LiveSnapshot.start({ kubeconfig: cluster.kubeconfig, env: {}, rules: ALL_RULES, timing: FAST, client: { retryDelayMs: 1 }, rediscoverMs: 40, beforeChange: (c) => changes.push(c) });
  entry.live = live;
  await live.whenSynced();
  assert.equal(live.snapshot.ofKind('Workflow').length, 1);
  const api = await LiveApi.open(cluster.kubeconfig);
  const workflowInformers = (): string[] => live.watched.filter((d) => d.includes('argoproj.io'));
  let previous = 'workflows';
  for (const plural of ['wfs', 'wf2', 'wf3']) {
    // Through the API: a CRD deleted takes its kinds and objects with it.
    await api.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${previous}.argoproj.io`);
    cluster.server.create(crd(plural));
    cluster.server.create(workflow(`in-${plural}`));
    await waitFor(() => live.snapshot.get('Workflow', 'team-a', `in-${plural}`) !== undefined, 20_000, `the Workflow served as ${plural}`);
    previous = plural;
  }
  // Several discoveries more: nothing changes.
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(workflowInformers(), ['wf3.argoproj.io'], 'one informer for Workflow, under the name served now');
  const stale = live.coverage.filter((c) => /(workflows|wfs|wf2)\.argoproj\.io/.test(c.reason));
  assert.deepEqual(stale, [], 'no gap left by a name no longer served');
  // Still watched: a Workflow created now arrives through the watch.
  cluster.server.create(workflow('after'));
  await waitFor(() => live.snapshot.get('Workflow', 'team-a', 'after') !== undefined, 20_000, 'the Workflow created after');
});
