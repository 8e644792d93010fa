import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgeObjects as runRules } from '../../src/scan.js';
import type { ScannedObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { profileNamespacesOf } from '../../src/rules/guardrails/profile-namespaces.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

const GUARDRAILS = ALL_RULES.filter((r) => r.meta.category === 'guardrails');

async function load(...files: string[]): Promise<ScannedObject[]> {
  const collected = await collectManifests({
    paths: files.map((f) => sharedPath('corpus', 'kubeflow', f)),
    cwd: process.cwd(),
    readStdin: async () => Buffer.alloc(0),
  });
  return [...collected.objects];
}

const profile: ScannedObject = {
  object: { apiVersion: 'kubeflow.org/v1', kind: 'Profile', metadata: { name: 'team-a' }, spec: { owner: { kind: 'User', name: 'a@example.com' } } },
  origin: { kind: 'file' as const, reader: 'file' as const, file: 'test.yaml' },
};

const ids = (objects: readonly ScannedObject[]) =>
  runRules(objects, { rules: GUARDRAILS })
    .findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`)
    .sort();

describe('profile namespace guardrails on the corpus', requiresShared(), () => {
  test('the stock install knows one profile namespace, and its labels come from the profile controller', async () => {
    const objects = await load('kubeflow-example-install.yaml');
    const namespaces = profileNamespacesOf(buildInventory(objects));
    assert.deepEqual(
      namespaces.map((n) => n.name),
      ['kubeflow-user-example-com'],
    );
    assert.equal(namespaces[0]?.labels['pod-security.kubernetes.io/enforce'], 'baseline');
    assert.equal(namespaces[0]?.labels['app.kubernetes.io/part-of'], 'kubeflow-profile');
  });

  test('stock install: quota, LimitRange and egress are missing; Pod Security is set by the profiles-pss defaults', async () => {
    assert.deepEqual(ids(await load('kubeflow-example-install.yaml')), [
      'profile-namespace-missing-egress-deny Profile/kubeflow-user-example-com',
      'profile-namespace-missing-limit-range Profile/kubeflow-user-example-com',
      'profile-namespace-missing-resource-quota Profile/kubeflow-user-example-com',
    ]);
  });

  test('without the profiles-pss ConfigMap the Pod Security finding appears', async () => {
    const objects = (await load('kubeflow-example-install.yaml')).filter(
      (s) => !(s.object.kind === 'ConfigMap' && (s.object.metadata?.name ?? '').startsWith('namespace-labels-data')),
    );
    assert.ok(ids(objects).includes('profile-namespace-missing-pod-security Profile/kubeflow-user-example-com'));
  });

  test('the profiles-pss overlay alone judges no namespace; with a Profile it satisfies Pod Security', async () => {
    const pss = await load('kfm-profiles-pss.yaml');
    assert.deepEqual(ids(pss), []);
    const withProfile = ids([...pss, profile]);
    assert.ok(!withProfile.some((id) => id.startsWith('profile-namespace-missing-pod-security')));
    assert.ok(withProfile.includes('profile-namespace-missing-resource-quota Profile/team-a'));
  });

  test('no kfm or kfp render without a Profile yields guardrail findings', async () => {
    for (const file of ['kfm-kubeflow-namespace.yaml', 'kfm-kfp-plain-multi-user.yaml', 'kfp-platform-agnostic-multi-user.yaml']) {
      assert.deepEqual(ids(await load(file)), [], file);
    }
  });
});
