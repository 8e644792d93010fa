// On objects whose creator wrote their annotations (a live cluster, a snapshot of one, admission
// requests) no inline `kfguard.io/ignore` is honoured by default, for any rule; the operator's
// config may opt in (`liveInlineIgnores`) for chosen categories and rules, never for threat,
// exposure or the rules an intruder would hide. In repository files the annotation is honoured.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONFIG_VOCABULARY } from '../../src/cli/config.js';
import { configNote } from '../../src/config/config-notes.js';
import { parseConfig } from '../../src/config/parse.js';
import { DEFAULT_CONFIG, type KfguardConfig } from '../../src/core/config-types.js';
import { runRules } from '../../src/core/engine.js';
import { ConfigError } from '../../src/core/errors.js';
import type { K8sObject, Origin, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES, ruleById } from '../../src/rules/index.js';
import { applySuppressions } from '../../src/suppress/apply.js';
import { handleReview } from '../../src/webhook/handler.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS } from '../../src/webhook/settings.js';
import { review } from '../webhook/harness.js';

const RULES = ['pod-host-path', 'pod-privileged', 'pod-host-namespaces'].map((id) => ruleById(id)!);
const TODAY = '2026-12-04';

function pod(annotations: Record<string, string>, privileged = false): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'node-agent', namespace: 'team-a', annotations },
    spec: {
      hostPID: true,
      containers: [{ name: 'agent', image: 'registry.example/agent@sha256:' + 'a'.repeat(64), ...(privileged ? { securityContext: { privileged: true } } : {}), volumeMounts: [{ name: 'host', mountPath: '/host' }] }],
      volumes: [{ name: 'host', hostPath: { path: '/data' } }],
    },
  };
}

const IGNORE_ALL = { 'kfguard.io/ignore': 'pod-host-path,pod-host-namespaces,pod-privileged', 'kfguard.io/ignore-reason': 'node agent' };

const configOf = (text: string): KfguardConfig => parseConfig(text, '.kfguard.yaml', CONFIG_VOCABULARY.knownRuleIds, CONFIG_VOCABULARY.optionSchemas, CONFIG_VOCABULARY.ruleCategories);

function judged(origin: Origin, config: KfguardConfig, privileged = false) {
  const scanned: ScannedObject = { object: pod(IGNORE_ALL, privileged), origin };
  const result = runRules([scanned], { rules: RULES, config, podLabelsOf });
  const { findings, warnings } = applySuppressions(result.findings, [scanned], config, TODAY);
  const byRule = new Map(findings.map((f) => [f.ruleId, f.suppression?.kind ?? 'open']));
  return { byRule, warnings };
}

const CLUSTER: Origin = { kind: 'cluster', context: 'test' };
const SNAPSHOT: Origin = { kind: 'file', reader: 'file', file: 'snap.yaml', documentIndex: 0, snapshotOf: 'test' } as Origin;
const FILE: Origin = { kind: 'file', reader: 'file', file: 'pod.yaml', documentIndex: 0 };

describe('inline ignores on creator-written objects', () => {
  test('a repository file: the reviewed annotation is honoured for every covered rule', () => {
    const { byRule } = judged(FILE, DEFAULT_CONFIG, true);
    assert.deepEqual([...byRule.values()], ['inline', 'inline', 'inline']);
  });

  for (const [what, origin] of [['live cluster', CLUSTER], ['snapshot of a cluster', SNAPSHOT]] as const) {
    test(`${what}: no inline ignore is honoured by default, and each refusal is named`, () => {
      const { byRule, warnings } = judged(origin, DEFAULT_CONFIG);
      assert.equal(byRule.get('pod-host-path'), 'open');
      assert.equal(byRule.get('pod-host-namespaces'), 'open');
      for (const rule of ['pod-host-path', 'pod-host-namespaces']) {
        assert.ok(warnings.some((w) => w.includes(`not honoured for ${rule}:`) && w.includes('liveInlineIgnores')), warnings.join('\n'));
      }
    });
  }

  test('opted in for workload-security: honoured there, but never for pod-privileged', () => {
    const config = configOf('liveInlineIgnores: {categories: [workload-security], reason: "Argo CD applies reviewed manifests only"}\n');
    const { byRule, warnings } = judged(CLUSTER, config, true);
    assert.equal(byRule.get('pod-host-path'), 'inline');
    assert.equal(byRule.get('pod-host-namespaces'), 'inline');
    assert.equal(byRule.get('pod-privileged'), 'open');
    assert.ok(warnings.some((w) => w.includes('not honoured for pod-privileged') && w.includes('what an intruder would hide')), warnings.join('\n'));
  });

  test('opted in for one rule: only that rule', () => {
    const config = configOf('liveInlineIgnores: {rules: [pod-host-path], reason: GitOps}\n');
    const { byRule } = judged(SNAPSHOT, config);
    assert.equal(byRule.get('pod-host-path'), 'inline');
    assert.equal(byRule.get('pod-host-namespaces'), 'open');
  });
});

describe('liveInlineIgnores in the config file', () => {
  const refused = (text: string, pattern: RegExp): void => {
    assert.throws(() => configOf(text), (error: unknown) => error instanceof ConfigError && pattern.test(error.message));
  };

  test('threat and exposure categories, their rules and the seven intruder rules are refused loudly', () => {
    refused('liveInlineIgnores: {categories: [threat], reason: r}\n', /liveInlineIgnores\.categories\[0\].*"threat"/);
    refused('liveInlineIgnores: {categories: [exposure], reason: r}\n', /"exposure"/);
    refused('liveInlineIgnores: {rules: [kubeflow-dashboard-exposed], reason: r}\n', /"kubeflow-dashboard-exposed" is a exposure rule/);
    refused('liveInlineIgnores: {rules: [crypto-miner-workload], reason: r}\n', /threat rule/);
    refused('liveInlineIgnores: {rules: [rbac-cluster-admin-binding], reason: r}\n', /what an intruder would hide/);
  });

  test('every report names the opt-in and its reason (the config note)', () => {
    const config = configOf('liveInlineIgnores: {categories: [workload-security], rules: [image-floating-tag], reason: GitOps only}\n');
    const note = configNote('.kfguard.yaml', config, ALL_RULES.map((rule) => rule.meta));
    assert.match(note, /honours live objects' own kfguard\.io\/ignore for workload-security, image-floating-tag \(GitOps only\)/);
    assert.doesNotMatch(configNote('.kfguard.yaml', DEFAULT_CONFIG, []), /honours/);
  });

  test('a reason and at least one category or rule are required; unknown ids are errors', () => {
    refused('liveInlineIgnores: {categories: [rbac]}\n', /reason/);
    refused('liveInlineIgnores: {reason: r}\n', /at least one category or rule/);
    refused('liveInlineIgnores: {rules: [pod-host-pth], reason: r}\n', /unknown rule id "pod-host-pth".*pod-host-path/);
    refused('liveInlineIgnores: {categories: [workload], reason: r}\n', /liveInlineIgnores/);
  });
});

describe('admission (the webhook handler)', () => {
  async function allowed(config: KfguardConfig): Promise<{ allowed: boolean; message: string }> {
    const context = {
      rules: RULES,
      config,
      settings: { ...DEFAULT_DECISION_SETTINGS, denySeverity: 'medium' as const },
      metrics: new WebhookMetrics(),
      logger: silentLogger(),
      snapshot: () => newSnapshot(),
    };
    const result = await handleReview(review(pod(IGNORE_ALL)), context, performance.now());
    const response = (result.body as { response: { allowed: boolean; status?: { message: string } } }).response;
    return { allowed: response.allowed, message: response.status?.message ?? '' };
  }

  test('by default the annotation exempts nothing: the hostPath Pod is denied', async () => {
    const reply = await allowed(DEFAULT_CONFIG);
    assert.equal(reply.allowed, false);
    assert.match(reply.message, /pod-host-(path|namespaces)/);
  });

  test("opted in by the server's config: the same Pod is admitted", async () => {
    const reply = await allowed(configOf('liveInlineIgnores: {categories: [workload-security], reason: GitOps}\n'));
    assert.equal(reply.allowed, true, reply.message);
  });
});
