import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessGraphOf } from '../../src/rbac/access-graph.js';
import { canExecIntoPods, creatablePodMakers } from '../../src/rbac/pod-makers.js';
import { describeSubject } from '../../src/rbac/subjects.js';
import { inventoryOf } from './helpers.js';

const aggregated = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-admin
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: { rbac.authorization.kubeflow.org/aggregate-to-kubeflow-admin: "true" }
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-edit
  labels: { rbac.authorization.kubeflow.org/aggregate-to-kubeflow-admin: "true" }
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: { rbac.authorization.kubeflow.org/aggregate-to-kubeflow-edit: "true" }
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-pipelines-edit
  labels: { rbac.authorization.kubeflow.org/aggregate-to-kubeflow-edit: "true" }
rules:
  - apiGroups: [argoproj.io]
    resources: [workflows]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-kubernetes-edit
  labels: { rbac.authorization.kubeflow.org/aggregate-to-kubeflow-edit: "true" }
rules:
  - apiGroups: [""]
    resources: [pods, pods/exec]
    verbs: [create]
---
apiVersion: kubeflow.org/v1
kind: Profile
metadata: { name: team-a }
spec:
  owner: { kind: User, name: alice@example.com }
`;

describe('access graph', () => {
  test('aggregation is resolved transitively from ClusterRole labels', () => {
    const graph = accessGraphOf(inventoryOf(aggregated));
    const admin = graph.clusterRole('kubeflow-admin');
    assert.ok(admin);
    assert.deepEqual([...admin.aggregatedFrom].sort(), ['kubeflow-edit', 'kubeflow-kubernetes-edit', 'kubeflow-pipelines-edit']);
    assert.deepEqual(creatablePodMakers(admin.rules), ['pods', 'workflows.argoproj.io']);
    assert.equal(canExecIntoPods(admin.rules), true);
  });

  test('a Profile implies the bindings its controller creates in its namespace', () => {
    const graph = accessGraphOf(inventoryOf(aggregated));
    const implied = graph.grants.map((g) => `${describeSubject(g.subject)} ${g.roleRef.name} @${g.namespace}`).sort();
    assert.deepEqual(implied, [
      'ServiceAccount team-a/default-editor kubeflow-edit @team-a',
      'ServiceAccount team-a/default-viewer kubeflow-view @team-a',
      'User alice@example.com kubeflow-admin @team-a',
    ]);
    const editor = graph.grants.find((g) => g.subject.name === 'default-editor');
    assert.deepEqual(creatablePodMakers(editor?.role?.rules ?? []), ['pods', 'workflows.argoproj.io']);
    assert.equal(graph.grants.find((g) => g.subject.name === 'default-viewer')?.role, undefined, 'kubeflow-view is not scanned');
  });

  test('built-in roles resolve without being scanned; unknown roles stay unresolved', () => {
    const graph = accessGraphOf(
      inventoryOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: b, namespace: ns1 }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
subjects:
  - { kind: ServiceAccount, name: runner }
  - { kind: Group, name: devs }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: c }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: not-scanned }
subjects: [{ kind: User, name: bob }]
`),
    );
    const grantTo = (name: string) => graph.grants.find((g) => g.subject.name === name);
    const [runner, devs, bob] = [grantTo('runner'), grantTo('devs'), grantTo('bob')];
    assert.equal(runner && describeSubject(runner.subject), 'ServiceAccount ns1/runner', 'SA namespace defaults to the binding');
    assert.equal(runner?.namespace, 'ns1');
    assert.ok(creatablePodMakers(devs?.role?.rules ?? []).includes('deployments.apps'));
    assert.equal(bob?.namespace, '*');
    assert.equal(bob?.role, undefined);
  });

  test('a cycle of aggregated roles terminates', () => {
    const graph = accessGraphOf(
      inventoryOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: a, labels: { agg: b } }
aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: a } }] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: b, labels: { agg: a } }
aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: b } }] }
rules: [{ apiGroups: [""], resources: [pods], verbs: [create] }]
`),
    );
    assert.deepEqual(creatablePodMakers(graph.clusterRole('a')?.rules ?? []), ['pods']);
  });

  test('the graph is built once per inventory', () => {
    const inventory = inventoryOf(aggregated);
    assert.equal(accessGraphOf(inventory), accessGraphOf(inventory));
    assert.notEqual(accessGraphOf(inventory), accessGraphOf(inventoryOf(aggregated)));
  });
});

test('bindings a Profile implies are not doubled when the scan holds the real ones', () => {
  const graph = accessGraphOf(
    inventoryOf(`
apiVersion: kubeflow.org/v1
kind: Profile
metadata: { name: team-b }
spec: { owner: { kind: User, name: bob@example.com } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: default-editor, namespace: team-b }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeflow-edit }
subjects: [{ kind: ServiceAccount, name: default-editor, namespace: team-b }]
`),
  );
  assert.deepEqual(graph.grants.map((g) => g.via).sort(), [
    'Profile team-b (RoleBinding default-viewer)',
    'Profile team-b (RoleBinding namespaceAdmin)',
    'RoleBinding team-b/default-editor',
  ]);
});
