// run-tests: alone
// (Its latency bounds, under 2 s, are wall-clock: the built binary judges in another process.)
// `kfguard watch` as users run it: the built binary against an API server over HTTPS (the fake
// one, or a real one: see test-cluster.ts). A miner Pod created after the sync is reported within
// 2 s; updates, deletes, owner folding, coverage gaps, the alert webhook, metrics and SIGTERM are
// observed from outside.
// live-suite: portable
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { labelsOf, ownerReferencesOf } from '../../src/core/object.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import type { K8sObject } from '../../src/core/types.js';
import { objectsOfFiles, objectsOfYaml, serve, waitFor } from './helpers.js';
import { clusterWith, fakeOnly, LIVE, type TestCluster } from './test-cluster.js';

const MINER_ARGS = '[-o, "stratum+tcp://pool.supportxmr.com:3333", --donate-level=1]';

const farm = (container: string): K8sObject =>
  objectsOfYaml(`apiVersion: apps/v1
kind: Deployment
metadata: {name: farm, namespace: team-a}
spec:
  selector: {matchLabels: {app: farm}}
  template:
    metadata: {labels: {app: farm}}
    spec: {containers: [{name: c, ${container}}]}`)[0]!;

/** Polls an async lookup until it finds something; fails after `timeoutMs`. */
async function pollFor<T>(lookup: () => Promise<T[]>, what: string, timeoutMs = 30_000): Promise<T[]> {
  const start = Date.now();
  for (;;) {
    const found = await lookup();
    if (found.length > 0) return found;
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not found within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const minerPod = (name: string, extra = '') =>
  objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: team-a${extra}}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: ${MINER_ARGS}}]}`)[0]!;

interface Record {
  kind: 'finding' | 'coverage';
  state: string;
  reason?: string;
  into?: { kind: string; name: string };
  finding?: { ruleId: string; resource: { kind: string; namespace?: string; name: string }; origin?: { kind: string }; suppression?: unknown };
}

class WatchProcess {
  readonly records: { at: number; record: Record }[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let pending = '';
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line) this.records.push({ at: Date.now(), record: JSON.parse(line) as Record });
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  findings(state: string, name: string): Record[] {
    return this.records.map((r) => r.record).filter((r) => r.kind === 'finding' && r.state === state && r.finding?.resource.name === name);
  }

  async waitForFinding(state: string, name: string, timeoutMs = 10_000): Promise<{ at: number; record: Record }> {
    await waitFor(() => this.findings(state, name).length > 0, timeoutMs, `a ${state} finding on ${name} (stderr: ${this.stderr})`);
    return this.records.find((r) => r.record.kind === 'finding' && r.record.state === state && r.record.finding?.resource.name === name)!;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

describe('kfguard watch (built binary)', () => {
  let cluster: TestCluster;
  let watch: WatchProcess;
  const alerts: unknown[] = [];
  let alertFailures = 2;
  const alertServer = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      // The first two deliveries fail: the sink must retry, in order, without losing them.
      if (alertFailures-- > 0) return void res.writeHead(503).end();
      alerts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  let metricsPort = 0;

  before(async () => {
    cluster = await clusterWith(
      objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: quiet, namespace: team-a}
spec: {containers: [{name: c, image: nginx}]}`),
      { fake: { forbidden: ['secrets'], bookmarkIntervalMs: 200 } },
    );
    await new Promise<void>((resolve) => alertServer.listen(0, '127.0.0.1', resolve));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    metricsPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const alertUrl = `http://127.0.0.1:${(alertServer.address() as AddressInfo).port}/hook`;
    watch = new WatchProcess(['--kubeconfig', cluster.kubeconfig, '--alert-webhook', alertUrl, '--metrics-port', String(metricsPort), '--metrics-address', '127.0.0.1', '--resync', '1']);
    await waitFor(() => watch.stderr.includes('synced:'), 30_000, `sync (stderr: ${watch.stderr})`);
  });

  after(async () => {
    await watch.stop('SIGKILL');
    await cluster.close();
    await new Promise((resolve) => alertServer.close(resolve));
  });

  test('a refused kind is a coverage record, not a crash', fakeOnly('the refusal of secrets is injected into the fake server'), () => {
    const gaps = watch.records.filter((r) => r.record.kind === 'coverage').map((r) => r.record.reason);
    assert.ok(gaps.includes('could not list secrets: forbidden'), JSON.stringify(gaps));
  });

  test('a miner Pod created after the sync is reported within 2 s, once', async () => {
    const created = Date.now();
    await cluster.create(minerPod('miner'));
    const { at, record } = await watch.waitForFinding('open', 'miner');
    const latency = at - created;
    assert.ok(latency < 2_000, `finding after ${latency} ms`);
    assert.equal(record.finding?.origin?.kind, 'cluster');
    // A bookmark and a full resync later, still one record for it.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(watch.findings('open', 'miner').filter((f) => f.finding?.ruleId === record.finding?.ruleId).length, 1);
  });

  test('an annotation on the miner does not silence it', async () => {
    await cluster.create(minerPod('annotated', ', annotations: {kfguard.io/ignore: "crypto-miner-workload,miner-pool-connection"}'));
    const { record } = await watch.waitForFinding('open', 'annotated');
    assert.equal(record.finding?.suppression, undefined);
  });

  test(
    'an update that cleans an object resolves its findings (queued updates are judged too)',
    fakeOnly("a real API server refuses a change to a Pod's args (only images may change); the Deployment test cleans its template instead"),
    async () => {
    const clean = objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: annotated, namespace: team-a}
spec: {containers: [{name: c, image: nginx}]}`)[0]!;
    await cluster.update(clean);
    await watch.waitForFinding('resolved', 'annotated');
  },
  );

  test('deleting the miner resolves its findings', async () => {
    await cluster.remove(minerPod('miner'));
    await watch.waitForFinding('resolved', 'miner');
  });

  test("a Deployment's Pods fold into the Deployment's finding", async () => {
    await cluster.create(farm(`image: xmrig/xmrig:latest, args: ${MINER_ARGS}`));
    await watch.waitForFinding('open', 'farm');
    // The Pods of the Deployment's ReplicaSet: the controllers' own on a real cluster; where no
    // controller runs, made here as the ReplicaSet controller would make them.
    let replicaSet = { name: 'farm-5d8f7c9b', uid: 'u1' };
    let folded = ['farm-5d8f7c9b-x2x4k'];
    if (cluster.runsControllers) {
      const owned = await pollFor(async () => (await cluster.list('v1', 'Pod', 'team-a')).filter((p) => labelsOf(p).app === 'farm' && ownerReferencesOf(p).length > 0), 'the Pods of Deployment farm');
      const owner = ownerReferencesOf(owned[0]!)[0]!;
      replicaSet = { name: owner.name ?? '', uid: owner.uid ?? '' };
      folded = owned.map((p) => p.metadata!.name!);
    } else {
      await cluster.create(minerPod('farm-5d8f7c9b-x2x4k', ', labels: {app: farm, pod-template-hash: 5d8f7c9b}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: farm-5d8f7c9b, controller: true, uid: u1}]'));
    }
    // A Pod that merely claims an owner whose finding differs is still reported as itself.
    await cluster.create(objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: ${replicaSet.name}-other, namespace: team-a, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: ${replicaSet.name}, controller: true, uid: ${replicaSet.uid}}]}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://xmr.pool.example.org:4444"]}]}`)[0]!);
    await watch.waitForFinding('open', `${replicaSet.name}-other`);
    await new Promise((r) => setTimeout(r, 1_500));
    for (const name of [...folded, replicaSet.name]) assert.deepEqual(watch.findings('open', name), [], `${name} reported besides the Deployment`);
  });

  test("cleaning the Deployment's template resolves its finding", async () => {
    await cluster.update(farm('image: nginx'));
    await watch.waitForFinding('resolved', 'farm');
  });

  test('the alert webhook gets the records despite failures, in order; metrics count open findings', async () => {
    await waitFor(() => alerts.some((a) => (a as Record).finding?.resource.name === 'annotated'), 15_000, 'alerts delivered');
    const first = alerts.find((a) => (a as Record).kind === 'finding') as Record;
    assert.equal(first.finding?.resource.name, 'miner');
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    const text = await response.text();
    assert.match(text, /kfguard_findings\{rule="crypto-miner-workload",severity="critical"\} [1-9]/);
    assert.match(text, /kfguard_snapshot_synced 1/);
    // The refused secrets on the fake server; nothing refused to a real cluster's admin.
    assert.match(text, new RegExp(`kfguard_coverage_gaps ${LIVE ? 0 : 1}`));
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status, 200);
  });

  test('SIGTERM stops it cleanly with exit 0', async () => {
    assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    assert.match(watch.stderr, /stopping/);
  });
});

describe('kfguard watch: the Istio gateway switched to LoadBalancer and back', () => {
  const served = () =>
    objectsOfFiles(...['istio-gateway.yaml', 'kubeflow-routing.yaml', 'central-dashboard.yaml', 'pipelines.yaml'].map((f) => join(REPO_ROOT, 'examples', 'exposed-kubeflow', f)));
  const gatewayOf = (objects: K8sObject[], type: string): K8sObject => {
    const gateway = objects.find((o) => o.kind === 'Service' && o.metadata?.name === 'istio-ingressgateway')!;
    return { ...gateway, spec: { ...(gateway.spec as object), type } };
  };
  let cluster: TestCluster;
  let watch: WatchProcess;
  const exposures = (state: string): Record[] => watch.findings(state, 'istio-ingressgateway').filter((r) => r.finding?.ruleId === 'kubeflow-dashboard-exposed');

  before(async () => {
    // Kubeflow ships the gateway as ClusterIP: nothing is exposed at sync.
    const objects = served().map((o) => (o.kind === 'Service' && o.metadata?.name === 'istio-ingressgateway' ? gatewayOf([o], 'ClusterIP') : o));
    cluster = await clusterWith(objects, { fake: { bookmarkIntervalMs: 200 } });
    // A long resync: what is seen comes from judging the change, not from a full evaluation.
    watch = new WatchProcess(['--kubeconfig', cluster.kubeconfig, '--resync', '600']);
    await waitFor(() => watch.stderr.includes('synced:'), 30_000, `sync (stderr: ${watch.stderr})`);
  });

  after(async () => {
    await watch.stop('SIGKILL');
    await cluster.close();
  });

  test('switched to LoadBalancer: the dashboard exposure is reported within 2 s of the change', async () => {
    assert.deepEqual(exposures('open'), [], 'nothing exposed before the switch');
    const changed = Date.now();
    await cluster.update(gatewayOf(served(), 'LoadBalancer'));
    await waitFor(() => exposures('open').length > 0, 10_000, `the exposure finding (stderr: ${watch.stderr})`);
    const at = watch.records.find((r) => r.record.kind === 'finding' && r.record.state === 'open' && r.record.finding?.ruleId === 'kubeflow-dashboard-exposed')!.at;
    assert.ok(at - changed < 2_000, `finding ${at - changed} ms after the switch`);
    // The path finding on another object, the Pipelines UI behind the gateway, is judged again with
    // the change too, not at the next full evaluation (600 s away).
    const pipelinesUi = await watch.waitForFinding('open', 'ml-pipeline-ui');
    assert.equal(pipelinesUi.record.finding?.ruleId, 'kfp-single-user-exposed');
    assert.ok(pipelinesUi.at - changed < 2_000, `Pipelines UI finding ${pipelinesUi.at - changed} ms after the switch`);
  });

  test('switched back to ClusterIP: the exposure is resolved within 2 s', async () => {
    const changed = Date.now();
    await cluster.update(gatewayOf(served(), 'ClusterIP'));
    await waitFor(() => exposures('resolved').length > 0, 10_000, `the resolution (stderr: ${watch.stderr})`);
    const at = watch.records.find((r) => r.record.kind === 'finding' && r.record.state === 'resolved' && r.record.finding?.ruleId === 'kubeflow-dashboard-exposed')!.at;
    assert.ok(at - changed < 2_000, `resolved ${at - changed} ms after the switch`);
    const pipelinesUi = await watch.waitForFinding('resolved', 'ml-pipeline-ui');
    assert.ok(pipelinesUi.at - changed < 2_000, `Pipelines UI finding resolved ${pipelinesUi.at - changed} ms after the switch`);
  });

  test('a ClusterRole bound after the sync is judged again with the binding within 2 s', async () => {
    await cluster.create(objectsOfYaml(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]`)[0]!);
    const unbound = await watch.waitForFinding('open', 'everything');
    assert.equal((unbound.record.finding as { severity?: string }).severity, 'low');
    const bound = Date.now();
    await cluster.create(objectsOfYaml(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everything-to-ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: ServiceAccount, name: ci, namespace: team-a}]`)[0]!);
    const changed = await watch.waitForFinding('changed', 'everything', 10_000);
    const finding = changed.record.finding as { ruleId: string; severity?: string; message?: string };
    assert.equal(finding.ruleId, 'rbac-wildcard-permissions');
    // Held by a service account now (medium, as a file scan of the same two objects says).
    assert.equal(finding.severity, 'medium');
    assert.doesNotMatch(finding.message ?? '', /not bound/);
    assert.ok(changed.at - bound < 2_000, `changed ${changed.at - bound} ms after the binding`);
  });
});

describe('kfguard watch errors', () => {
  test('no cluster configured: exit 2 with a clear message', async () => {
    const run = new WatchProcess([]);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /no cluster configured/);
  });

  test('everything refused: exit 2, naming the cause', fakeOnly('the refusals are injected into the fake server'), async () => {
    const cluster = await serve({ objects: [], forbidden: ['pods', 'services', 'configmaps', 'secrets', 'serviceaccounts', 'namespaces', 'resourcequotas', 'limitranges', 'replicationcontrollers', 'apps/deployments', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs', 'networking.k8s.io/ingresses', 'networking.k8s.io/networkpolicies', 'admissionregistration.k8s.io/mutatingwebhookconfigurations', 'admissionregistration.k8s.io/validatingwebhookconfigurations', 'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/clusterroles', 'rbac.authorization.k8s.io/rolebindings', 'rbac.authorization.k8s.io/clusterrolebindings'] });
    try {
      const run = new WatchProcess(['--kubeconfig', cluster.kubeconfig]);
      assert.equal(await run.exited, 2, run.stderr);
      assert.match(run.stderr, /nothing could be listed or watched/);
    } finally {
      await cluster.close();
    }
  });
});
