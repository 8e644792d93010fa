// `deletecollection` names no object, and the log does not say which objects its selector matched:
// one that matched nothing succeeds all the same. Kept state it may have ended is therefore still
// read, and every judgment that read it names the request (issue 12, adversarial review: dropping
// it let the `edit` role clear a miner's ConfigMap with a deletecollection that deleted nothing).
// Each hunt test below failed before the fix (no finding, or no note).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeletedCollections } from '../../src/audit/deleted-collections.js';
import type { AuditHuntResult } from '../../src/audit/hunt-log.js';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { PodRoles } from '../../src/audit/pod-roles.js';
import type { Finding, K8sObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { auditEvent, gatewayService, jsonLines, pipelinePod } from './events.js';

const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const at = (minute: number): string => `2026-01-05T10:${String(minute).padStart(2, '0')}:00.000000Z`;
const WALLET = '4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge';
const NS = 'team-a';

async function hunt(events: readonly unknown[]): Promise<AuditHuntResult> {
  const text = Buffer.from(jsonLines(events));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield text;
  }
  return huntAuditLogs([{ chunks: chunks(), display: 'test.log' }], { rules: threatRules });
}

const find = (result: AuditHuntResult, ruleId: string, name: string, auditID?: string): Finding | undefined =>
  result.findings.find((f) => f.ruleId === ruleId && f.resource.name === name && (auditID === undefined || (f.origin?.kind === 'audit' && f.origin.auditID === auditID)));
const names = (result: AuditHuntResult): string => JSON.stringify(result.findings.map((f) => [f.ruleId, f.resource.name, f.severity]));
const noteOf = (finding: Finding | undefined, auditID: string): string | undefined => finding?.evidence.find((line) => line.includes(`deletecollection ${auditID} at `) && /may have deleted it/.test(line));

// The reviewer's repro: a ConfigMap with a pool URL and a wallet, a pod of a plain image reading it by envFrom.
const cfg = auditEvent({ verb: 'create', resource: 'configmaps', namespace: NS, at: at(1), requestObject: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: NS }, data: { POOL_URL: 'stratum+tcp://pool.supportxmr.com:3333', WALLET } } });
const worker = auditEvent({
  verb: 'create',
  resource: 'pods',
  namespace: NS,
  at: at(3),
  requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', namespace: NS }, spec: { containers: [{ name: 'c', image: 'ubuntu:22.04', command: ['/bin/sh', '-c', './run --url $POOL_URL --user $WALLET'], envFrom: [{ configMapRef: { name: 'cfg' } }] }] } },
});
const deleteCollection = (resource: string, namespace: string | undefined, auditID: string, extra: Record<string, unknown> = {}) =>
  auditEvent({ verb: 'deletecollection', resource, ...(namespace ? { namespace } : {}), at: at(2), auditID, ...extra });

describe('a deletecollection marks the state it may have ended, and judging still reads it', () => {
  test('a ConfigMap a selector that matched nothing "deleted" is still read by a pod created after, and the finding names the request', async () => {
    assert.equal(find(await hunt([cfg, worker]), 'crypto-miner-workload', 'w')?.severity, 'critical');
    const selector = deleteCollection('configmaps', NS, 'dc-nomatch', { requestURI: `/api/v1/namespaces/${NS}/configmaps?labelSelector=nomatch%3Dx` });
    for (const [deletion, id] of [
      [selector, 'dc-nomatch'],
      [deleteCollection('configmaps', NS, 'dc-all'), 'dc-all'],
      [deleteCollection('configmaps', undefined, 'dc-cluster'), 'dc-cluster'],
    ] as const) {
      const result = await hunt([cfg, deletion, worker]);
      const finding = find(result, 'crypto-miner-workload', 'w');
      assert.equal(finding?.severity, 'critical', names(result));
      assert.ok(noteOf(finding, id), JSON.stringify(finding?.evidence));
    }
    // Another namespace's collection or another resource's leaves it unmarked: no note.
    for (const other of [deleteCollection('configmaps', 'elsewhere', 'dc-other'), deleteCollection('secrets', undefined, 'dc-secrets')]) {
      const finding = find(await hunt([cfg, other, worker]), 'crypto-miner-workload', 'w');
      assert.equal(finding?.severity, 'critical');
      assert.equal(finding?.evidence.some((line) => /may have deleted it/.test(line)), false);
    }
    // Created again after the deletion: kept anew, nothing to note.
    const again = find(await hunt([cfg, deleteCollection('configmaps', NS, 'dc-1'), { ...cfg, auditID: 'again' }, worker]), 'crypto-miner-workload', 'w');
    assert.equal(again?.severity, 'critical');
    assert.equal(noteOf(again, 'dc-1'), undefined);
  });

  test('a Service: a later patch is applied to its kept state, and an unchanged type is no longer proof', async () => {
    const gateway = { resource: 'services', namespace: 'istio-system', name: 'istio-ingressgateway' };
    const created = (type: string) => auditEvent({ verb: 'create', ...gateway, at: at(1), requestObject: gatewayService(type) });
    const patch = auditEvent({ verb: 'patch', ...gateway, at: at(3), requestObject: { spec: { type: 'NodePort' } }, auditID: 'patch-svc' });
    const dc = deleteCollection('services', 'istio-system', 'dc-svc');
    const marked = await hunt([created('ClusterIP'), dc, patch]);
    assert.equal(marked.stats.patchesJudgedAlone, 0);
    assert.ok(noteOf(find(marked, 'audit-ml-ui-exposed', 'istio-ingressgateway'), 'dc-svc'), names(marked));
    // Already NodePort in the log: the patch changes nothing, unless the state may be gone.
    assert.equal(find(await hunt([created('NodePort'), patch]), 'audit-ml-ui-exposed', 'istio-ingressgateway', 'patch-svc'), undefined);
    assert.ok(noteOf(find(await hunt([created('NodePort'), dc, patch]), 'audit-ml-ui-exposed', 'istio-ingressgateway', 'patch-svc'), 'dc-svc'));
  });

  test('a CUSTOM AuthorizationPolicy no name marks: its change after a deletecollection is still critical, and says so', async () => {
    const ref = { resource: 'authorizationpolicies', apiGroup: 'security.istio.io', namespace: 'kubeflow', name: 'gate' };
    const policy = (action: string) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'gate', namespace: 'kubeflow' }, spec: { action, provider: { name: 'ext' }, rules: [{}] } });
    const create = (action: string) => auditEvent({ verb: 'create', ...ref, at: at(1), requestObject: policy(action) });
    const dc = deleteCollection('authorizationpolicies', 'kubeflow', 'dc-authz', { apiGroup: 'security.istio.io', requestURI: '/apis/security.istio.io/v1/namespaces/kubeflow/authorizationpolicies?labelSelector=nomatch%3Dx' });
    const allow = auditEvent({ verb: 'patch', ...ref, at: at(3), requestObject: { spec: { action: 'ALLOW' } } });
    const changed = find(await hunt([create('CUSTOM'), dc, allow]), 'audit-auth-chain-removed', 'gate');
    assert.equal(changed?.severity, 'critical');
    assert.ok(noteOf(changed, 'dc-authz'), JSON.stringify(changed));
    // Kept as ALLOW: without the deletecollection nothing to say; with it, judged as if unknown (unmarked: nothing), never critical.
    const deleteGate = auditEvent({ verb: 'delete', ...ref, at: at(4) });
    assert.equal(find(await hunt([create('ALLOW'), deleteGate]), 'audit-auth-chain-removed', 'gate'), undefined);
    const unknown = find(await hunt([create('ALLOW'), dc, deleteGate]), 'audit-auth-chain-removed', 'gate');
    assert.equal(unknown?.severity, 'medium');
    assert.match(unknown?.message ?? '', /deletecollection dc-authz at .* may have deleted it/);
    assert.doesNotMatch(unknown?.message ?? '', /the log holds no earlier state/);
  });

  test('pod roles outlive a deletecollection of pods, marked, and the records of deletions are bounded', () => {
    const pod = (namespace: string, name: string) => pipelinePod(namespace, name) as K8sObject;
    const collections = new DeletedCollections(2);
    const roles = new PodRoles(10, collections);
    roles.record(NS, 'p', pod(NS, 'p'));
    roles.record('other', 'q', pod('other', 'q'));
    collections.delete('', 'pods', NS, 'deletecollection a at t1');
    assert.equal(roles.roleOf(NS, 'p'), 'pipeline');
    assert.equal(roles.deletedBy(NS, 'p'), 'deletecollection a at t1');
    assert.equal(roles.deletedBy('other', 'q'), undefined);
    roles.record(NS, 'p', pod(NS, 'p'));
    assert.equal(roles.deletedBy(NS, 'p'), undefined);
    // Past its bound the record is folded into one floor: everything kept before it is marked by "one of" them.
    collections.delete('', 'pods', 'x', 'deletecollection b at t2');
    collections.delete('', 'pods', 'y', 'deletecollection c at t3');
    assert.match(roles.deletedBy('other', 'q') ?? '', /^one of more than 2 deletecollection requests up to deletecollection c at t3$/);
    assert.equal(roles.roleOf('other', 'q'), 'pipeline');
    roles.record(NS, 'p', pod(NS, 'p'));
    assert.equal(roles.deletedBy(NS, 'p'), undefined);
  });
});
