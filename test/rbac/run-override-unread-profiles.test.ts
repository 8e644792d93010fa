// `pipeline-run-service-account-override` tells a profile namespace (runner `default-editor` only,
// every Argo run there is KFP's) from Profiles and Namespaces. When the source could not read
// Profiles (a refused list, `--namespace`, kubeflow.org not discovered) and the run's Namespace is
// not in view either, what is in view must not make the run pass: it is judged as in a profile
// namespace, and the finding says what could not be checked.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { runRules } from '../../src/core/engine.js';
import { isK8sObject } from '../../src/core/object.js';
import type { CoverageEntry, Finding, ScannedObject } from '../../src/core/types.js';
import { unreadKindsOf } from '../../src/core/unread-kinds.js';
import { podLabelsOf } from '../../src/k8s/inventory.js';
import { ruleById } from '../../src/rules/index.js';

const RULE = ruleById('pipeline-run-service-account-override')!;

/** A KFP-marked run as the standalone runner: fine outside profiles, wrong inside one. */
const MARKED = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: marked, namespace: team-a, labels: {pipeline/runid: r1}}
spec: {serviceAccountName: pipeline-runner, templates: [{name: main, container: {image: busybox}}]}
`;
/** An Argo run with no KFP mark: KFP's only when its namespace is a profile's. */
const UNMARKED = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: unmarked, namespace: team-a}
spec: {serviceAccountName: notebook-admin, templates: [{name: main, container: {image: busybox}}]}
`;
const PROFILE_NAMESPACE = `apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {app.kubernetes.io/part-of: kubeflow-profile}}
`;
const PLAIN_NAMESPACE = `apiVersion: v1
kind: Namespace
metadata: {name: team-a}
`;

function judge(text: string, unreadKinds?: ReadonlySet<string>): Finding[] {
  const objects: ScannedObject[] = yaml.loadAll(text).filter(isK8sObject).map((object) => ({ object, origin: { kind: 'cluster' as const, context: 'test' } }));
  return runRules(objects, { rules: [RULE], podLabelsOf, ...(unreadKinds ? { unreadKinds } : {}) }).findings;
}
const names = (findings: readonly Finding[]): string[] => findings.map((f) => f.resource.name).sort();
const PROFILES_UNREAD = new Set(['Profile']);

describe('pipeline-run-service-account-override with Profiles that could not be read', () => {
  test('Profiles read (none, or none naming team-a): the standalone runner and an unmarked Argo run pass', () => {
    assert.deepEqual(judge(`${MARKED}---\n${UNMARKED}`), []);
  });

  test('Profiles unread, Namespace not in view: both are judged as in a profile namespace, saying what could not be checked', () => {
    const findings = judge(`${MARKED}---\n${UNMARKED}`, PROFILES_UNREAD);
    assert.deepEqual(names(findings), ['marked', 'unmarked']);
    for (const finding of findings) {
      assert.equal(finding.severity, 'medium');
      assert.match(finding.message, /not the pipeline runner \(default-editor\)/);
      assert.match(finding.message, /Profiles could not be read, so whether namespace team-a is a Kubeflow profile namespace .* could not be checked/);
    }
  });

  test('Profiles unread but the Namespace in view: its labels decide, as when Profiles are read', () => {
    assert.deepEqual(judge(`${MARKED}---\n${UNMARKED}---\n${PLAIN_NAMESPACE}`, PROFILES_UNREAD), []);
    const inProfile = judge(`${MARKED}---\n${UNMARKED}---\n${PROFILE_NAMESPACE}`, PROFILES_UNREAD);
    assert.deepEqual(names(inProfile), ['marked', 'unmarked']);
    for (const finding of inProfile) assert.doesNotMatch(finding.message, /could not be checked/);
  });

  test('the kubeflow namespace is never a profile namespace: nothing unknown there', () => {
    assert.deepEqual(judge(MARKED.replace('namespace: team-a', 'namespace: kubeflow'), PROFILES_UNREAD), []);
  });

  test('the default-editor runner passes even when Profiles are unread', () => {
    assert.deepEqual(judge(MARKED.replace('pipeline-runner', 'default-editor'), PROFILES_UNREAD), []);
  });

  test('coverage reasons that leave Profiles unread: a refused or failed list, --namespace, kubeflow.org not discovered', () => {
    const gap = (reason: string): CoverageEntry[] => [{ ruleId: '*', source: 'cluster', reason }];
    assert.ok(unreadKindsOf(gap('could not list profiles.kubeflow.org (all namespaces): forbidden')).has('Profile'));
    assert.ok(unreadKindsOf(gap('cluster-scoped kinds not listed with --namespace: ClusterRole, Profile')).has('Profile'));
    // `watch -n` words the same gap as not watched (live-snapshot.ts).
    assert.deepEqual([...unreadKindsOf(gap('cluster-scoped kinds not watched with --namespace: Namespace, ClusterRole, ClusterRoleBinding, Profile'))].sort(), ['ClusterRoleBinding', 'Profile']);
    assert.ok(unreadKindsOf(gap('could not discover kubeflow.org/v1: 503 Service Unavailable')).has('Profile'));
    assert.equal(unreadKindsOf(gap('could not discover kubeflow.org/v1: x')).has('RoleBinding'), false);
    assert.deepEqual([...unreadKindsOf(gap('could not discover rbac.authorization.k8s.io/v1: x'))].sort(), ['ClusterRoleBinding', 'RoleBinding']);
    assert.equal(unreadKindsOf(gap('could not list notebooks.kubeflow.org (all namespaces): forbidden')).size, 0);
    // Cluster text: a plural that is an Object.prototype key is no verdict resource.
    assert.equal(unreadKindsOf(gap('could not list constructor (all namespaces): forbidden')).size, 0);
    assert.equal(unreadKindsOf(gap('could not discover constructor/v1: x')).size, 0);
  });
});
