// `pipeline-run-service-account-override` judges who holds a role that creates Argo runs directly
// by its bindings. When the source could not list bindings (a refused list in `scan --cluster`,
// `watch` or a snapshot of such a cluster), what is in view must not make the role pass: the
// finding stays, at the rule's own severity for roles, and says bindings could not be read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { runRules } from '../../src/core/engine.js';
import { isK8sObject } from '../../src/core/object.js';
import type { Finding, ScannedObject } from '../../src/core/types.js';
import { podLabelsOf } from '../../src/k8s/inventory.js';
import { ruleById } from '../../src/rules/index.js';

const RULE = ruleById('pipeline-run-service-account-override')!;

const ROLE = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: run-submitter, namespace: team-a}
rules: [{apiGroups: [argoproj.io], resources: [workflows], verbs: [create]}]
`;
const SA_BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: controller-runs, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: run-submitter}
subjects: [{kind: ServiceAccount, name: pipeline-controller, namespace: team-a}]
`;

function judge(text: string, unreadKinds?: ReadonlySet<string>): Finding[] {
  const objects: ScannedObject[] = yaml.loadAll(text).filter(isK8sObject).map((object) => ({ object, origin: { kind: 'cluster' as const, context: 'test' } }));
  return runRules(objects, { rules: [RULE], podLabelsOf, ...(unreadKinds ? { unreadKinds } : {}) }).findings.filter((f) => f.resource.name === 'run-submitter');
}

describe('pipeline-run-service-account-override with bindings that could not be listed', () => {
  test('bindings read: an unbound role and one held by a service account only pass', () => {
    assert.deepEqual(judge(ROLE), []);
    assert.deepEqual(judge(`${ROLE}---\n${SA_BINDING}`), []);
  });

  test('RoleBindings refused: the unbound role is reported, medium, naming what could not be read', () => {
    const [finding, ...rest] = judge(ROLE, new Set(['RoleBinding']));
    assert.equal(rest.length, 0);
    assert.equal(finding?.severity, 'medium');
    assert.match(finding?.message ?? '', /bindings could not be read/);
    assert.doesNotMatch(finding?.message ?? '', /not bound by any scanned binding/);
  });

  test('RoleBindings refused: a service-account holder in view does not make it pass', () => {
    const [finding] = judge(`${ROLE}---\n${SA_BINDING}`, new Set(['RoleBinding']));
    assert.equal(finding?.severity, 'medium');
    assert.match(finding?.message ?? '', /held by .*pipeline-controller.*; bindings could not be read/);
  });

  test('only ClusterRoleBindings refused: a namespaced Role cannot be bound by them, so nothing changes', () => {
    assert.deepEqual(judge(ROLE, new Set(['ClusterRoleBinding'])), []);
  });
});
