// `kfguard watch` writing back to the cluster: Kubernetes Events on the offending object and
// wgpolicyk8s.io/v1alpha2 PolicyReports, through the real client credentials (client-node's
// KubeConfig over HTTPS) against the fake API server's write verbs, with its real semantics:
// resourceVersion checks with 409 Conflict, merge PATCH, 403 where RBAC lacks a verb.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { K8sObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { ApiError } from '../../src/sources/cluster/api-client.js';
import type { FakeApiServerOptions } from '../../src/testing/fake-apiserver/server.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { EventSink, noteOf } from '../../src/watch/event-sink.js';
import { PolicyReportSink } from '../../src/watch/policy-report-sink.js';
import { WatchSession } from '../../src/watch/watch-session.js';
import { objectsOfYaml, serve, waitFor, type ServedCluster } from './helpers.js';

const FAST = { initialBackoffMs: 5, maxBackoffMs: 20, watchTimeoutSeconds: 5, idleTimeoutMs: 10_000 };
const RULES = ALL_RULES.filter((r) => r.meta.id === 'crypto-miner-workload');

const minerPod = (name: string, namespace: string): K8sObject =>
  objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333", -u, "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A", --pass=S3cretRigPass]}]}`)[0]!;

/** The CRDs Kyverno and Policy Reporter install (https://github.com/kubernetes-sigs/wg-policy-prototypes/tree/master/policy-report/crd/v1alpha2). */
const POLICY_REPORT_CRDS = objectsOfYaml(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: policyreports.wgpolicyk8s.io}
spec:
  group: wgpolicyk8s.io
  scope: Namespaced
  names: {kind: PolicyReport, plural: policyreports, singular: policyreport, listKind: PolicyReportList}
  versions: [{name: v1alpha2, served: true, storage: true}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterpolicyreports.wgpolicyk8s.io}
spec:
  group: wgpolicyk8s.io
  scope: Cluster
  names: {kind: ClusterPolicyReport, plural: clusterpolicyreports, singular: clusterpolicyreport, listKind: ClusterPolicyReportList}
  versions: [{name: v1alpha2, served: true, storage: true}]`);

interface Running {
  cluster: ServedCluster;
  session: WatchSession;
  events: EventSink;
  reports: PolicyReportSink;
  log: string[];
}
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.session.stop(100);
    await r.cluster.close();
  }
});

async function watch(objects: readonly K8sObject[], options: Partial<FakeApiServerOptions> = {}): Promise<Running> {
  const cluster = await serve({ objects: [...POLICY_REPORT_CRDS, ...objects], bookmarkIntervalMs: 50, ...options });
  const log: string[] = [];
  const writer = () => session.snapshot?.client;
  const events = new EventSink({ writer, onTrouble: (m) => log.push(m) });
  const reports = new PolicyReportSink({ writer, onTrouble: (m) => log.push(m), flushMs: 20 });
  const session: WatchSession = new WatchSession({ kubeconfig: cluster.kubeconfig, env: {}, rules: RULES, config: DEFAULT_CONFIG, sinks: [events, reports], resyncMs: 60_000, log: (m) => log.push(m), timing: FAST, client: { retryDelayMs: 1 } });
  const entry = { cluster, session, events, reports, log };
  running.push(entry);
  await session.start();
  return entry;
}

type Report = { metadata: { name: string; namespace?: string; resourceVersion: string }; summary: Record<string, number>; results: { policy: string; result: string; resources: { kind: string; name: string }[]; properties: Record<string, string> }[] };
type Event = { metadata: { name: string; namespace: string }; reason: string; type: string; action: string; note: string; reportingController: string; eventTime: string; regarding: Record<string, string>; series?: { count: number; lastObservedTime: string } };

const policyReport = (r: Running, namespace: string) => r.cluster.server.get('wgpolicyk8s.io/PolicyReport', namespace, 'kfguard') as unknown as Report | undefined;

/** Every Event stored in the namespace, read back over the wire as a client would. */
async function listEvents(r: Running, namespace: string): Promise<Event[]> {
  const client = r.session.snapshot!.client;
  const list = (await client.get(`/apis/events.k8s.io/v1/namespaces/${namespace}/events`)) as { items: Event[] };
  return list.items;
}

describe('kfguard watch --write-policyreports', () => {
  test('a PolicyReport per namespace is created at sync, emptied when its findings resolve, by PUT with the read resourceVersion', async () => {
    const r = await watch([minerPod('miner', 'team-a'), minerPod('other', 'team-b')]);
    await waitFor(() => policyReport(r, 'team-a') !== undefined && policyReport(r, 'team-b') !== undefined, 5_000, 'reports in team-a and team-b');
    const report = policyReport(r, 'team-a')!;
    assert.deepEqual(report.summary, { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    assert.equal(report.results[0]?.policy, 'crypto-miner-workload');
    assert.deepEqual(report.results[0]?.resources.map((x) => `${x.kind}/${x.name}`), ['Pod/miner']);
    assert.equal(r.cluster.server.get('wgpolicyk8s.io/ClusterPolicyReport', undefined, 'kfguard-cluster'), undefined, 'nothing cluster-scoped was found');

    r.cluster.server.remove(minerPod('miner', 'team-a'));
    await waitFor(() => policyReport(r, 'team-a')?.results.length === 0, 5_000, 'the team-a report emptied');
    assert.deepEqual(policyReport(r, 'team-a')?.summary, { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 });
    assert.equal(policyReport(r, 'team-b')?.results.length, 1, 'team-b untouched');
    const writes = r.cluster.server.requests.filter((q) => q.path === '/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-a/policyreports/kfguard' && q.method === 'PUT');
    assert.deepEqual(writes.map((q) => q.status), [200]);
  });

  test('another writer changing the report between read and write: 409, read again, written', async () => {
    const r = await watch([minerPod('first', 'team-b')]);
    await waitFor(() => policyReport(r, 'team-b')?.results.length === 1, 5_000, 'the first report');
    const path = '/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b/policyreports/kfguard';
    r.cluster.server.afterNextGet(path, () => {
      const current = policyReport(r, 'team-b')!;
      r.cluster.server.update({ ...(current as unknown as K8sObject), metadata: { ...current.metadata, labels: { touched: 'by-someone-else' } } });
    });
    r.cluster.server.create(minerPod('second', 'team-b'));
    await waitFor(() => policyReport(r, 'team-b')?.results.length === 2, 5_000, 'the report with both pods');
    const puts = r.cluster.server.requests.filter((q) => q.path === path && q.method === 'PUT').map((q) => q.status);
    assert.deepEqual(puts, [409, 200]);
    assert.deepEqual(r.log.filter((m) => m.includes('could not write')), []);
  });

  test('no RBAC to write reports: said once, naming the verb; the watch goes on', async () => {
    const r = await watch([minerPod('miner', 'team-a')], { forbiddenWrites: ['wgpolicyk8s.io/policyreports', 'events.k8s.io/events'] });
    await waitFor(() => r.log.some((m) => m.startsWith('could not write PolicyReport team-a/kfguard: forbidden')), 5_000, `a forbidden message (log: ${r.log.join(' | ')})`);
    await waitFor(() => r.log.some((m) => m.startsWith('could not write Events in namespace team-a: forbidden')), 5_000, 'the Events message');
    assert.match(r.log.find((m) => m.includes('PolicyReport'))!, /cannot create resource "policyreports" in API group "wgpolicyk8s.io"/);
    r.cluster.server.create(minerPod('another', 'team-a'));
    await waitFor(() => r.session.evaluator.tracker.size === 2, 5_000, 'the next finding');
    assert.equal(r.log.filter((m) => m.includes('PolicyReport team-a/kfguard')).length, 1, 'said once');
  });
});

describe('kfguard watch --write-events', () => {
  test('a finding on a cluster-scoped object: its Event goes to namespace default, regarding the object without a namespace', async () => {
    // client-go's events.k8s.io recorder does the same (tools/events/event_recorder.go makeEvent:
    // an empty regarding namespace becomes metav1.NamespaceDefault), so `kubectl events -n default
    // --for` finds it where other controllers' Events about cluster-scoped objects are.
    const template = objectsOfYaml(`apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: shared-steps}
spec:
  templates:
    - name: main
      container: {image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333"]}`)[0]!;
    const r = await watch([template]);
    await waitFor(() => r.cluster.server.requests.some((q) => q.method === 'POST' && q.path === '/apis/events.k8s.io/v1/namespaces/default/events' && q.status === 201), 5_000, `an Event in default (log: ${r.log.join(' | ')})`);
    const [event, ...more] = await listEvents(r, 'default');
    assert.equal(more.length, 0);
    assert.deepEqual(event?.regarding, { apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', name: 'shared-steps' });
  });

  test('one Warning Event on the miner Pod; reopening the finding bumps its series by merge patch', async () => {
    const r = await watch([minerPod('miner', 'team-a')]);
    await r.events.settled();
    await waitFor(() => r.cluster.server.requests.some((q) => q.method === 'POST' && q.path.endsWith('/namespaces/team-a/events') && q.status === 201), 5_000, 'an Event');
    let [event, ...more] = await listEvents(r, 'team-a');
    assert.equal(more.length, 0);
    assert.deepEqual(event?.regarding, { apiVersion: 'v1', kind: 'Pod', name: 'miner', namespace: 'team-a' });
    assert.equal(event?.type, 'Warning');
    assert.equal(event?.reason, 'CryptoMinerWorkload');
    assert.equal(event?.action, 'Detected');
    assert.equal(event?.reportingController, 'kfguard.io/watch');
    assert.match(event?.eventTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'MicroTime');
    assert.match(event?.note ?? '', /^\[critical\] crypto-miner-workload: /);
    assert.doesNotMatch(event?.note ?? '', /S3cretRigPass|44AFFq5kSiGBoZ4NMDwYtN18obc8/, 'no values from the object');
    assert.equal(event?.series, undefined);

    r.cluster.server.remove(minerPod('miner', 'team-a'));
    await waitFor(() => r.session.evaluator.tracker.size === 0, 5_000, 'resolved');
    r.cluster.server.create(minerPod('miner', 'team-a'));
    await waitFor(() => r.cluster.server.requests.some((q) => q.method === 'PATCH' && q.status === 200), 5_000, 'a series bump');
    [event, ...more] = await listEvents(r, 'team-a');
    assert.equal(more.length, 0, 'de-duplicated: still one Event');
    assert.equal(event?.series?.count, 2);
    assert.match(event?.series?.lastObservedTime ?? '', /\.\d{6}Z$/);
  });

  test('the note is bounded to the API server limit of 1 kB and masks credentials in the message', () => {
    const finding = { ruleId: 'x', severity: 'high', message: `token=abc123secret ${'é'.repeat(900)}` } as Parameters<typeof noteOf>[0];
    const note = noteOf(finding);
    assert.ok(Buffer.byteLength(note) <= 1024);
    assert.doesNotMatch(note, /abc123secret/);
  });
});

describe('the fake API server write verbs', () => {
  test('PUT without resourceVersion is 422, a stale one 409, a JSON patch 415, a create over an existing name 409', async () => {
    const r = await watch([]);
    const client = r.session.snapshot!.client;
    const path = '/apis/wgpolicyk8s.io/v1alpha2/namespaces/ns/policyreports';
    const body = { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name: 'x', namespace: 'ns' }, results: [] };
    const created = (await client.write('POST', path, body)) as Report;
    const status = async (p: Promise<unknown>): Promise<number> => p.then(() => 200, (e: unknown) => (e instanceof ApiError ? e.status : -1));
    assert.equal(await status(client.write('POST', path, body)), 409);
    assert.equal(await status(client.write('PUT', `${path}/x`, body)), 422);
    assert.equal(await status(client.write('PUT', `${path}/x`, { ...body, metadata: { ...body.metadata, resourceVersion: '1' } })), 409);
    assert.equal(await status(client.write('PUT', `${path}/x`, { ...body, metadata: { ...body.metadata, resourceVersion: created.metadata.resourceVersion } })), 200);
    assert.equal(await status(client.write('PATCH', `${path}/x`, [{ op: 'add', path: '/results', value: [] }], 'application/json-patch+json')), 415);
    assert.equal(await status(client.write('POST', '/apis/wgpolicyk8s.io/v1alpha2/namespaces/other/policyreports', body)), 400, 'namespace mismatch');
  });
});

describe('the built binary', () => {
  test('kfguard watch --write-events --write-policyreports writes both, and stops on SIGTERM', async () => {
    const cluster = await serve({ objects: [...POLICY_REPORT_CRDS, minerPod('miner', 'team-a')], bookmarkIntervalMs: 200 });
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '--rule', 'crypto-miner-workload', '--write-events', '--write-policyreports'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor(() => cluster.server.get('wgpolicyk8s.io/PolicyReport', 'team-a', 'kfguard') !== undefined, 30_000, `a PolicyReport (stderr: ${stderr})`);
      await waitFor(() => cluster.server.requests.some((q) => q.method === 'POST' && q.path === '/apis/events.k8s.io/v1/namespaces/team-a/events' && q.status === 201), 10_000, 'an Event');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.doesNotMatch(stderr, /could not write/);
    } finally {
      child.kill('SIGKILL');
      await cluster.close();
    }
  });
});
