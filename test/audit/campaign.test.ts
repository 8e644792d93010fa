import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../helpers/cli.js';
import { auditEvent, gatewayService, jsonLines, minerWorkflow, pipelinePod } from './events.js';

const KFP = 'system:serviceaccount:kubeflow:ml-pipeline';
const at = (minute: number, second = 0): string => `2026-01-05T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000000Z`;

/** The 2021 campaign replayed as an audit log: the door opened, the auth chain removed, miners started. */
function campaignLog(): Record<string, unknown>[] {
  const authPolicy = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'istio-ingressgateway-oauth2-proxy', namespace: 'istio-system' },
    spec: { action: 'CUSTOM', provider: { name: 'oauth2-proxy' }, selector: { matchLabels: { app: 'istio-ingressgateway' } }, rules: [{ to: [{ operation: { notPaths: ['/dex/*'] } }] }] },
  };
  const events = [
    auditEvent({ verb: 'create', user: 'admin', resource: 'services', namespace: 'istio-system', name: 'istio-ingressgateway', requestObject: gatewayService('ClusterIP'), at: at(0) }),
    auditEvent({ verb: 'create', user: 'admin', resource: 'authorizationpolicies', apiGroup: 'security.istio.io', namespace: 'istio-system', name: 'istio-ingressgateway-oauth2-proxy', requestObject: authPolicy, at: at(0, 5) }),
    // Strategic-merge patch, no responseObject: applied to the Service's last state.
    auditEvent({ verb: 'patch', resource: 'services', namespace: 'istio-system', name: 'istio-ingressgateway', requestObject: { spec: { type: 'LoadBalancer' } }, at: at(1), auditID: 'patch-gateway' }),
    auditEvent({ verb: 'delete', resource: 'authorizationpolicies', apiGroup: 'security.istio.io', namespace: 'istio-system', name: 'istio-ingressgateway-oauth2-proxy', at: at(2), auditID: 'delete-authz' }),
    // JSON patch on a Service the log never showed: judged from the body alone.
    auditEvent({ verb: 'patch', resource: 'services', namespace: 'kubeflow', name: 'ml-pipeline-ui', requestObject: [{ op: 'replace', path: '/spec/type', value: 'NodePort' }], at: at(2, 30), auditID: 'patch-ui' }),
    auditEvent({ verb: 'create', user: KFP, resource: 'workflows', apiGroup: 'argoproj.io', apiVersion: 'v1alpha1', namespace: 'kubeflow-user-a', name: 'sequential-pipeline-x7k2p', requestObject: minerWorkflow('kubeflow-user-a'), at: at(3), userAgent: 'Go-http-client/2.0', auditID: 'kfp-workflow' }),
    auditEvent({
      verb: 'create',
      user: 'system:serviceaccount:kubeflow:profiles-controller-service-account',
      resource: 'profiles',
      apiGroup: 'kubeflow.org',
      name: 'miner-profile',
      requestObject: { apiVersion: 'kubeflow.org/v1', kind: 'Profile', metadata: { name: 'miner-profile' }, spec: { owner: { kind: 'User', name: 'anonymous@kubeflow.org' } } },
      at: at(3, 30),
    }),
    auditEvent({
      verb: 'create',
      user: 'system:anonymous',
      groups: ['system:unauthenticated'],
      resource: 'clusterrolebindings',
      apiGroup: 'rbac.authorization.k8s.io',
      name: 'kube-controller-manager-backdoor',
      requestObject: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kube-controller-manager-backdoor' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'User', name: 'system:anonymous' }],
      },
      at: at(4),
    }),
  ];
  // Pipeline pods in six profile namespaces within two minutes: the campaign's burst.
  for (let i = 0; i < 6; i++) {
    const namespace = `kubeflow-user-${String.fromCharCode(97 + i)}`;
    events.push(auditEvent({ verb: 'create', user: 'system:serviceaccount:kubeflow:argo', resource: 'pods', namespace, name: `step-${i}`, requestObject: pipelinePod(namespace, `step-${i}`, i === 0 ? 'kubeflow-admin' : 'default-editor'), at: at(5, i * 10) }));
  }
  events.push(auditEvent({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'kubeflow-user-b', name: 'step-1', at: at(7), stage: 'ResponseStarted', code: 101, requestURI: '/api/v1/namespaces/kubeflow-user-b/pods/step-1/exec?command=sh&stdin=true&tty=true' }));
  return events;
}

function writeLog(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-audit-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('kfguard audit on the campaign replayed', () => {
  test('finds each step, with who, when, from where and through which door', async () => {
    const file = writeLog('audit.log', jsonLines(campaignLog()));
    const run = await runCli(['audit', file, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; severity: string; message: string; evidence: string[]; origin: Record<string, unknown>; resource: { name: string } }[]; extensions: { sourceStats: Record<string, number> } };
    const byRule = (id: string) => report.findings.filter((f) => f.ruleId === id);
    const [gateway, ...moreGateway] = byRule('audit-ml-ui-exposed').filter((f) => f.resource.name === 'istio-ingressgateway');
    assert.equal(moreGateway.length, 0);
    assert.equal(gateway?.severity, 'critical');
    assert.match(gateway?.evidence.join('\n') ?? '', /before: type ClusterIP/);
    assert.deepEqual(gateway?.origin, {
      kind: 'audit',
      auditID: 'patch-gateway',
      timestamp: at(1),
      user: 'mallory@example.com',
      sourceIPs: ['203.0.113.50'],
      userAgent: 'kubectl/v1.30.0 (linux/amd64) kubernetes/abcdef0',
      verb: 'patch',
      groups: ['system:authenticated'],
      objectRef: 'services istio-system/istio-ingressgateway',
      door: 'kubectl',
    });
    const ui = byRule('audit-ml-ui-exposed').find((f) => f.resource.name === 'ml-pipeline-ui');
    assert.match(ui?.message ?? '', /Kubeflow Pipelines UI became NodePort/);
    assert.match(ui?.evidence.join('\n') ?? '', /judged from the patch body alone/);
    assert.equal(byRule('audit-auth-chain-removed')[0]?.severity, 'critical');
    const miner = byRule('crypto-miner-workload')[0];
    assert.equal(miner?.severity, 'critical');
    assert.equal(miner?.origin.door, 'Kubeflow Pipelines API server (the Pipelines UI or REST API)');
    assert.equal(byRule('audit-rbac-grants-anonymous')[0]?.severity, 'critical');
    assert.equal(byRule('audit-cluster-admin-binding')[0]?.severity, 'critical');
    assert.equal(byRule('audit-anonymous-request-allowed')[0]?.severity, 'critical');
    assert.match(byRule('audit-anonymous-profile')[0]?.message ?? '', /anonymous owner "anonymous@kubeflow.org"/);
    assert.match(byRule('audit-pipeline-service-account')[0]?.message ?? '', /"kubeflow-admin"/);
    assert.match(byRule('audit-pipeline-pod-burst')[0]?.message ?? '', /in 5 namespaces/);
    const exec = byRule('audit-exec-into-ml-pod')[0];
    assert.equal(exec?.severity, 'high');
    assert.match(exec?.evidence.join('\n') ?? '', /command: sh/);
    assert.equal(report.extensions.sourceStats.malformed, 0);
  });

  test('a create whose objectRef has no name (as the API server often logs it) still gives a later patch its earlier state', async () => {
    const file = writeLog('audit.log', jsonLines([
      auditEvent({ verb: 'create', user: 'admin', resource: 'services', namespace: 'istio-system', requestObject: gatewayService('ClusterIP'), at: at(0) }),
      auditEvent({ verb: 'patch', resource: 'services', namespace: 'istio-system', name: 'istio-ingressgateway', requestObject: { spec: { type: 'LoadBalancer' } }, at: at(1) }),
    ]));
    const run = await runCli(['audit', file, '--format', 'json', '--rule', 'audit-ml-ui-exposed']);
    const report = JSON.parse(run.stdout) as { findings: { evidence: string[] }[] };
    assert.equal(report.findings.length, 1, run.stderr);
    const evidence = report.findings[0]?.evidence.join('\n') ?? '';
    assert.match(evidence, /before: type ClusterIP/);
    assert.doesNotMatch(evidence, /judged from the patch body alone/);
  });

  test('SARIF results carry the request behind each finding: auditID, user, time, source IPs', async () => {
    const file = writeLog('audit.log', jsonLines(campaignLog()));
    const run = await runCli(['audit', file, '--format', 'sarif']);
    const sarif = JSON.parse(run.stdout) as { runs: { results: { properties: { origin?: Record<string, unknown> } }[] }[] };
    const origins = sarif.runs[0]?.results.map((r) => r.properties.origin) ?? [];
    assert.ok(origins.length > 0, run.stderr);
    const gateway = origins.find((o) => o?.auditID === 'patch-gateway');
    assert.equal(gateway?.user, 'mallory@example.com');
    assert.equal(gateway?.timestamp, at(1));
    assert.deepEqual(gateway?.sourceIPs, ['203.0.113.50']);
    assert.ok(origins.every((o) => o?.kind === 'audit' && typeof o.auditID === 'string'));
  });

  test('the text report adds a timeline grouped by actor, and HTML draws it', async () => {
    const file = writeLog('audit.log', jsonLines(campaignLog()));
    const text = await runCli(['audit', file, '--no-color']);
    const timeline = text.stdout.slice(text.stdout.indexOf('Timeline:'));
    assert.match(timeline, /mallory@example\.com via kubectl from 203\.0\.113\.50/);
    // In order: the patch, then the delete, each marked with what it produced.
    assert.match(timeline, /10:01:00\.000000Z {2}patch services istio-system\/istio-ingressgateway {2}◀ audit-ml-ui-exposed\n.*10:02:00\.000000Z {2}delete authorizationpolicies/);
    assert.match(timeline, /system:serviceaccount:kubeflow:ml-pipeline via Kubeflow Pipelines API server/);
    const html = await runCli(['audit', file, '--format', 'html']);
    assert.match(html.stdout, /<section id="timeline"/);
    assert.match(html.stdout, /<li class="hit" title="auditID patch-gateway">/);
  });

  test('one verdict per auditID, only at the final stage, and --since leaves out what came before', async () => {
    const events = campaignLog();
    const patch = events[2] as Record<string, unknown>;
    const log = [...events.slice(0, 2), { ...patch, stage: 'RequestReceived', responseStatus: undefined }, patch, patch, ...events.slice(3)];
    const file = writeLog('audit.log', jsonLines(log));
    const run = await runCli(['audit', file, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; resource: { name: string }; evidence: string[] }[]; extensions: { sourceStats: Record<string, number> } };
    assert.equal(report.extensions.sourceStats.duplicates, 1);
    assert.equal(report.extensions.sourceStats.otherStages, 1);
    const gateway = report.findings.filter((f) => f.ruleId === 'audit-ml-ui-exposed' && f.resource.name === 'istio-ingressgateway');
    assert.equal(gateway.length, 1);
    assert.doesNotMatch(gateway[0]?.evidence.join('\n') ?? '', /seen 2 times/);

    const later = await runCli(['audit', file, '--format', 'json', '--since', at(3)]);
    const laterReport = JSON.parse(later.stdout) as { findings: { ruleId: string }[]; extensions: { sourceStats: Record<string, number> } };
    assert.ok(!laterReport.findings.some((f) => f.ruleId === 'audit-ml-ui-exposed'));
    assert.ok(laterReport.findings.some((f) => f.ruleId === 'crypto-miner-workload'));
    assert.ok((laterReport.extensions.sourceStats.outsideWindow ?? 0) >= 4);
  });

  test('requests that did not happen, or change nothing that matters, give no finding', async () => {
    const internal = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'billing', namespace: 'shop' }, spec: { type: 'ClusterIP', selector: { app: 'billing' } } };
    const log = [
      auditEvent({ verb: 'create', user: 'admin', resource: 'services', namespace: 'shop', name: 'billing', requestObject: internal }),
      auditEvent({ verb: 'patch', resource: 'services', namespace: 'shop', name: 'billing', requestObject: { spec: { type: 'LoadBalancer' } } }),
      // Denied: the gateway stays as it was.
      auditEvent({ verb: 'patch', resource: 'services', namespace: 'istio-system', name: 'istio-ingressgateway', requestObject: { spec: { type: 'LoadBalancer' } }, code: 403 }),
      auditEvent({ verb: 'get', user: 'system:anonymous', groups: ['system:unauthenticated'], resource: '', requestURI: '/healthz' }),
      auditEvent({ verb: 'create', user: KFP, resource: 'workflows', apiGroup: 'argoproj.io', namespace: 'kubeflow-user-a', name: 'ok', requestObject: { ...minerWorkflow('kubeflow-user-a'), spec: { entrypoint: 'main', serviceAccountName: 'default-editor', templates: [{ name: 'main', container: { image: 'python:3.11', command: ['python', 'train.py'] } }] } } }),
    ];
    const file = writeLog('audit.log', jsonLines(log));
    const run = await runCli(['audit', file, '--format', 'json']);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual((JSON.parse(run.stdout) as { findings: unknown[] }).findings, []);
    // Posture rules judge what requests create only when asked for.
    const posture = await runCli(['audit', file, '--format', 'json', '--category', 'supply-chain']);
    const found = (JSON.parse(posture.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    assert.deepEqual([...new Set(found)].sort(), ['image-not-pinned-digest']);
  });

  test('gzip, EventList and stdin give the same findings as the plain log', async () => {
    const events = campaignLog();
    const plain = await runCli(['audit', writeLog('a.log', jsonLines(events)), '--format', 'json']);
    const ids = (out: string) => (JSON.parse(out) as { findings: { fingerprint: string }[] }).findings.map((f) => f.fingerprint).sort();
    const expected = ids(plain.stdout);
    assert.ok(expected.length >= 10);
    const gz = await runCli(['audit', writeLog('rotated.log.1', gzipSync(jsonLines(events))), '--format', 'json']);
    assert.deepEqual(ids(gz.stdout), expected);
    const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: events }, null, 2);
    const fromList = await runCli(['audit', writeLog('list.json', list), '--format', 'json']);
    assert.deepEqual(ids(fromList.stdout), expected);
    const fromStdin = await runCli(['audit', '-', '--format', 'json'], { stdin: jsonLines(events) });
    assert.deepEqual(ids(fromStdin.stdout), expected);
  });
});

describe('kfguard audit on bad input', () => {
  test('a malformed line is counted and named with its line; the rest is judged; exit 2', async () => {
    const events = campaignLog();
    const text = `${JSON.stringify(events[0])}\n{"kind":"Event", "password": "hunter2\n\n${jsonLines(events.slice(1))}`;
    const run = await runCli(['audit', writeLog('audit.log', text), '--format', 'json']);
    assert.equal(run.code, 2);
    const report = JSON.parse(run.stdout) as { errors: { file: string; line: number; message: string }[]; findings: { ruleId: string }[] };
    assert.deepEqual(report.errors.map((e) => [e.line, e.message]), [[2, 'not valid JSON']]);
    assert.match(run.stderr, /audit\.log:2: not valid JSON/);
    assert.doesNotMatch(run.stderr + run.stdout, /hunter2/);
    assert.ok(report.findings.some((f) => f.ruleId === 'audit-ml-ui-exposed'));
  });

  test('a truncated gzip keeps what was read and says where it stopped', async () => {
    const whole = gzipSync(jsonLines(campaignLog()));
    const run = await runCli(['audit', writeLog('cut.log.gz', whole.subarray(0, Math.floor(whole.length * 0.8))), '--format', 'json']);
    assert.equal(run.code, 2);
    const report = JSON.parse(run.stdout) as { errors: { message: string }[]; findings: unknown[] };
    assert.match(report.errors[0]?.message ?? '', /gzip|could not be read/);
    assert.ok(report.findings.length > 0);
  });

  test('usage errors: no log, unknown detection, bad time', async () => {
    assert.equal((await runCli(['audit'])).code, 2);
    assert.match((await runCli(['audit', 'x.log', '--rule', 'no-such-rule'])).stderr, /unknown rule "no-such-rule"/);
    assert.match((await runCli(['audit', 'x.log', '--since', 'yesterday'])).stderr, /invalid --since "yesterday"/);
    const missing = await runCli(['audit', 'does-not-exist.log']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does-not-exist\.log: no such file/);
  });
});
