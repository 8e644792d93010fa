import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgeObjects as runRules } from '../../src/scan.js';
import type { Category, Finding } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

/** Scans real files through the real source and engine with the rules of the given categories. */
async function scanWith(categories: readonly Category[], paths: readonly string[]): Promise<Finding[]> {
  const collected = await collectManifests({ paths, cwd: process.cwd(), readStdin: async () => Buffer.alloc(0) });
  const rules = ALL_RULES.filter((rule) => categories.includes(rule.meta.category));
  const result = runRules(collected.objects, { rules });
  if (result.ruleErrors.length > 0) throw new Error(result.ruleErrors.map((e) => `${e.ruleId}: ${e.message}`).join('; '));
  return result.findings;
}

/** `rule severity Kind/namespace/name path`, the shape corpus expectations are written in. */
function summarize(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  return `${finding.ruleId} ${finding.severity} ${kind}/${namespace ?? ''}/${name} ${finding.path ?? ''}`;
}

const wild = (file: string): string => sharedPath('corpus', 'wild', file);

/** SOURCES.md rows 16-22 of the wild corpus: each file must yield exactly these findings. */
const WILD_EXPECTATIONS: readonly { row: number; file: string; expected: readonly string[] }[] = [
  {
    row: 16,
    file: 'opendatahub-io__kubeflow__components_odh-notebook-controller_config_samples__v1_notebook.yaml',
    expected: ['jupyter-empty-token medium Notebook//notebook-sample-v1 spec.template.spec.containers[0].env[1].value'],
  },
  {
    row: 17,
    file: 'NVIDIA__deepops__workloads_examples_k8s_tensorflow-notebook.yaml',
    expected: ['jupyter-empty-token high Deployment//tensorflow-notebook spec.template.spec.containers[0].args[1]'],
  },
  {
    row: 18,
    file: 'mlrun__mlrun__hack_local_mljupy.yaml',
    expected: ['jupyter-empty-token high Deployment//jupyter-notebook spec.template.spec.containers[0].args[2]'],
  },
  {
    row: 19,
    file: 'argoproj__argo-workflows__manifests_quick-start_base_overlays_argo-server-deployment.yaml',
    expected: ['argo-server-auth-mode-server high Deployment//argo-server spec.template.spec.containers[0].args[2]'],
  },
  {
    row: 20,
    file: 'argoproj__argo-workflows__test_e2e_manifests_stress_argo-server-deployment.yaml',
    expected: ['argo-server-auth-mode-server high Deployment//argo-server spec.template.spec.containers[0].args[2]'],
  },
  {
    row: 21,
    file: 'kubernetes__minikube__deploy_addons_dashboard_dashboard-dp.yaml',
    expected: [
      'kubernetes-dashboard-auth-bypass high Deployment/kubernetes-dashboard/kubernetes-dashboard spec.template.spec.containers[0].args[1]',
      'kubernetes-dashboard-auth-bypass medium Deployment/kubernetes-dashboard/kubernetes-dashboard spec.template.spec.containers[0].args[2]',
    ],
  },
  {
    row: 22,
    file: 'kubernetes__dashboard__aio_deploy_alternative.yaml',
    expected: ['kubernetes-dashboard-auth-bypass medium Deployment/kubernetes-dashboard/kubernetes-dashboard spec.template.spec.containers[0].args[1]'],
  },
];

describe('authentication rules on the wild corpus', requiresShared(), () => {
  for (const { row, file, expected } of WILD_EXPECTATIONS) {
    test(`row ${row}: ${file}`, async () => {
      const findings = await scanWith(['authentication'], [wild(file)]);
      assert.deepEqual(findings.map(summarize).sort(), [...expected].sort());
    });
  }

  test('an empty token is not reported once the Kubeflow gateway with login is in the scan', async () => {
    const findings = await scanWith(
      ['authentication'],
      [wild('opendatahub-io__kubeflow__components_odh-notebook-controller_config_samples__v1_notebook.yaml'), sharedPath('corpus', 'kubeflow', 'kfm-oauth2-proxy-m2m-dex-only.yaml')],
    );
    assert.deepEqual(findings.filter((f) => f.ruleId === 'jupyter-empty-token').map(summarize), []);
  });
});

/** Published values long enough that finding one in output can only be a leak. */
const LEAK_MARKERS = ['$2y$', 'minio123', 'pUBnBOY80SnXgjibTYM9ZWNzY2xreNGQok', '7d16fee92f8d11b8940b081b3f8b8acb'];

/** Findings both layouts share: the old kubeflow/manifests install and kubeflow/community-distribution. */
const STOCK_AUTH_FINDINGS = [
  'dex-default-static-password high ConfigMap/auth/dex data["config.yaml"]',
  'istio-allow-all-kubeflow-namespace low AuthorizationPolicy/kubeflow/service-cache-server spec.rules[0]',
  'istio-allow-all-kubeflow-namespace medium AuthorizationPolicy/kubeflow/metadata-grpc-service spec.rules[0]',
  'istio-allow-all-kubeflow-namespace medium AuthorizationPolicy/kubeflow/seaweedfs-service spec.rules[2]',
  'object-store-default-credentials high Secret/kubeflow/mlpipeline-minio-artifact stringData.secretkey',
  'published-default-credentials high Secret/oauth2-proxy/oauth2-proxy-h675gf55ht data.cookie-secret',
  'published-default-credentials medium Secret/auth/dex-oidc-client data.OIDC_CLIENT_SECRET',
  'published-default-credentials medium Secret/kubeflow/katib-mysql-secrets data.MYSQL_ROOT_PASSWORD',
  'published-default-credentials medium Secret/kubeflow/mysql-secret stringData.password',
  'published-default-credentials medium Secret/oauth2-proxy/oauth2-proxy-h675gf55ht data.client-secret',
];

describe('authentication rules on the stock Kubeflow install', requiresShared(), () => {
  test('report the Dex default user, the published credentials and allow-all policies, and nothing else', async () => {
    const findings = await scanWith(['authentication'], [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')]);
    assert.deepEqual(findings.map(summarize).sort(), [...STOCK_AUTH_FINDINGS].sort());
    const dex = findings.find((f) => f.ruleId === 'dex-default-static-password');
    assert.ok(dex?.message.includes('Secret auth/dex-passwords key DEX_USER_PASSWORD'));
    const text = JSON.stringify(findings);
    for (const marker of LEAK_MARKERS) assert.ok(!text.includes(marker), `a secret value (${marker.slice(0, 4)}…) leaked into a finding`);
  });

  test('community-distribution layout: the same, plus the Hub Model Registry and model catalog databases', async () => {
    const findings = await scanWith(['authentication'], [sharedPath('corpus', 'kubeflow-cd', 'kubeflow-cd-example-install.yaml')]);
    assert.deepEqual(
      findings.map(summarize).sort(),
      [
        ...STOCK_AUTH_FINDINGS,
        'published-default-credentials medium Secret/kubeflow-user-example-com/model-registry-db-secrets data.POSTGRES_PASSWORD',
        'published-default-credentials medium Secret/kubeflow/model-catalog-postgres data.POSTGRES_PASSWORD',
      ].sort(),
    );
    const text = JSON.stringify(findings);
    for (const marker of LEAK_MARKERS) assert.ok(!text.includes(marker), `a secret value (${marker.slice(0, 4)}…) leaked into a finding`);
  });
});
