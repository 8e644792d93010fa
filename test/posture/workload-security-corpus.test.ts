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

const CNI = 'DaemonSet/kube-system/istio-cni-node';
const RUNTIMES = ['deepspeed-distributed', 'jax-distributed', 'mlx-distributed', 'torch-distributed', 'torchtune-llama3.2-1b', 'torchtune-llama3.2-3b', 'torchtune-qwen2.5-1.5b', 'xgboost-distributed'];

describe('workload-security and supply-chain rules on the stock Kubeflow install', requiresShared(), () => {
  test('report the Istio CNI node agent and the tag-pinned training runtimes, all as info', async () => {
    const findings = await scanWith(['workload-security', 'supply-chain'], [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')]);
    assert.deepEqual(findings.map(summarize).sort(), [
      ...[0, 1, 2, 3].map((i) => `container-added-capabilities info ${CNI} spec.template.spec.containers[0].securityContext.capabilities.add[${i}]`),
      ...RUNTIMES.map(
        (name) => `image-not-pinned-digest info ClusterTrainingRuntime/kubeflow-system/${name} spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].image`,
      ),
      ...[0, 1, 2, 3, 4].map((i) => `pod-host-path info ${CNI} spec.template.spec.volumes[${i}].hostPath`),
    ].sort());
  });
});

describe('workload-security rules on the KFP GCP install', requiresShared(), () => {
  test('the inverse-proxy agent on the host network is the one finding above info', async () => {
    const findings = await scanWith(['workload-security'], [sharedPath('corpus', 'kubeflow', 'kfp-gcp.yaml')]);
    assert.deepEqual(
      findings.filter((f) => f.severity !== 'info').map(summarize),
      ['pod-host-namespaces medium Deployment/kubeflow/proxy-agent spec.template.spec.hostNetwork'],
    );
  });
});
