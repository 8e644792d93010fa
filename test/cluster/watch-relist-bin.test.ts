// run-tests: alone
// (Its latency bounds are wall-clock: the built binary judges in another process.)
// What a relist brings, and what a later discovery finds served, is judged at once. The watches drop; while they are down a miner Pod is
// created and another deleted; etcd is compacted, so the resumed watches get 410 and the watch
// lists again. The new miner must be reported, and the deleted one resolved, from judging what the
// relist changed, not at the next full evaluation (600 s away here; tens of seconds on a large
// cluster, where full evaluations space out). The built binary against the fake API server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const pod = (name: string, image: string, args = '[]') =>
  objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: team-a}
spec: {containers: [{name: c, image: "${image}", args: ${args}}]}`)[0]!;
const MINER_ARGS = '[-o, "stratum+tcp://pool.supportxmr.com:3333", --donate-level=1]';

interface Line {
  kind: string;
  state: string;
  finding?: { ruleId: string; resource: { kind: string; name: string } };
}

describe('watch: a relist after 410 is judged at once (built binary, fake API server)', () => {
  let cluster: ServedCluster;
  let pending = '';
  let stderr = '';
  let child: ReturnType<typeof spawn>;
  const records: { at: number; line: Line }[] = [];
  const on = (name: string, state: string) => records.filter(({ line }) => line.kind === 'finding' && line.state === state && line.finding?.ruleId === 'crypto-miner-workload' && line.finding.resource.name === name);

  before(async () => {
    cluster = await serve({ objects: [pod('web', 'nginx:1.27'), pod('old-miner', 'xmrig/xmrig:6.21.0', MINER_ARGS)], bookmarkIntervalMs: 200 });
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '--resync', '600'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) records.push({ at: Date.now(), line: JSON.parse(line) as Line });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
  });

  after(async () => {
    child.kill('SIGKILL');
    await cluster.close();
  });

  test('a miner created and one deleted while the watches were down: reported and resolved by the relist', async () => {
    await waitFor(() => on('old-miner', 'open').length > 0, 10_000, `the old miner's finding at sync (stderr: ${stderr})`);
    await waitFor(() => cluster.server.openWatches > 0, 10_000, 'the watches to open');
    const lists = cluster.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.has('watch')).length;
    // One turn: no watch can reconnect before the compaction, so only a relist sees both changes.
    const changed = Date.now();
    cluster.server.dropWatches();
    cluster.server.create(pod('new-miner', 'xmrig/xmrig:6.21.0', MINER_ARGS));
    cluster.server.remove(pod('old-miner', 'xmrig/xmrig:6.21.0', MINER_ARGS));
    cluster.server.compact();
    await waitFor(() => on('new-miner', 'open').length > 0 && on('old-miner', 'resolved').length > 0, 20_000, `the relist's changes judged (stderr: ${stderr})`);
    assert.ok(cluster.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.query.has('watch')).length > lists, 'the Pods were listed again');
    // The informer waits its backoff (0.5 s at first, jittered) before resuming, then lists: well
    // under the 600 s full evaluation, and under the 2 s a watched create gets plus that wait.
    const latest = Math.max(on('new-miner', 'open')[0]!.at, on('old-miner', 'resolved')[0]!.at) - changed;
    assert.ok(latest < 4_000, `judged ${latest} ms after the changes`);
    // Unchanged objects are not reported again by the relist.
    assert.equal(records.filter(({ line }) => line.kind === 'finding' && line.finding?.resource.name === 'web').length, 0);
    assert.equal(on('old-miner', 'open').length, 1);
  });
});

describe('watch: a kind served after the start is watched (built binary, fake API server)', () => {
  let cluster: ServedCluster;
  let pending = '';
  let stderr = '';
  let child: ReturnType<typeof spawn>;
  const records: { at: number; line: Line }[] = [];

  before(async () => {
    cluster = await serve({ objects: [pod('web', 'nginx:1.27')], bookmarkIntervalMs: 200 });
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '--resync', '600', '--rediscover', '1'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) records.push({ at: Date.now(), line: JSON.parse(line) as Line });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
  });

  after(async () => {
    child.kill('SIGKILL');
    await cluster.close();
  });

  test('Argo installed after the start: a miner Workflow is reported, and stderr names the new kind', async () => {
    assert.doesNotMatch(stderr, /workflows/);
    cluster.server.create(
      objectsOfYaml(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: workflows.argoproj.io}
spec:
  group: argoproj.io
  scope: Namespaced
  names: {kind: Workflow, plural: workflows}
  versions: [{name: v1alpha1, served: true, storage: true}]`)[0]!,
    );
    const created = Date.now();
    cluster.server.create(
      objectsOfYaml(`apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: mine, namespace: team-a}
spec: {entrypoint: main, templates: [{name: main, container: {image: "xmrig/xmrig:6.21.0", args: ${MINER_ARGS}}}]}`)[0]!,
    );
    const found = () => records.find(({ line }) => line.kind === 'finding' && line.state === 'open' && line.finding?.ruleId === 'crypto-miner-workload' && line.finding.resource.kind === 'Workflow');
    await waitFor(() => found() !== undefined, 20_000, `the Workflow's finding (stderr: ${stderr})`);
    // Discovery every second, then a list: a few seconds, not a restart.
    assert.ok(found()!.at - created < 5_000, `reported ${found()!.at - created} ms after it was created`);
    assert.match(stderr, /now served, and watched: .*workflows/);
  });
});
