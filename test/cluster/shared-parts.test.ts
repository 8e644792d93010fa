// `scan --cluster` shares the parts of a listed object equal to the last similar object's
// (src/sources/cluster/shared-parts.ts). Sharing must never change a value: every object reads,
// serialises and is judged exactly as it was parsed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { K8sObject } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { judgeObjects } from '../../src/scan.js';
import { SharedParts } from '../../src/sources/cluster/shared-parts.js';
import { REPO_ROOT, requiresShared, sharedPath } from '../../src/testing/shared.js';
import { objectsOfFiles } from './helpers.js';
import { join } from 'node:path';

const IMAGE = 'registry.example/team/app@sha256:' + 'a'.repeat(64);

function pod(name: string, mount: string): K8sObject {
  // Parsed from text, as a list page is: no part shared to begin with.
  return JSON.parse(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'team-a', labels: { app: 'app', 'pod-template-hash': '7d9f8c6b5' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-7d9f8c6b5', controller: true, uid: 'rs-uid-0001' }] },
      spec: {
        containers: [{ name: 'app', image: IMAGE, resources: { limits: { memory: '256Mi' } }, env: [{ name: 'MODE', value: 'serve' }], volumeMounts: [{ name: mount, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      },
    }),
  ) as K8sObject;
}

const json = (value: unknown): string => JSON.stringify(value);

describe('SharedParts', () => {
  test('a replica shares the parts equal to the one listed before it, and only those', () => {
    const parts = new SharedParts();
    const first = parts.share(pod('app-7d9f8c6b5-aaaaa', 'kube-api-access-aaaaa'));
    const secondParsed = pod('app-7d9f8c6b5-bbbbb', 'kube-api-access-bbbbb');
    const before = json(secondParsed);
    const second = parts.share(secondParsed) as unknown as { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[]; tolerations: unknown } };
    const a = first as unknown as typeof second;
    assert.equal(json(second), before, 'sharing changed the object');
    assert.equal(second.metadata.labels, a.metadata.labels);
    assert.equal(second.metadata.ownerReferences, a.metadata.ownerReferences);
    assert.equal(second.spec.tolerations, a.spec.tolerations);
    // The container differs in its mount's name: its equal fields are shared, the mounts are not.
    assert.notEqual(second.spec.containers[0], a.spec.containers[0]);
    assert.equal(second.spec.containers[0]!.resources, a.spec.containers[0]!.resources);
    assert.equal(second.spec.containers[0]!.env, a.spec.containers[0]!.env);
    assert.notEqual(second.spec.containers[0]!.volumeMounts, a.spec.containers[0]!.volumeMounts);
    assert.equal((second.spec.containers[0]!.volumeMounts as { mountPath: string }[])[0]!.mountPath, '/var/run/secrets/kubernetes.io/serviceaccount');
    assert.notEqual(second.metadata.name, a.metadata.name);
  });

  test('objects of another kind or another first image are not compared', () => {
    const parts = new SharedParts();
    const first = parts.share(pod('a', 'm')) as unknown as { metadata: { labels: unknown } };
    const other = pod('b', 'm') as unknown as { kind: string; metadata: { labels: unknown } };
    other.kind = 'ReplicaSetLike';
    parts.share(other as unknown as K8sObject);
    assert.notEqual(other.metadata.labels, first.metadata.labels);
    const image = pod('c', 'm') as unknown as { spec: { containers: { image: string }[] }; metadata: { labels: unknown } };
    image.spec.containers[0]!.image = 'registry.example/other:1';
    parts.share(image as unknown as K8sObject);
    assert.notEqual(image.metadata.labels, first.metadata.labels);
  });

  test('past its cap, a new kind or image is not remembered (and nothing fails)', () => {
    const parts = new SharedParts(1);
    parts.share(pod('a', 'm'));
    const image = (name: string): K8sObject => {
      const p = pod(name, 'm') as unknown as { spec: { containers: { image: string }[] } };
      p.spec.containers[0]!.image = 'registry.example/other:1';
      return p as unknown as K8sObject;
    };
    parts.share(image('b'));
    const c = parts.share(image('c')) as unknown as { metadata: { labels: unknown } };
    const b2 = image('d') as unknown as { metadata: { labels: unknown } };
    parts.share(b2 as unknown as K8sObject);
    assert.notEqual(b2.metadata.labels, c.metadata.labels, 'a family past the cap was remembered');
    // The first family still shares.
    const again = parts.share(pod('e', 'm')) as unknown as { metadata: { labels: unknown } };
    const again2 = parts.share(pod('f', 'm')) as unknown as { metadata: { labels: unknown } };
    assert.equal(again2.metadata.labels, again.metadata.labels);
  });

  test('an own "__proto__" key is a value like any other', () => {
    const parts = new SharedParts();
    const first = JSON.parse(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"x":"1"}}`) as K8sObject;
    const second = JSON.parse(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"},"data":{"x":"1","__proto__":{}}}`) as K8sObject;
    const third = JSON.parse(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"x":"1"}}`) as K8sObject;
    const texts = [first, second, third].map(json);
    for (const object of [first, second, third]) parts.share(object);
    assert.deepEqual([first, second, third].map(json), texts);
    assert.equal(Object.getPrototypeOf((third as unknown as { data: object }).data), Object.prototype);
  });

  test('deeply nested equal parts are left alone, not compared until the stack runs out', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const text = (name: string): string => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"deep":${nested(200_000)}}}`;
    const parts = new SharedParts();
    const first = JSON.parse(text('a')) as K8sObject;
    const second = JSON.parse(text('b')) as K8sObject;
    parts.share(first);
    assert.doesNotThrow(() => parts.share(second));
    assert.notEqual((second as unknown as { data: { deep: unknown } }).data.deep, (first as unknown as { data: { deep: unknown } }).data.deep);
  });

  test('random replicas: every object keeps its JSON, and the one shared from keeps its own', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant<'delete'>('delete'), fc.jsonValue({ maxDepth: 2 }))), { maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (edits, picks) => {
        const parts = new SharedParts();
        const objects = [pod('p0', 'kube-api-access-00000')];
        for (const [i, pick] of picks.entries()) objects.push(mutated(pod(`p${i + 1}`, `kube-api-access-${i}`), edits.slice(0, pick % (edits.length + 1))));
        const texts = objects.map(json);
        for (const object of objects) parts.share(object);
        assert.deepEqual(objects.map(json), texts);
      }),
      { numRuns: 300 },
    );
  });
});

/** `object` with each edit applied at one of its paths (picked by number): a value set, or a key deleted. */
function mutated(object: K8sObject, edits: readonly (readonly [number, unknown])[]): K8sObject {
  for (const [at, value] of edits) {
    const paths = pathsOf(object);
    const path = paths[at % paths.length]!;
    if (path.length === 0) continue;
    let holder: unknown = object;
    for (const key of path.slice(0, -1)) holder = (holder as Record<string | number, unknown>)[key];
    const key = path.at(-1)!;
    if (value === 'delete' && !Array.isArray(holder)) delete (holder as Record<string, unknown>)[key];
    else (holder as Record<string | number, unknown>)[key] = value === 'delete' ? null : structuredClone(value);
  }
  return object;
}

function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) if (key !== 'kind' && key !== 'apiVersion') pathsOf(item, [...prefix, key], out);
  return out;
}

/** Each verdict as the report compares it. */
function verdicts(objects: readonly K8sObject[]): string[] {
  const result = judgeObjects(
    objects.map((object, i) => ({ object, origin: { kind: 'cluster', context: 'test', resourceVersion: String(i) } })),
    { rules: ALL_RULES },
  );
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.map((f) => `${f.ruleId}|${f.fingerprint}|${f.severity}|${f.path ?? ''}|${f.message}`).sort();
}

/** Replicas of each workload of `files` (a few mutated), judged shared and as parsed. */
function sameVerdicts(files: readonly string[], runs: number): void {
  const workloads = objectsOfFiles(...files).filter((o) => o.kind === 'Pod' || /^(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob)$/.test(o.kind));
  assert.ok(workloads.length > 0);
  fc.assert(
    fc.property(fc.nat({ max: workloads.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant<'delete'>('delete'), fc.jsonValue({ maxDepth: 2 }))), { maxLength: 4 }), fc.array(fc.nat(), { minLength: 2, maxLength: 4 }), (which, edits, picks) => {
        const text = JSON.stringify(workloads[which]);
        const replica = (i: number, pick: number): K8sObject => {
          const object = JSON.parse(text) as K8sObject & { metadata: Record<string, unknown> };
          object.metadata = { ...object.metadata, name: `${String(object.metadata.name ?? 'x')}-${i}` };
          return mutated(object, edits.slice(0, pick % (edits.length + 1)));
        };
        const plain = picks.map((pick, i) => replica(i, pick));
        const shared = plain.map((object) => JSON.parse(JSON.stringify(object)) as K8sObject);
        const parts = new SharedParts();
        for (const object of shared) parts.share(object);
        assert.deepEqual(verdicts(shared), verdicts(plain));
      }),
    { numRuns: runs },
  );
}

describe('SharedParts: verdicts', () => {
  test('the examples: every rule judges shared replicas as it judges parsed ones', () => {
    sameVerdicts([join(REPO_ROOT, 'examples', 'compromised-pipeline', 'miner-pods.yaml'), join(REPO_ROOT, 'examples', 'exposed-kubeflow', 'central-dashboard.yaml'), join(REPO_ROOT, 'examples', 'exposed-kubeflow', 'pipelines.yaml')], 60);
  });

  test('the stock Kubeflow install: the same', requiresShared(), () => {
    sameVerdicts([sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml')], 20);
  });
});
