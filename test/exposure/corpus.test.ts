import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScannedObject } from '../../src/core/types.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { load, resourceOf, scan, setServiceType, withChanged, without } from './helpers.js';

const STOCK = sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml');
const AUTH_POLICIES = ['istio-ingressgateway-oauth2-proxy', 'istio-ingressgateway-require-jwt'];

function withoutAuthChain(objects: readonly ScannedObject[]): ScannedObject[] {
  const noPolicies = without(objects, 'AuthorizationPolicy', 'istio-system', AUTH_POLICIES);
  return without(noPolicies, 'RequestAuthentication', 'istio-system', ['dex-jwt']);
}

const GATEWAY = ['Service', 'istio-system', 'istio-ingressgateway'] as const;

describe('exposure rules on the stock Kubeflow install', requiresShared(), () => {
  let stock: ScannedObject[] = [];
  it('loads', async () => {
    stock = await load(STOCK);
    assert.ok(stock.length > 600, `expected the full install, got ${stock.length} objects`);
  });

  it('yields no exposure finding: the gateway is ClusterIP and the oauth2-proxy chain is present', () => {
    assert.deepEqual(scan(stock).map(resourceOf), []);
  });

  it('gateway switched to LoadBalancer without the auth chain: critical, one finding per routed UI', () => {
    const findings = scan(withChanged(withoutAuthChain(stock), ...GATEWAY, setServiceType('LoadBalancer')));
    const kubeflow = findings.filter((f) => f.ruleId === 'kubeflow-dashboard-exposed');
    assert.ok(kubeflow.length >= 6, `expected a finding per Kubeflow UI, got ${kubeflow.length}`);
    assert.ok(kubeflow.every((f) => f.severity === 'critical' && resourceOf(f) === 'Service/istio-system/istio-ingressgateway'));
    assert.ok(kubeflow.every((f) => f.path === 'spec.type'));
    const dashboard = kubeflow.find((f) => f.message.startsWith('Kubeflow Central Dashboard'));
    assert.ok(dashboard, 'no Central Dashboard finding');
    assert.equal(
      dashboard.evidence[0],
      'Service istio-system/istio-ingressgateway (LoadBalancer) → Deployment istio-system/istio-ingressgateway → Gateway kubeflow/kubeflow-gateway → VirtualService kubeflow/centraldashboard (prefix /) → Service kubeflow/centraldashboard → Deployment kubeflow/centraldashboard',
    );
    assert.ok(dashboard.evidence.includes('no AuthorizationPolicy with a CUSTOM provider and no JWT requirement on the ingress gateway'));
    assert.ok(kubeflow.some((f) => f.message.startsWith('Kubeflow Pipelines UI')));
    assert.equal(new Set(kubeflow.map((f) => f.fingerprint)).size, kubeflow.length, 'fingerprints must differ per target');
    // The gateway leaves /ml_metadata and /dex/ open too: both are sensitive doors of their own.
    const others = findings.filter((f) => f.ruleId === 'ml-service-exposed').map((f) => `${f.severity} ${f.message.split(' (')[0]}`);
    assert.deepEqual(others.sort(), ['high ML Metadata service', 'medium Dex identity provider']);
  });

  it('gateway switched to NodePort without the auth chain: critical (a NodePort listens on every node address)', () => {
    const findings = scan(withChanged(withoutAuthChain(stock), ...GATEWAY, setServiceType('NodePort'))).filter((f) => f.ruleId === 'kubeflow-dashboard-exposed');
    assert.ok(findings.length >= 6);
    assert.ok(findings.every((f) => f.severity === 'critical'));
  });

  it('gateway switched to LoadBalancer with the auth chain intact: one low finding, never critical', () => {
    const findings = scan(withChanged(stock, ...GATEWAY, setServiceType('LoadBalancer')));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, 'low');
    assert.match(findings[0]?.evidence.join('\n') ?? '', /istio-ingressgateway-oauth2-proxy sends requests to the oauth2-proxy provider/);
  });

  it('an Ingress straight to centraldashboard bypasses the gateway: critical', () => {
    const ingress: ScannedObject = {
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'dashboard', namespace: 'kubeflow' },
        spec: { defaultBackend: { service: { name: 'centraldashboard', port: { number: 80 } } } },
      },
      origin: { kind: 'file' as const, reader: 'file' as const, file: 'test.yaml' },
    };
    const findings = scan([...stock, ingress]);
    assert.equal(findings.length, 1);
    assert.equal(resourceOf(findings[0]!), 'Ingress/kubeflow/dashboard');
    assert.equal(findings[0]?.severity, 'critical');
    assert.match(findings[0]?.evidence.join('\n') ?? '', /Service kubeflow\/centraldashboard → Deployment kubeflow\/centraldashboard/);
    assert.match(findings[0]?.evidence.join('\n') ?? '', /AuthorizationPolicy kubeflow\/central-dashboard admits only mesh identities/);
  });
});

for (const file of ['kfp-platform-agnostic.yaml', 'kfm-kfp-platform-agnostic.yaml']) {
  describe(`KFP standalone install ${file}`, requiresShared(), () => {
    let objects: ScannedObject[] = [];
    it('loads and yields nothing as shipped', async () => {
      objects = await load(sharedPath('corpus', 'kubeflow', file));
      assert.deepEqual(scan(objects).map(resourceOf), []);
    });
    it('ml-pipeline-ui switched to LoadBalancer: critical, the standalone UI has no authentication', () => {
      const findings = scan(withChanged(objects, 'Service', 'kubeflow', 'ml-pipeline-ui', setServiceType('LoadBalancer')));
      assert.equal(findings.length, 1);
      assert.equal(findings[0]?.ruleId, 'kubeflow-dashboard-exposed');
      assert.equal(findings[0]?.severity, 'critical');
      assert.match(findings[0]?.message ?? '', /^Kubeflow Pipelines UI/);
      assert.match(findings[0]?.evidence[0] ?? '', /Service kubeflow\/ml-pipeline-ui \(LoadBalancer\) → Deployment kubeflow\/ml-pipeline-ui/);
    });
  });
}

/** Rows 1-15 and 17-18 of corpus/wild/SOURCES.md: the exposure patterns. */
const WILD_EXPOSURES = [
  'Azure__kubeflow-aks__deployments_tls_kustomization.yaml',
  'ArdentMC__ai-streamliner__kubeflow_ingress.yaml',
  'awslabs__kubeflow-manifests__awsconfigs_common_istio-ingress_base_ingress.yaml',
  'azmikamis__minikube-kubeflow-poc__kubeflow-ingress.yaml',
  'kubeflow__manifests__common_istio-1-14_istio-install_base_patches_service.yaml',
  'kubeflow__manifests__aws_istio-ingress_base_ingress.yaml',
  'kubeflow__manifests__istio_kfserving-gateway_base_service.yaml',
  'kubeflow__pipelines__manifests_kustomize_env_dev-kind_kustomization.yaml',
  'kubeflow__pipelines__k8s_pipeline-frontend.yaml',
  'kubeflow__pipelines__manifests_kustomize_third-party_postgresql_base_pg-service.yaml',
  'kubeflow__manifests__argo_base_service.yaml',
  'kubeflow__manifests__common_dex_base_service.yaml',
  'kubeflow__manifests__contrib_modeldb_base_webapp-service.yaml',
  'romeokienzler__DockerizeIT__elyra-ai_ingress-kfp.yaml',
  'kubeflow__kfp-tekton__samples_kfp-tfx_tfx-taxi-on-prem_pvc_filebrowser.yaml',
  'NVIDIA__deepops__workloads_examples_k8s_tensorflow-notebook.yaml',
  'mlrun__mlrun__hack_local_mljupy.yaml',
];

describe('wild exposure examples', requiresShared(), () => {
  for (const file of WILD_EXPOSURES) {
    it(`${file} yields an exposure finding`, async () => {
      const findings = scan(await load(sharedPath('corpus', 'wild', file)));
      assert.ok(findings.length > 0, 'no finding');
      assert.ok(findings.every((f) => f.category === 'exposure' && f.evidence.length >= 2 && (f.attackPath?.length ?? 0) >= 3));
    });
  }

  it('the Istio and KFP UI exposures are kubeflow-dashboard-exposed, the rest ml-service-exposed', async () => {
    const ruleOf = async (file: string): Promise<string[]> =>
      [...new Set(scan(await load(sharedPath('corpus', 'wild', file))).map((f) => f.ruleId))].sort();
    assert.deepEqual(await ruleOf('Azure__kubeflow-aks__deployments_tls_kustomization.yaml'), ['kubeflow-dashboard-exposed']);
    assert.deepEqual(await ruleOf('kubeflow__pipelines__k8s_pipeline-frontend.yaml'), ['kubeflow-dashboard-exposed']);
    assert.deepEqual(await ruleOf('kubeflow__manifests__common_dex_base_service.yaml'), ['ml-service-exposed']);
    assert.deepEqual(await ruleOf('romeokienzler__DockerizeIT__elyra-ai_ingress-kfp.yaml'), ['kubeflow-dashboard-exposed', 'ml-service-exposed']);
  });

  it('the KFP dev-kind kustomization reports each NodePort patch on its own', async () => {
    const findings = scan(await load(sharedPath('corpus', 'wild', 'kubeflow__pipelines__manifests_kustomize_env_dev-kind_kustomization.yaml')));
    assert.deepEqual(findings.map((f) => f.path).sort(), ['patches[0].patch', 'patches[1].patch', 'patches[2].patch', 'patches[3].patch', 'patches[4].patch']);
    assert.equal(findings.find((f) => f.path === 'patches[0].patch')?.ruleId, 'kubeflow-dashboard-exposed');
  });
});
