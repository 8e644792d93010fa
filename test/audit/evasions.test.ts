// Evasions an acceptance review of issue 12 found by running `kfguard audit` as an attacker would;
// each test failed before its fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import type { AuditHuntResult } from '../../src/audit/hunt-log.js';
import { ALL_RULES } from '../../src/rules/index.js';
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
});
