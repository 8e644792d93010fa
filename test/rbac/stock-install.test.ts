// run-tests: alone
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { judgeObjects as runRules } from '../../src/scan.js';
import type { ScannedObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import { accessSummaryOf } from '../../src/rbac/access-summary.js';
import type { Report } from '../../src/report/report.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';

const STOCK = () => sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
const OURS = ALL_RULES.filter((r) => r.meta.category === 'rbac' || r.meta.category === 'guardrails');

async function load(path: string): Promise<readonly ScannedObject[]> {
  const collected = await collectManifests({ paths: [path], cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
  return collected.objects;
}

describe('RBAC and guardrails on the stock Kubeflow install', requiresShared(), () => {
  test('report exactly the findings reviewed by hand', async () => {
    const { findings, ruleErrors } = runRules(await load(STOCK()), { rules: OURS });
    assert.deepEqual(ruleErrors, []);
    const seen = findings
      .map((f) => `${f.severity} ${f.ruleId} ${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name} ${f.path ?? ''}`)
      .sort();
    assert.deepEqual(seen, [
      'info pipeline-run-service-account-override ClusterRole aggregate-to-kubeflow-pipelines-edit rules[4].resources',
      'info rbac-pods-exec ClusterRole kubeflow-kubernetes-edit rules[1].resources',
      'info rbac-wildcard-permissions ClusterRole aggregate-to-kubeflow-pipelines-edit rules[4].verbs',
      'low profile-namespace-missing-limit-range Profile kubeflow-user-example-com spec',
      'low rbac-pods-exec ClusterRole argo-cluster-role rules[0].resources',
      'low rbac-pods-exec Role kubeflow/pipeline-runner rules[5].resources',
      'low rbac-wildcard-permissions ClusterRole katib-controller rules[12].verbs',
      'low rbac-wildcard-permissions ClusterRole katib-ui rules[1].verbs',
      'low rbac-wildcard-permissions ClusterRole notebook-controller-role rules[0].verbs',
      'low rbac-wildcard-permissions Role kubeflow/pipeline-runner rules[5].verbs',
      'medium kfp-runner-service-account-reach RoleBinding kubeflow/pipeline-runner-binding subjects[0]',
      'medium profile-namespace-missing-egress-deny Profile kubeflow-user-example-com spec',
      'medium profile-namespace-missing-resource-quota Profile kubeflow-user-example-com spec',
      'medium rbac-cluster-admin-binding ClusterRoleBinding profiles-cluster-rolebinding subjects[0]',
    ]);
  });

  test('access summary: who can run code where', async () => {
    const inventory = buildInventory(await load(STOCK()));
    // Its time is part of the full-install row of `npm run bench` (the JSON report carries the summary).
    const summary = accessSummaryOf(inventory) ?? [];
    const bySubject = new Map(summary.map((e) => [e.subject, e]));
    assert.equal(summary[0]?.subject, 'User user@example.com', 'the profile owner, a person, is listed first');
    assert.deepEqual(bySubject.get('User user@example.com')?.namespaces, ['kubeflow-user-example-com']);
    assert.ok(bySubject.get('User user@example.com')?.canCreate.includes('notebooks.kubeflow.org'));
    const editor = bySubject.get('ServiceAccount kubeflow-user-example-com/default-editor');
    assert.ok(editor?.canCreate.includes('workflows.argoproj.io'), 'kubeflow-edit aggregates the pipelines edit role');
    assert.deepEqual(bySubject.get('ServiceAccount kubeflow/profiles-controller-service-account')?.namespaces, ['*']);
    assert.deepEqual(bySubject.get('ServiceAccount kubeflow/pipeline-runner')?.namespaces, ['kubeflow']);
    assert.ok(!summary.some((e) => e.exposure === 'anonymous' || e.exposure === 'any-authenticated'));
  });

  test('kfguard scan shows the access summary in JSON (complete) and text (capped)', async () => {
    const json = await runCli(['scan', STOCK(), '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(json.stdout) as Report;
    const entries = report.extensions.accessSummary ?? [];
    assert.ok(entries.length > 12, `expected many subjects, got ${entries.length}`);
    const text = await runCli(['scan', STOCK(), '--fail-on', 'none']);
    assert.match(text.stdout, /Who can run code where \(RBAC\)/);
    assert.match(text.stdout, /User user@example\.com → kubeflow-user-example-com/);
    assert.match(text.stdout, new RegExp(`and ${entries.length - 12} more subjects`));
  });
});

describe('RBAC rules on the Falco audit samples', requiresShared(), () => {
  const requestObject = (file: string): ScannedObject => {
    const event = JSON.parse(readFileSync(sharedPath('schemas', 'audit', 'falco-k8s-audit', file), 'utf8')) as {
      requestObject: Record<string, unknown>;
      objectRef?: { apiGroup?: string; apiVersion?: string; resource?: string };
    };
    const object = { apiVersion: 'rbac.authorization.k8s.io/v1', ...event.requestObject } as ScannedObject['object'];
    return { object, origin: { kind: 'file' as const, reader: 'file' as const, file } };
  };
  const run = (...files: string[]) => runRules(files.map(requestObject), { rules: OURS }).findings;

  test('a ClusterRole with wildcard verbs on pods', () => {
    const findings = run('create_cluster_role_wildcard_verbs.json');
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.resource.name, f.path, f.severity]),
      [['rbac-wildcard-permissions', 'some-reader', 'rules[0].verbs', 'low']],
    );
  });

  test('a user bound to cluster-admin', () => {
    const findings = run('attach_cluster_admin_role.json');
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.resource.name, f.path, f.severity, f.message]),
      [['rbac-cluster-admin-binding', 'some-reader-binding', 'subjects[0]', 'high', 'User minikube is cluster-admin across the whole cluster']],
    );
  });

  test('binding the wildcard role to a user raises it, and a plain binding stays quiet', () => {
    const wildcard = requestObject('create_cluster_role_wildcard_verbs.json');
    const binding = requestObject('create_clusterrolebinding.json');
    const rebound = {
      ...binding,
      object: { ...binding.object, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'some-reader' } },
    };
    assert.deepEqual(runRules([binding], { rules: OURS }).findings, []);
    const findings = runRules([wildcard, rebound], { rules: OURS }).findings;
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity]),
      [['rbac-wildcard-permissions', 'high']],
    );
  });
});
