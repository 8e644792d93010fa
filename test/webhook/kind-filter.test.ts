// Request-kind filtering: the webhook configuration asks the API server only for kinds some
// admission rule can judge, and the server answers any other kind at once, without the snapshot.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Rule } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { handleReview } from '../../src/webhook/handler.js';
import { ADMITTED_KINDS, deletionKinds, kindJudgedBy, webhookKinds } from '../../src/webhook/kinds.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { webhookManifests } from '../../src/webhook/manifests.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS } from '../../src/webhook/settings.js';
import { minerPod, review } from './harness.js';

const rulesById = (...ids: string[]): Rule[] => ids.map((id) => {
  const rule = ALL_RULES.find((r) => r.meta.id === id);
  assert.ok(rule, id);
  return rule;
});
const RBAC_ONLY = rulesById('rbac-cluster-admin-binding', 'rbac-wildcard-permissions');

interface WebhookRule {
  apiGroups: string[];
  resources: string[];
  operations: string[];
}
const hookRules = (rules: readonly Rule[]): WebhookRule[] => {
  const config = webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail', rules }).find((o) => o.kind === 'ValidatingWebhookConfiguration') as { webhooks: { rules: WebhookRule[] }[] };
  return config.webhooks[0]?.rules ?? [];
};

describe('webhook configuration kinds', () => {
  test('every kind an admission rule matches is sent, RBAC included, and nothing only read', () => {
    const kinds = webhookKinds(ALL_RULES);
    for (const kind of [...ADMITTED_KINDS, 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Profile']) assert.ok(kinds.includes(kind), kind);
    // Read by the RBAC rules, matched by none: a change to them never reaches the webhook.
    for (const kind of ['Namespace', 'ServiceAccount']) assert.ok(!kinds.includes(kind), kind);
  });

  test('with only RBAC rules enabled, only RBAC kinds and Profiles are sent, and only CREATE and UPDATE', () => {
    assert.deepEqual(webhookKinds(RBAC_ONLY), ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
    const rules = hookRules(RBAC_ONLY);
    assert.deepEqual(rules.map((r) => r.apiGroups), [['rbac.authorization.k8s.io']]);
    assert.deepEqual(rules[0]?.resources, ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']);
    assert.deepEqual(deletionKinds(RBAC_ONLY), []);
    for (const rule of hookRules(RBAC_ONLY)) assert.deepEqual(rule.operations, ['CREATE', 'UPDATE']);
  });

  test('DELETE is sent for the auth chain only: the kinds whose removal can expose the gateway', () => {
    const deletes = hookRules(ALL_RULES).filter((r) => r.operations.includes('DELETE'));
    for (const rule of deletes) assert.deepEqual(rule.operations, ['DELETE']);
    const deleted = deletes.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)).sort();
    assert.deepEqual(deleted, ['networking.istio.io/envoyfilters', 'security.istio.io/authorizationpolicies', 'security.istio.io/requestauthentications']);
    for (const rule of hookRules(ALL_RULES).filter((r) => !r.operations.includes('DELETE'))) assert.deepEqual(rule.operations, ['CREATE', 'UPDATE']);
  });

  test('a rule that does not judge admission adds nothing', () => {
    const notAdmission = ALL_RULES.filter((r) => !r.meta.sources.includes('admission'));
    assert.ok(notAdmission.length > 0);
    assert.deepEqual(webhookKinds(notAdmission), []);
    assert.equal(kindJudgedBy(notAdmission)('Pod'), false);
  });
});

describe('server-side skip', () => {
  async function answer(object: K8sObject, rules: readonly Rule[]) {
    let snapshotReads = 0;
    const snapshot = newSnapshot();
    const metrics = new WebhookMetrics();
    const context = { rules, config: DEFAULT_CONFIG, settings: DEFAULT_DECISION_SETTINGS, metrics, logger: silentLogger(), snapshot: () => (snapshotReads++, snapshot) };
    const result = await handleReview(review(object), context, performance.now());
    const metricText = await metrics.text();
    return { response: (result.body as { response: { allowed: boolean } }).response, snapshotReads, metricText };
  }

  test('a kind no enabled rule matches or reads is allowed without touching the snapshot', async () => {
    const { response, snapshotReads, metricText } = await answer(minerPod(), RBAC_ONLY);
    assert.equal(response.allowed, true);
    assert.equal(snapshotReads, 0);
    assert.match(metricText, /kfguard_webhook_requests_total\{kind="Pod",operation="CREATE",decision="skipped"\} 1/);
  });

  test('a kind a rule matches is judged; with every rule, the miner Pod is judged and denied', async () => {
    const binding: K8sObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'everyone-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }],
    };
    const judged = await answer(binding, RBAC_ONLY);
    assert.ok(judged.snapshotReads > 0);
    assert.doesNotMatch(judged.metricText, /decision="skipped"/);
    const miner = await answer(minerPod(), ALL_RULES);
    assert.equal(miner.response.allowed, false);
  });
});
