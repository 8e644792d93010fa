import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { toJsonPatch } from '../../src/fix/json-patch.js';

const DEPLOYMENT: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nb' },
  spec: { template: { spec: { containers: [{ name: 'nb', image: 'x', args: ['a', "--ServerApp.token=''", 'b', '--x/y'] }] } } },
};

describe('edits as JSON 6902 operations', () => {
  test('missing parents are added whole, existing values replaced, deletes run from the back', () => {
    const container = ['spec', 'template', 'spec', 'containers', 0] as const;
    const operations = toJsonPatch(DEPLOYMENT, [
      { op: 'delete', path: [...container, 'args', 1] },
      { op: 'append', path: [...container, 'env'], value: { name: 'JUPYTER_TOKEN' } },
      { op: 'set', path: [...container, 'image'], value: 'y' },
      { op: 'delete', path: [...container, 'args', 3] },
      { op: 'set', path: ['spec', 'template', 'metadata', 'labels', 'a/b'], value: 'c' },
    ]);
    assert.deepEqual(operations, [
      { op: 'add', path: '/spec/template/spec/containers/0/env', value: [{ name: 'JUPYTER_TOKEN' }] },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'y' },
      { op: 'add', path: '/spec/template/metadata', value: { labels: { 'a/b': 'c' } } },
      { op: 'remove', path: '/spec/template/spec/containers/0/args/3' },
      { op: 'remove', path: '/spec/template/spec/containers/0/args/1' },
    ]);
  });

  test('appending to an existing list uses "-" and the input object is not changed', () => {
    const before = structuredClone(DEPLOYMENT);
    const operations = toJsonPatch(DEPLOYMENT, [{ op: 'append', path: ['spec', 'template', 'spec', 'containers', 0, 'args'], value: '--c' }]);
    assert.deepEqual(operations, [{ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--c' }]);
    assert.deepEqual(DEPLOYMENT, before);
  });
});
