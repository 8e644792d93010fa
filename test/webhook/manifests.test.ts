import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { REPO_ROOT, requiresShared } from '../../src/testing/shared.js';
import { ADMITTED_KINDS, SERVED_KINDS, snapshotKinds } from '../../src/webhook/kinds.js';
import { renderManifests, webhookManifests } from '../../src/webhook/manifests.js';
import { hasSchema, schemaErrors } from '../fix/k8s-schemas.js';

const BASE = join(REPO_ROOT, 'deploy', 'webhook');
const parse = (text: string): K8sObject[] => parseAllDocuments(text).map((d) => d.toJS() as K8sObject).filter((o) => o !== null);
const byKind = (objects: readonly K8sObject[], kind: string): K8sObject => objects.find((o) => o.kind === kind) as K8sObject;
const kubectlAvailable = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

describe('webhook manifests', () => {
  test('deploy/webhook holds exactly what `kfguard webhook manifests --cert-manager` prints', () => {
    assert.equal(readFileSync(join(BASE, 'webhook.yaml'), 'utf8'), renderManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }));
  });

  test('kubectl kustomize renders the base', { skip: kubectlAvailable ? false : 'kubectl is not installed' }, () => {
    const rendered = parse(execFileSync('kubectl', ['kustomize', BASE], { encoding: 'utf8' }));
    assert.deepEqual(rendered.map((o) => o.kind).sort(), webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }).map((o) => String(o.kind)).sort());
  });

  test('every built-in object validates against the Kubernetes OpenAPI schemas', requiresShared(), () => {
    for (const tls of ['cert-manager', 'self-signed'] as const) {
      const objects = webhookManifests({ namespace: 'kfguard', tls, failurePolicy: 'ignore', caBundle: Buffer.from('ca').toString('base64') }) as K8sObject[];
      const checked = objects.filter((o) => hasSchema(o));
      // cert-manager's Issuer and Certificate are CRDs without a schema here; everything else must be checked.
      assert.deepEqual(objects.filter((o) => !hasSchema(o)).map((o) => o.kind).sort(), tls === 'cert-manager' ? ['Certificate', 'Issuer'] : []);
      for (const object of checked) assert.deepEqual(schemaErrors(object), [], `${object.kind} ${object.metadata?.name}`);
    }
  });

  test('the Deployment is highly available and locked down', () => {
    const deployment = byKind(webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }) as K8sObject[], 'Deployment') as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field
    assert.equal(deployment.spec.replicas, 2);
    const pod = deployment.spec.template.spec;
    assert.ok(pod.affinity.podAntiAffinity);
    const container = pod.containers[0];
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
  });

  test('the server snapshots the live cluster by default; --snapshot-configmap mounts manifests instead', () => {
    const args = (snapshot?: 'live' | 'configmap') => {
      const objects = webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail', ...(snapshot ? { snapshot } : {}) }) as K8sObject[];
      const deployment = byKind(objects, 'Deployment') as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field
      const pod = deployment.spec.template.spec;
      return { args: pod.containers[0].args as string[], volumes: (pod.volumes as { name: string }[]).map((v) => v.name), configMaps: objects.filter((o) => o.kind === 'ConfigMap').length };
    };
    const live = args();
    assert.ok(!live.args.includes('--snapshot-from'));
    assert.deepEqual(live.volumes, ['tls']);
    assert.equal(live.configMaps, 0);
    const files = args('configmap');
    assert.equal(files.args[files.args.indexOf('--snapshot-from') + 1], '/snapshot');
    assert.deepEqual(files.volumes, ['tls', 'snapshot']);
    assert.equal(files.configMaps, 1);
  });

  test('the webhook configuration: no side effects, 5 s, control plane and kfguard excluded, every admitted kind', () => {
    const objects = webhookManifests({ namespace: 'guard', tls: 'self-signed', failurePolicy: 'ignore', caBundle: 'Q0E=' }) as K8sObject[];
    const hook = (byKind(objects, 'ValidatingWebhookConfiguration') as any).webhooks[0]; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field
    assert.equal(hook.sideEffects, 'None');
    assert.equal(hook.timeoutSeconds, 5);
    assert.equal(hook.failurePolicy, 'Ignore');
    assert.equal(hook.clientConfig.caBundle, 'Q0E=');
    assert.deepEqual(hook.namespaceSelector.matchExpressions[0].values, ['kube-system', 'guard']);
    const admitted = new Set(hook.rules.flatMap((r: { apiGroups: string[]; resources: string[] }) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)));
    for (const kind of ADMITTED_KINDS) assert.ok(admitted.has(`${SERVED_KINDS[kind]!.group}/${SERVED_KINDS[kind]!.resource}`), kind);
  });

  test('the ClusterRole grants get/list/watch on exactly the kinds the admission rules read and judge', () => {
    const role = byKind(webhookManifests({ namespace: 'kfguard', tls: 'cert-manager', failurePolicy: 'fail' }) as K8sObject[], 'ClusterRole') as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    const granted = role.rules.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)).sort();
    const expected = [...new Set(snapshotKinds(ALL_RULES).map((k) => `${SERVED_KINDS[k]!.group}/${SERVED_KINDS[k]!.resource}`))].sort();
    assert.deepEqual(granted, expected);
    for (const rule of role.rules) assert.deepEqual(rule.verbs, ['get', 'list', 'watch']);
    // Every kind a rule names in needs.reads is granted, unless no API server serves it.
    for (const rule of ALL_RULES.filter((r) => r.meta.sources.includes('admission'))) {
      const reads = rule.meta.needs.reads;
      if (reads !== '*') for (const kind of reads) assert.ok(SERVED_KINDS[kind] !== undefined, `${rule.meta.id} reads ${kind}, which has no RBAC mapping`);
    }
  });

  test('kfguard scan of deploy/webhook is clean at medium and above', { skip: kubectlAvailable ? false : 'kubectl is not installed' }, () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'scan', BASE, '--fail-on', 'medium', '--no-color'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
