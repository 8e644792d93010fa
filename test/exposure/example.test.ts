import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { load, scan } from './helpers.js';

test('the bundled exposed-kubeflow example yields a critical finding per routed UI on the gateway Service', async () => {
  const findings = scan(await load(join(REPO_ROOT, 'examples', 'exposed-kubeflow')));
  assert.deepEqual(
    findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.name} ${f.path} ${f.location?.file}:${f.location?.line}`).sort(),
    [
      'kubeflow-dashboard-exposed critical istio-ingressgateway spec.type examples/exposed-kubeflow/istio-gateway.yaml:16',
      'kubeflow-dashboard-exposed critical istio-ingressgateway spec.type examples/exposed-kubeflow/istio-gateway.yaml:16',
    ],
  );
  assert.deepEqual(findings.map((f) => f.message.split(' (')[0]).sort(), ['Kubeflow Central Dashboard', 'Kubeflow Pipelines UI']);
});
