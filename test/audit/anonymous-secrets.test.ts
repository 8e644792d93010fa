// An anonymous read of Secrets is credential theft under way (GuardDuty
// CredentialAccess:Kubernetes/SuccessfulAnonymousAccess), as grave as an anonymous write; and the
// request URI an anonymous finding prints never shows a credential its query carried.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { redactQueryCredentials } from '../../src/core/redact.js';
import { auditEvent, jsonLines } from './events.js';

async function findings(events: readonly unknown[]) {
  const text = Buffer.from(jsonLines(events));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield text;
  }
  const result = await huntAuditLogs([{ chunks: chunks(), display: 'test.log' }], { rules: [] });
  return result.findings.filter((f) => f.ruleId === 'audit-anonymous-request-allowed');
}

describe('audit-anonymous-request-allowed: Secrets', () => {
  test('get, list and watch of Secrets without credentials are critical and say why; other reads stay medium', async () => {
    const anonymous = { user: 'system:anonymous', groups: ['system:unauthenticated'] };
    const found = await findings([
      auditEvent({ ...anonymous, verb: 'get', resource: 'secrets', namespace: 'kubeflow', name: 'mlpipeline-minio-artifact', auditID: 'get-secret' }),
      auditEvent({ ...anonymous, verb: 'list', resource: 'secrets', auditID: 'list-secrets', requestURI: '/api/v1/secrets?limit=500' }),
      // Only the group says unauthenticated: still anonymous.
      auditEvent({ user: 'system:anonymous-proxy', groups: ['system:unauthenticated'], verb: 'watch', resource: 'secrets', namespace: 'kube-system', auditID: 'watch-secrets' }),
      auditEvent({ ...anonymous, verb: 'list', resource: 'pods', namespace: 'kubeflow', auditID: 'list-pods' }),
      // Refused: nothing was read.
      auditEvent({ ...anonymous, verb: 'list', resource: 'secrets', namespace: 'default', auditID: 'denied', code: 403 }),
    ]);
    const by = (id: string) => found.find((f) => (f.origin as { auditID?: string } | undefined)?.auditID === id);
    for (const id of ['get-secret', 'list-secrets', 'watch-secrets']) {
      assert.equal(by(id)?.severity, 'critical', `${id}: ${JSON.stringify(found.map((f) => [(f.origin as { auditID?: string }).auditID, f.severity]))}`);
      assert.match(by(id)?.evidence.join('\n') ?? '', /credential access \(GuardDuty CredentialAccess:Kubernetes\/SuccessfulAnonymousAccess\)/);
    }
    assert.equal(by('list-pods')?.severity, 'medium');
    assert.doesNotMatch(by('list-pods')?.evidence.join('\n') ?? '', /credential access/);
    assert.equal(by('denied'), undefined);
  });
});

describe('audit-anonymous-request-allowed: the request URI it prints', () => {
  test('a proxied app\'s login in the query (Jupyter ?token=, signed URLs) is masked, the rest kept', async () => {
    const uri = '/api/v1/namespaces/kubeflow-user/services/nb:8888/proxy/lab?token=CANARY-JUPYTER-1&ok=1&X-Amz-Signature=CANARY-SIG-2&access_token=CANARY-3#frag';
    const [found] = await findings([auditEvent({ user: 'system:anonymous', groups: ['system:unauthenticated'], verb: 'get', resource: 'services', subresource: 'proxy', namespace: 'kubeflow-user', name: 'nb:8888', requestURI: uri })]);
    const evidence = found?.evidence.join('\n') ?? '';
    assert.match(evidence, /proxy\/lab\?token=<redacted>&ok=1&X-Amz-Signature=<redacted>&access_token=<redacted>#frag/);
    assert.doesNotMatch(JSON.stringify(found), /CANARY/);
    assert.equal(redactQueryCredentials('/api/v1/pods?limit=500&labelSelector=a%3Db'), '/api/v1/pods?limit=500&labelSelector=a%3Db');
    assert.equal(redactQueryCredentials('/x?%74oken=s3cret'), '/x?%74oken=<redacted>');
  });
});
