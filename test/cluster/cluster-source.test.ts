// The cluster source against the fake API server: the real client-node configuration and auth,
// over HTTPS with a bearer token, through pagination, expired continue tokens, refusals and drops.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { collect } from '../../src/core/source.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { ClusterSource, type ClusterSourceOptions } from '../../src/sources/cluster/cluster-source.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { objectsOfYaml, serve, type JsonReport, type ServedCluster } from './helpers.js';

/** 12 pods in two namespaces, a Secret and a Namespace: enough for several pages at limit 5. */
const OBJECTS = objectsOfYaml(
  [
    ...Array.from({ length: 12 }, (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: pod-${String(i).padStart(2, '0')}, namespace: ${i % 2 === 0 ? 'team-a' : 'team-b'}}
spec: {containers: [{name: c, image: "registry.example/app@sha256:${'a'.repeat(64)}"}]}`),
    `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: team-a}
stringData: {password: hunter2}`,
    `apiVersion: v1
kind: Namespace
metadata: {name: team-a}`,
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]`,
  ].join('\n---\n'),
);

async function drain(options: Partial<ClusterSourceOptions> & { kubeconfig: string }) {
  const source = new ClusterSource({ env: {}, rules: ALL_RULES, namespaces: [], client: { retryDelayMs: 1 }, ...options });
  const snapshot = newSnapshot();
  const collected = await collect([source], snapshot);
  return { source, objects: collected.objects };
}

describe('cluster source', () => {
  let cluster: ServedCluster;
  before(async () => {
    cluster = await serve({ objects: OBJECTS });
  });
  after(() => cluster.close());

  test('lists every page with limit/continue, sets apiVersion and kind, drops managedFields', async () => {
    const { objects } = await drain({ kubeconfig: cluster.kubeconfig, pageSize: 5 });
    const pods = objects.filter((o) => o.object.kind === 'Pod');
    assert.equal(pods.length, 12);
    const pod = pods[0]!;
    assert.equal(pod.object.apiVersion, 'v1');
    assert.equal(pod.object.metadata?.managedFields, undefined);
    assert.equal(pod.origin.kind, 'cluster');
    const podPages = cluster.server.requests.filter((r) => r.path === '/api/v1/pods');
    assert.deepEqual(podPages.map((r) => r.query.get('limit')), ['5', '5', '5']);
    assert.equal(podPages.filter((r) => r.query.has('continue')).length, 2);
  });

  test('lists at most 4 resources at once', async () => {
    await drain({ kubeconfig: cluster.kubeconfig });
    assert.ok(cluster.server.maxConcurrentLists <= 4, `${cluster.server.maxConcurrentLists} lists in flight`);
    assert.ok(cluster.server.maxConcurrentLists >= 2, 'lists ran one at a time');
  });

  test('pages and lists share a few kept-alive connections, not one TLS handshake per request', async () => {
    const requestsBefore = cluster.server.requests.length;
    const connectionsBefore = cluster.server.connections;
    await drain({ kubeconfig: cluster.kubeconfig, pageSize: 1 });
    const requests = cluster.server.requests.length - requestsBefore;
    const connections = cluster.server.connections - connectionsBefore;
    assert.ok(requests > 20, `${requests} requests`);
    // Discovery and lists run at most 4 at a time: no more connections are ever needed at once.
    assert.ok(connections >= 1 && connections <= 4, `${connections} connections for ${requests} requests`);
  });

  test('only the kinds the selected rules judge or read are listed', async () => {
    const rbacOnly = ALL_RULES.filter((r) => r.meta.id === 'rbac-wildcard-permissions');
    const before = cluster.server.requests.length;
    await drain({ kubeconfig: cluster.kubeconfig, rules: rbacOnly });
    const listed = new Set(cluster.server.requests.slice(before).filter((r) => r.query.has('limit')).map((r) => r.path.split('/').pop()));
    assert.ok(listed.has('clusterroles') && listed.has('namespaces'));
    assert.ok(!listed.has('pods') && !listed.has('secrets'), `listed ${[...listed].join(', ')}`);
  });

  test('-n lists namespaced kinds in those namespaces only, and reads the Namespace itself', async () => {
    const { objects, source } = await drain({ kubeconfig: cluster.kubeconfig, namespaces: ['team-a'] });
    const pods = objects.filter((o) => o.object.kind === 'Pod');
    assert.equal(pods.length, 6);
    assert.ok(pods.every((p) => p.object.metadata?.namespace === 'team-a'));
    assert.ok(objects.some((o) => o.object.kind === 'Namespace' && o.object.metadata?.name === 'team-a'));
    assert.ok(!objects.some((o) => o.object.kind === 'ClusterRole'));
    assert.ok(source.result.coverage.some((c) => /cluster-scoped kinds not listed with --namespace: .*ClusterRole/.test(c.reason)));
  });

  test('a namespace given twice is listed once (issue 11: -n a,a listed every kind twice)', async () => {
    const before = cluster.server.requests.length;
    const { source } = await drain({ kubeconfig: cluster.kubeconfig, namespaces: ['team-a', 'team-a'] });
    const podLists = cluster.server.requests.slice(before).filter((r) => r.path === '/api/v1/namespaces/team-a/pods' && r.query.has('limit'));
    assert.equal(podLists.length, 1);
    assert.equal(source.result.objects.filter((o) => o.kind === 'Pod').length, 6);
  });

  test('scan --cluster -n a,a -n a: each namespace once', async () => {
    const before = cluster.server.requests.length;
    const run = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-n', 'team-a,team-a', '-n', 'team-a', '-f', 'json', '--fail-on', 'none']);
    assert.equal(run.code, 0, run.stderr);
    const podLists = cluster.server.requests.slice(before).filter((r) => r.path === '/api/v1/namespaces/team-a/pods');
    assert.equal(podLists.length, 1);
  });
});

describe('cluster source when the server misbehaves', () => {
  test('a 410 on a continue token restarts that list from the beginning', async () => {
    const cluster = await serve({ objects: OBJECTS, expireContinueOnce: ['pods'] });
    try {
      const { objects, source } = await drain({ kubeconfig: cluster.kubeconfig, pageSize: 5 });
      assert.equal(objects.filter((o) => o.object.kind === 'Pod').length, 12, 'no pod lost or doubled');
      const podRequests = cluster.server.requests.filter((r) => r.path === '/api/v1/pods');
      assert.deepEqual(podRequests.map((r) => r.status), [200, 410, 200, 200, 200]);
      assert.equal(podRequests[2]!.query.has('continue'), false, 'the restart starts without a token');
      assert.deepEqual(source.result.coverage, []);
    } finally {
      await cluster.close();
    }
  });

  test('dropped connections and slow answers are retried', async () => {
    const cluster = await serve({ objects: OBJECTS, dropFirstLists: 2, delayMs: 20 });
    try {
      const { objects } = await drain({ kubeconfig: cluster.kubeconfig });
      assert.equal(objects.filter((o) => o.object.kind === 'Pod').length, 12);
      assert.equal(cluster.server.requests.filter((r) => r.status === 0).length, 2);
    } finally {
      await cluster.close();
    }
  });

  test('an exec credential plugin supplies the token', async () => {
    const dir = tempDir();
    const plugin = join(dir.path, 'plugin.mjs');
    const token = 'token-from-exec-plugin';
    writeFileSync(plugin, `process.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: {token: '${token}'}}));`);
    const cluster = await serve({ objects: OBJECTS, token }, { exec: { command: process.execPath, args: [plugin] } });
    try {
      const { objects } = await drain({ kubeconfig: cluster.kubeconfig });
      assert.equal(objects.filter((o) => o.object.kind === 'Pod').length, 12);
    } finally {
      await cluster.close();
      dir.cleanup();
    }
  });
});

describe('kfguard scan --cluster', () => {
  test('a 403 becomes a coverage entry in text and JSON, and the scan goes on', async () => {
    const cluster = await serve({ objects: OBJECTS, forbidden: ['secrets'] });
    try {
      const json = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as JsonReport;
      const gap = report.coverage.find((c) => c.reason.startsWith('could not list secrets (all namespaces): forbidden (HTTP 403)'));
      assert.ok(gap, JSON.stringify(report.coverage));
      assert.equal(gap.source, 'cluster');
      const text = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '--fail-on', 'none']);
      assert.match(text.stdout, /could not list secrets \(all namespaces\): forbidden/);
    } finally {
      await cluster.close();
    }
  });

  test('exit 2 with one clear line when nothing could be listed', async () => {
    const cluster = await serve({ objects: OBJECTS }, { token: 'wrong-token' });
    try {
      const run = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^kfguard: input error: cannot read the API of https:\/\/127\.0\.0\.1:\d+ \(context fake\): unauthorized/);
    } finally {
      await cluster.close();
    }
  });

  test('no kubeconfig and no service account is an error, never localhost:8080', async () => {
    const run = await runCli(['scan', '--cluster'], { env: { HOME: '/nonexistent-home' } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no cluster configured/);
    assert.doesNotMatch(run.stderr, /8080/);
  });

  test('cluster flags without --cluster, and paths with it, are usage errors', async () => {
    assert.equal((await runCli(['scan', '-n', 'x'])).code, 2);
    assert.match((await runCli(['scan', '--cluster', 'dir/'])).stderr, /takes no PATH/);
  });

  test('a miner Pod cannot silence itself with kfguard.io/ignore in a cluster', async () => {
    // Files honour a dated ignore (an undated one no longer silences a threat finding anywhere).
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const miner = objectsOfYaml(`apiVersion: v1
kind: Pod
metadata:
  name: helper
  namespace: team-a
  annotations: {kfguard.io/ignore: crypto-miner-workload, kfguard.io/ignore-reason: "benchmark job", kfguard.io/ignore-until: "${until}"}
spec:
  containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333"]}]`);
    const cluster = await serve({ objects: miner });
    const file = join(cluster.dir, 'miner.yaml');
    writeFileSync(file, JSON.stringify(miner[0]));
    try {
      const live = JSON.parse((await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      const finding = live.findings.find((f) => f.ruleId === 'crypto-miner-workload');
      assert.ok(finding, 'miner not reported');
      assert.equal(finding.suppression, undefined);
      assert.ok(live.warnings.some((w) => w.includes('not honoured for crypto-miner-workload')));
      const fromFile = JSON.parse((await runCli(['scan', file, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      assert.equal(fromFile.findings.find((f) => f.ruleId === 'crypto-miner-workload')?.suppression?.kind, 'inline', 'files still honour it');
    } finally {
      await cluster.close();
    }
  });
});
