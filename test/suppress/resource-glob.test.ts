import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileResourceGlob, resourceKey } from '../../src/suppress/resource-glob.js';

describe('resource globs over namespace/kind/name', () => {
  const cases: [glob: string, key: string, expected: boolean][] = [
    ['kubeflow/Service/ml-pipeline-ui', 'kubeflow/Service/ml-pipeline-ui', true],
    ['kubeflow/Service/ml-pipeline-ui', 'kubeflow/Service/ml-pipeline-ui2', false],
    ['kubeflow/*/ml-*', 'kubeflow/Deployment/ml-pipeline', true],
    ['kubeflow/*/ml-*', 'kubeflow-user/Deployment/ml-pipeline', false],
    ['*/Service/*', 'istio-system/Service/istio-ingressgateway', true],
    ['*/Service/*', 'a/b/Service/c', false],
    ['*/ClusterRole/*', '/ClusterRole/edit', true],
    ['team-*/**', 'team-a/Notebook/x', true],
    ['**', '/ClusterRoleBinding/anything', true],
    ['kubeflow/Service/a.b', 'kubeflow/Service/aXb', false],
    ['kubeflow/service/web', 'kubeflow/Service/web', false],
  ];
  for (const [glob, key, expected] of cases) {
    test(`${glob} ${expected ? 'matches' : 'does not match'} ${key}`, () => {
      assert.equal(compileResourceGlob(glob)(key), expected);
    });
  }

  test('keys of cluster-scoped objects start with an empty namespace', () => {
    assert.equal(resourceKey({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'edit' }), '/ClusterRole/edit');
    assert.equal(resourceKey({ apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: 'web' }), 'ns/Service/web');
  });
});
