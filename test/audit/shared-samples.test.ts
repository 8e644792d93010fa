import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { requiresShared, sharedAvailable, sharedPath } from '../../src/testing/shared.js';

// Every rule that judges audit events, posture ones included (the CLI runs the threat rules by default).
const auditRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit'));

describe('real audit samples (../shared/schemas/audit)', requiresShared(), () => {
  const falcoDir = sharedAvailable ? sharedPath('schemas', 'audit', 'falco-k8s-audit') : '';
  const falco = sharedAvailable ? readdirSync(falcoDir).filter((f) => f.endsWith('.json')) : [];

  test('every falco capture and the audit2rbac log read without a malformed line', async () => {
    const inputs = [...falco.map((f) => ({ path: `${falcoDir}/${f}`, display: f })), { path: sharedPath('schemas', 'audit', 'audit2rbac', 'demo.log'), display: 'demo.log' }];
    const result = await huntAuditLogs(inputs, { rules: auditRules });
    assert.deepEqual(result.errors, []);
    assert.equal(result.stats.malformed, 0);
    // 21 falco events (one file holds 6) and the 37 lines of demo.log.
    assert.equal(result.stats.events, 21 + 37);
  });

  test('the falco captures give the findings they were recorded for', async () => {
    const hunt = async (file: string) => (await huntAuditLogs([{ path: `${falcoDir}/${file}`, display: file }], { rules: auditRules })).findings;
    const ids = async (file: string) => (await hunt(file)).map((f) => `${f.ruleId}:${f.severity}`).sort();
    assert.deepEqual(await ids('anonymous_creates_namespace_foo.json'), ['audit-anonymous-profile:critical', 'audit-anonymous-request-allowed:critical']);
    assert.deepEqual(await ids('attach_cluster_admin_role.json'), ['audit-cluster-admin-binding:high']);
    // exec and attach are logged at ResponseStarted only (the stream never closed in the capture).
    assert.deepEqual(await ids('exec_pod.json'), ['audit-exec-into-ml-pod:low']);
    assert.deepEqual(await ids('attach_pod.json'), ['audit-exec-into-ml-pod:low']);
    assert.deepEqual(await ids('create_nginx_pod_privileged.json'), ['pod-privileged:high']);
    // A NodePort nginx is not an ML UI: the audit detection stays silent.
    assert.deepEqual((await hunt('create_nginx_service_nodeport.json')).filter((f) => f.ruleId === 'audit-ml-ui-exposed'), []);
  });
});
