// Request bodies crafted to break the reader, found by attacking `kfguard audit`: a strategic-merge
// patch nested 9,999 levels deep (the API server accepts 10,000) overflowed the stack, and the
// error ended the reading of the whole log, so the miner created next was never judged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditHunt } from '../../src/audit/hunt-log.js';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { auditEvent, jsonLines } from './events.js';

const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const WALLET = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const NS = 'team-a';
const minerPod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { containers: [{ name: 'm', image: 'alpine:3.20', command: ['sh', '-c', `/tmp/dns-filter -o pool.supportxmr.com:443 -u ${WALLET}`] }] } });

describe('audit: hostile request bodies', () => {
  test('a 9,999-level strategic-merge patch is judged, and the requests after it are too', async () => {
    const depth = 9_999;
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } };
    const deepPatch = JSON.stringify(auditEvent({ verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: NS, name: 'web', requestObject: { spec: { junk: 'DEEP' } } })).replace('"DEEP"', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    const text = Buffer.from(
      [
        jsonLines([auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: NS, name: 'web', requestObject: deployment })]),
        `${deepPatch}\n`,
        jsonLines([auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'after', requestObject: minerPod('after') })]),
      ].join(''),
    );
    async function* chunks(): AsyncGenerator<Buffer> {
      yield text;
    }
    const result = await huntAuditLogs([{ chunks: chunks(), display: 'deep.log' }], { rules: threatRules });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.findings.map((f) => `${f.ruleId}:${f.severity}:${f.resource.name}`), ['crypto-miner-workload:critical:after']);
    assert.equal(result.stats.judged, 3);
  });

  test('a request that throws while judged is listed with its line; the log goes on', () => {
    const hunt = new AuditHunt({ rules: threatRules });
    const broken = auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'broken', requestObject: minerPod('broken') });
    // Stands for any body that breaks a judge (JSON cannot carry a getter; a stack overflow can happen).
    Object.defineProperty(broken, 'requestObject', { enumerable: true, get: () => { throw new RangeError('Maximum call stack size exceeded'); } });
    hunt.feed({ type: 'value', line: 7, value: broken }, 'a.log');
    hunt.feed({ type: 'value', line: 8, value: auditEvent({ verb: 'create', resource: 'pods', namespace: NS, name: 'next', requestObject: minerPod('next') }) }, 'a.log');
    const result = hunt.result();
    assert.deepEqual(result.findings.map((f) => f.resource.name), ['next']);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]?.message ?? '', /could not be judged \(Maximum call stack size exceeded\); the rest of the log was/);
    assert.equal(result.errors[0]?.line, 7);
  });
});
