import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessSummaryOf } from '../../src/rbac/access-summary.js';
import { inventoryOf } from './helpers.js';

const objects = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: runner }
rules:
  - apiGroups: [kubeflow.org]
    resources: [notebooks, pytorchjobs]
    verbs: [create]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: team-runner, namespace: team-a }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: runner }
subjects:
  - { kind: ServiceAccount, name: bot }
  - { kind: User, name: carol }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: oops }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: runner }
subjects: [{ kind: Group, name: "system:unauthenticated" }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: view-only }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects: [{ kind: User, name: dan }]
`;

test('access summary lists who can create pod-making resources, riskiest first', () => {
  const summary = accessSummaryOf(inventoryOf(objects)) ?? [];
  assert.deepEqual(
    summary.map((e) => [e.subject, e.exposure, e.namespaces.join(','), e.canCreate.join(','), e.via.join(';')]),
    [
      ['Group system:unauthenticated', 'anonymous', '*', 'notebooks.kubeflow.org,pytorchjobs.kubeflow.org', 'ClusterRoleBinding oops'],
      ['User carol', 'person', 'team-a', 'notebooks.kubeflow.org,pytorchjobs.kubeflow.org', 'RoleBinding team-a/team-runner'],
      ['ServiceAccount team-a/bot', 'service-account', 'team-a', 'notebooks.kubeflow.org,pytorchjobs.kubeflow.org', 'RoleBinding team-a/team-runner'],
    ],
  );
});

test('no bindings, no summary; bindings that start nothing give an empty one', () => {
  assert.equal(accessSummaryOf(inventoryOf('apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n')), undefined);
  const viewOnly = objects.split('---').at(-1) ?? '';
  assert.deepEqual(accessSummaryOf(inventoryOf(viewOnly)), []);
});
