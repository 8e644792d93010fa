// The file source drops `metadata.managedFields` and built-in workloads' `status` as it parses
// (src/core/bookkeeping.ts). That is safe only while nothing downstream reads them: these tests
// put a miner, a privileged container and a host socket there on every rule fixture and check that
// no finding changes, and that the same content is found where rules do read.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withoutServerBookkeeping } from '../../src/core/bookkeeping.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { judgeObjects } from '../../src/scan.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { loadFixtures } from '../../src/testing/rule-tester.js';

/** What rules would find if they read the subtree: a miner, a privileged container, host namespaces, the runtime socket, an added capability. */
const POISON_SPEC = {
  hostNetwork: true,
  hostPID: true,
  containers: [
    {
      name: 'hidden',
      image: 'xmrig/xmrig:latest',
      command: ['xmrig', '-o', 'stratum+tcp://pool.supportxmr.com:3333', '--donate-level', '1'],
      securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
      volumeMounts: [{ name: 'sock', mountPath: '/var/run/docker.sock' }],
    },
  ],
  volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
};
const POISON_STATUS = { spec: POISON_SPEC, template: { spec: POISON_SPEC }, containerStatuses: POISON_SPEC.containers, phase: 'Running' };
const POISON_MANAGED = [{ manager: 'xmrig', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { spec: POISON_SPEC, 'f:spec': POISON_SPEC } }];

const BUILT_IN_WORKLOADS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);
const isBuiltIn = (o: K8sObject): boolean => BUILT_IN_WORKLOADS.has(o.kind) && /^(v1|apps\/v1|batch\/v1)/.test(o.apiVersion);

function poisoned(object: K8sObject): K8sObject {
  return {
    ...object,
    metadata: { ...(object.metadata ?? {}), managedFields: POISON_MANAGED },
    ...(isBuiltIn(object) ? { status: POISON_STATUS } : {}),
  } as K8sObject;
}

const scanned = (objects: readonly K8sObject[]): ScannedObject[] => objects.map((object) => ({ object, origin: { kind: 'file', reader: 'file', file: 'case.yaml' } }));
const view = (f: Finding): string => JSON.stringify([f.ruleId, f.fingerprint, f.severity, f.resource, f.path, f.message, f.evidence]);

function judged(objects: readonly K8sObject[], config: object | undefined): string[] {
  const result = judgeObjects(scanned(objects), { rules: ALL_RULES, config: { ...DEFAULT_CONFIG, ...(config ?? {}) } });
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.map(view).sort();
}

describe('withoutServerBookkeeping', () => {
  it('drops managedFields of any kind and the status of built-in workloads, copying only then', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', managedFields: POISON_MANAGED, labels: { a: 'b' } }, spec: { containers: [] }, status: POISON_STATUS };
    const kept = withoutServerBookkeeping(pod) as K8sObject;
    assert.deepEqual(kept, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [] } });
    assert.equal(pod.status, POISON_STATUS, 'the parsed value is not changed');
    assert.equal(pod.metadata.managedFields, POISON_MANAGED);
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {}, status: { replicas: 1 } };
    assert.deepEqual(withoutServerBookkeeping(deployment), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} });
    const plain = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: 'y' } };
    assert.equal(withoutServerBookkeeping(plain), plain);
  });

  it('keeps the status of custom resources (Argo keeps the workflow it runs there) and of look-alike groups', () => {
    const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' }, status: { storedWorkflowTemplateSpec: { templates: [] } } };
    assert.equal(withoutServerBookkeeping(workflow), workflow);
    const lookalike = { apiVersion: 'example.com/v1', kind: 'Pod', metadata: { name: 'p' }, status: { x: 1 } };
    assert.equal(withoutServerBookkeeping(lookalike), lookalike);
    const managedCr = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', managedFields: [] }, status: { x: 1 } };
    assert.deepEqual(withoutServerBookkeeping(managedCr), { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, status: { x: 1 } });
  });

  it('applies to the items of a List, and leaves what is not an object alone', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: {} }, 'text'] };
    assert.deepEqual(withoutServerBookkeeping(list), { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, 'text'] });
    for (const value of [null, 'x', 3, [1]]) assert.equal(withoutServerBookkeeping(value), value);
  });
});

describe('no rule reads managedFields or a built-in workload status', () => {
  it('the poison is found where rules do read: as a Pod spec', () => {
    const findings = judged([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bait', namespace: 'team-a' }, spec: POISON_SPEC } as K8sObject], undefined);
    const rules = new Set(findings.map((f) => JSON.parse(f)[0] as string));
    for (const id of ['crypto-miner-workload', 'pod-privileged', 'pod-host-namespaces', 'container-runtime-socket', 'container-added-capabilities']) assert.ok(rules.has(id), `${id} missing: ${[...rules].join(', ')}`);
  });

  it('every rule fixture case gives the same findings with the poison in managedFields and status', () => {
    let cases = 0;
    let poisonedObjects = 0;
    for (const rule of ALL_RULES) {
      const fixtures = loadFixtures(rule.meta.id);
      for (const fixture of [...fixtures.pass, ...fixtures.fail]) {
        const objects = [...fixture.objects, ...(fixture.snapshot ?? [])];
        const clean = judged(objects, fixture.config);
        const withPoison = judged(objects.map(poisoned), fixture.config);
        assert.deepEqual(withPoison, clean, `${rule.meta.id}: ${fixture.name}`);
        cases++;
        poisonedObjects += objects.filter(isBuiltIn).length;
      }
    }
    // Guards against a loader that finds nothing: then the comparison above passes vacuously.
    assert.ok(cases > 400, `only ${cases} fixture cases`);
    assert.ok(poisonedObjects > 200, `only ${poisonedObjects} built-in workloads carried a status`);
  });
});

describe('the manifest source drops them as it reads, and lines still point into the text', () => {
  it('a Pod and a List item lose managedFields and status; a finding keeps its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-bookkeeping-'));
    try {
      const file = join(dir, 'pods.yaml');
      const pod = (name: string, indent: string): string =>
        [
          'apiVersion: v1',
          'kind: Pod',
          'metadata:',
          '  managedFields:',
          '  - manager: kubelet',
          '    fieldsV1:',
          '      f:status: {}',
          `  name: ${name}`,
          '  namespace: team-a',
          'spec:',
          '  containers:',
          '  - image: python:3.12',
          '    name: main',
          '    securityContext:',
          '      privileged: true',
          'status:',
          '  phase: Running',
        ]
          .map((line, i) => (i === 0 ? line : indent + line))
          .join('\n');
      writeFileSync(file, `${pod('alone', '')}\n---\napiVersion: v1\nkind: List\nitems:\n- ${pod('item', '  ')}\n`);
      const collected = await collectManifests({ paths: [file], cwd: dir, readStdin: () => Promise.resolve(Buffer.alloc(0)) });
      assert.deepEqual(collected.errors, []);
      assert.deepEqual(collected.objects.map((o) => o.object.metadata?.name), ['alone', 'item']);
      for (const { object } of collected.objects) {
        assert.equal('status' in object, false);
        assert.equal('managedFields' in (object.metadata ?? {}), false);
      }
      const result = judgeObjects(collected.objects, { rules: ALL_RULES.filter((r) => r.meta.id === 'pod-privileged') });
      const text = readFileSync(file, 'utf8').split('\n');
      const privilegedLines = text.flatMap((line, i) => (line.includes('privileged: true') ? [i + 1] : []));
      assert.deepEqual(result.findings.map((f) => f.location?.line), privilegedLines);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
