// kfguard running in a pod: no kubeconfig, only KUBERNETES_SERVICE_HOST/PORT and the service
// account's token and CA files. The real client-node `loadFromCluster` reads them; its own
// `pathPrefix` parameter points it at a temporary directory instead of /var/run/secrets, and the
// fake API server (test-only) checks the bearer token and serves TLS with the CA written there.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { WatchSession } from '../../src/watch/watch-session.js';
import type { WatchRecord } from '../../src/watch/sinks.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { objectsOfYaml, serve, waitFor, type JsonReport, type ServedCluster } from './helpers.js';

const MINER = objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: miner, namespace: team-a}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333"]}]}`);

/** A pod's service-account mount under `root`, as the kubelet projects it. */
function mountServiceAccount(root: string, token: string, caPem: string): void {
  const dir = join(root, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), token);
  writeFileSync(join(dir, 'ca.crt'), caPem);
  writeFileSync(join(dir, 'namespace'), 'kfguard');
}

describe('in-cluster service-account configuration', () => {
  let cluster: ServedCluster;
  const pod = tempDir('kfguard-pod-');
  const home = tempDir('kfguard-home-');
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  let env: NodeJS.ProcessEnv;

  before(async () => {
    cluster = await serve({ objects: MINER });
    mountServiceAccount(pod.path, cluster.server.token, cluster.server.caPem);
    const url = new URL(cluster.server.url);
    // client-node reads these from process.env; kfguard reads them from the env it is given.
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
    // No KUBECONFIG and a HOME without ~/.kube/config: only the service account is left.
    env = { PATH: process.env.PATH, HOME: home.path, KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port };
  });

  after(async () => {
    await cluster.close();
    pod.cleanup();
    home.cleanup();
    for (const [key, value] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test('scan --cluster reads the mounted token and CA and names the context in-cluster', async () => {
    const before = cluster.server.requests.length;
    const run = await runCli(['scan', '--cluster', '-f', 'json'], { env, serviceAccountRoot: pod.path });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.resource.name, 'miner');
    assert.equal(miner?.origin?.context, 'in-cluster');
    const answered = cluster.server.requests.slice(before);
    assert.ok(answered.length > 0 && answered.every((r) => r.status !== 401), 'every request carried the mounted token');
  });

  test('a token the server refuses is an error naming the cause, not an empty scan', async () => {
    const other = tempDir('kfguard-pod-');
    try {
      mountServiceAccount(other.path, 'not-the-token', cluster.server.caPem);
      const run = await runCli(['scan', '--cluster', '-f', 'json'], { env, serviceAccountRoot: other.path });
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, /unauthorized/);
    } finally {
      other.cleanup();
    }
  });

  test('KUBERNETES_SERVICE_HOST without a mounted token is "no cluster configured", never localhost:8080', async () => {
    const empty = tempDir('kfguard-pod-');
    try {
      const run = await runCli(['scan', '--cluster'], { env, serviceAccountRoot: empty.path });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /no cluster configured/);
    } finally {
      empty.cleanup();
    }
  });

  test('watch syncs through the service account and reports the miner', async () => {
    const records: WatchRecord[] = [];
    const session = new WatchSession({
      env,
      serviceAccountRoot: pod.path,
      rules: ALL_RULES,
      config: DEFAULT_CONFIG,
      sinks: [{ send: (r) => void records.push(r), close: async () => {} }],
      resyncMs: 60_000,
      log: () => {},
    });
    try {
      await session.start();
      assert.equal(session.snapshot?.context, 'in-cluster');
      await waitFor(() => records.some((r) => r.kind === 'finding' && r.state === 'open' && r.finding.resource.name === 'miner'), 5_000, 'the miner finding');
    } finally {
      await session.stop(100);
    }
  });
});
