import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseImageRef, qualifiedName, tagVersion } from '../../src/k8s/image-ref.js';
import { floatingReason } from '../../src/k8s/image-tags.js';

const DIGEST = 'sha256:0d4c5bc5fdc1b4a3b8bb1b4a1b0a8a7e0f6a1d1c3e2b0f9f8e7d6c5b4a392817';

describe('parseImageRef', () => {
  const cases: readonly [string, { registry: string; repository: string; tag?: string; digest?: string }][] = [
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['tensorflow/tensorflow:latest-gpu', { registry: 'docker.io', repository: 'tensorflow/tensorflow', tag: 'latest-gpu' }],
    ['registry.example.com:5000/ml/fetcher', { registry: 'registry.example.com:5000', repository: 'ml/fetcher' }],
    ['localhost:5000/app:1.2', { registry: 'localhost:5000', repository: 'app', tag: '1.2' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [`ghcr.io/kubeflow/trainer/torchtune-trainer:v2.2.0@${DIGEST}`, { registry: 'ghcr.io', repository: 'kubeflow/trainer/torchtune-trainer', tag: 'v2.2.0', digest: DIGEST }],
    [`python@${DIGEST}`, { registry: 'docker.io', repository: 'library/python', digest: DIGEST }],
    ['GHCR.IO/Org/img:1', { registry: 'ghcr.io', repository: 'Org/img', tag: '1' }],
  ];
  for (const [raw, want] of cases) {
    test(raw, () => {
      const ref = parseImageRef(raw);
      assert.ok(ref, `${raw} did not parse`);
      assert.equal(ref.registry, want.registry);
      assert.equal(ref.repository, want.repository);
      assert.equal(ref.tag, want.tag);
      assert.equal(ref.digest, want.digest);
    });
  }

  test('templated and empty references are not guessed at', () => {
    for (const raw of ['', '{{inputs.parameters.image}}', '$(IMAGE)', 'nginx:', 'a b']) assert.equal(parseImageRef(raw), undefined, raw);
  });

  test('qualifiedName spells the registry out, for allow-list matching', () => {
    assert.equal(qualifiedName(parseImageRef('busybox:1.36')!), 'docker.io/library/busybox');
    assert.equal(qualifiedName(parseImageRef('quay.io/argoproj/argocli:v3.5.0')!), 'quay.io/argoproj/argocli');
  });

  test('tagVersion reads major.minor from version-like tags only', () => {
    assert.deepEqual(tagVersion('v2.12.13'), { major: 2, minor: 12 });
    assert.deepEqual(tagVersion('3.7.3-debian'), { major: 3, minor: 7 });
    assert.equal(tagVersion('latest'), undefined);
    assert.equal(tagVersion(undefined), undefined);
  });
});

describe('floatingReason', () => {
  const floating = ['nginx', 'tensorflow/tensorflow:latest', 'tensorflow/tensorflow:latest-gpu', 'x/y:py3-latest', 'pytorch/pytorch:nightly', 'amazon/aws-cli:stable', 'x/y:gpu'];
  const pinned = ['tensorflow/tensorflow:2.15.0-gpu', 'nvcr.io/nvidia/jax:25.10-py3', `python:latest@${DIGEST}`, `python@${DIGEST}`, 'x/y:nightly-20240101'];
  for (const raw of floating) test(`${raw} floats`, () => assert.ok(floatingReason(parseImageRef(raw)!)));
  for (const raw of pinned) test(`${raw} is pinned`, () => assert.equal(floatingReason(parseImageRef(raw)!), undefined));
});
