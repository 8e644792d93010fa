import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { load, scan, sourceLine } from './helpers.js';

/** 1-based line of the `occurrence`-th (0-based) line matching `pattern`. */
function nthLine(file: string, pattern: RegExp, occurrence: number): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  let seen = -1;
  for (let i = 0; i < lines.length; i++) {
    if (pattern.test(lines[i] ?? '') && ++seen === occurrence) return i + 1;
  }
  throw new Error(`${file}: no occurrence ${occurrence} of ${pattern}`);
}

/** Where the offending field really is, found in the raw text independently of the YAML parser. */
function expectedLine(file: string, finding: Finding): number {
  const path = finding.path ?? '';
  if (path === 'spec.type') return nthLine(file, /^\s*type:\s*(LoadBalancer|NodePort)\s*$/, 0);
  if (path === 'spec.backend') return nthLine(file, /^\s*backend:\s*$/, 0);
  const rule = /^spec\.rules\[(\d+)\]\.http\.paths\[0\]\.backend$/.exec(path);
  if (rule) return nthLine(file, /^\s*(- )?backend:\s*$/, Number(rule[1]));
  const patch = /^patches\[(\d+)\]\.patch$/.exec(path);
  if (patch) return nthLine(file, /^- (patch|path):/, Number(patch[1]));
  throw new Error(`no expectation for path ${path}`);
}

const WILD = [
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

describe('exposure finding lines match the real corpus text', requiresShared(), () => {
  for (const name of WILD) {
    it(name, async () => {
      const file = sharedPath('corpus', 'wild', name);
      const findings = scan(await load(file));
      assert.ok(findings.length > 0);
      for (const finding of findings) {
        assert.ok(finding.location, `${finding.path}: no location`);
        assert.equal(finding.location.line, expectedLine(file, finding), `${finding.path} at line ${finding.location.line}: "${sourceLine(file, finding.location.line)}"`);
      }
    });
  }

  it('kfp-dev-kind.yaml: each NodePort finding sits on its `type: NodePort` line', async () => {
    const file = sharedPath('corpus', 'kubeflow', 'kfp-dev-kind.yaml');
    const findings = scan(await load(file));
    assert.ok(findings.length >= 4, `expected the dev-kind NodePorts, got ${findings.length}`);
    for (const finding of findings) {
      assert.equal(finding.path, 'spec.type');
      assert.match(sourceLine(file, finding.location?.line ?? 0), /^\s*type: NodePort$/);
    }
  });

  it('kfp-openshift.yaml: the Route finding sits on its `to:` line', async () => {
    const file = sharedPath('corpus', 'kubeflow', 'kfp-openshift.yaml');
    const findings = scan(await load(file));
    assert.equal(findings.length, 1);
    const line = findings[0]?.location?.line ?? 0;
    assert.match(sourceLine(file, line), /^\s*to:$/);
    assert.ok(
      readFileSync(file, 'utf8').split('\n').slice(line - 20, line).some((l) => l === 'kind: Route'),
      'the line is not inside the Route document',
    );
  });
});
