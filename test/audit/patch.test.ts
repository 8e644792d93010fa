import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPatch } from '../../src/audit/patch.js';

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', labels: { app: 'gw' } }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } };

describe('patches from audit events', () => {
  test('strategic merge: maps merge, null deletes, named lists merge by name, $patch directives', () => {
    const result = applyPatch(service, { metadata: { labels: { app: null, tier: 'edge' } }, spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 8080 }, { name: 'https', $patch: 'delete' }, { name: 'admin', port: 9000 }] } });
    assert.deepEqual(result, {
      result: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', labels: { tier: 'edge' } }, spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }] } },
    });
    assert.deepEqual(applyPatch(service, { spec: { $patch: 'replace', type: 'NodePort' } }), { result: { ...service, spec: { type: 'NodePort' } } });
  });

  test('JSON patch: every op; a failing test or a missing path fails the whole patch', () => {
    const ops = [
      { op: 'replace', path: '/spec/type', value: 'NodePort' },
      { op: 'add', path: '/spec/ports/-', value: { name: 'x', port: 1 } },
      { op: 'remove', path: '/spec/ports/0' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/labels/copied' },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/moved' },
      { op: 'test', path: '/spec/type', value: 'NodePort' },
      { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': '1' } },
    ];
    const result = applyPatch(service, ops);
    assert.ok('result' in result);
    assert.deepEqual(result.result, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'gw', labels: { copied: 'gw', moved: 'gw' }, annotations: { 'a~b/c': '1' } },
      spec: { type: 'NodePort', ports: [{ name: 'https', port: 443 }, { name: 'x', port: 1 }] },
    });
    assert.equal(service.spec.type, 'ClusterIP', 'the base is not changed');
    assert.ok('error' in applyPatch(service, [{ op: 'test', path: '/spec/type', value: 'LoadBalancer' }]));
    assert.ok('error' in applyPatch(service, [{ op: 'replace', path: '/spec/missing/type', value: 'x' }]));
  });

  test('lenient mode (a body judged alone) makes the parents a patch needs', () => {
    const result = applyPatch({ kind: 'Service', metadata: { name: 'ui' } }, [{ op: 'replace', path: '/spec/type', value: 'LoadBalancer' }, { op: 'test', path: '/x', value: 1 }], { lenient: true });
    assert.deepEqual(result, { result: { kind: 'Service', metadata: { name: 'ui' }, spec: { type: 'LoadBalancer' } } });
  });

  test('lenient mode makes lists for numeric and "-" keys (RFC 6902), not maps keyed "0"', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tf' } };
    const result = applyPatch(deployment, [
      { op: 'add', path: '/spec/template/spec/containers/0/args', value: ['-o', 'pool:3333'] },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'tensorflow/tensorflow:latest' },
      { op: 'add', path: '/spec/template/spec/containers/3/command', value: ['/opt/x'] },
    ], { lenient: true });
    assert.ok('result' in result);
    const containers = (result.result as { spec: { template: { spec: { containers: unknown } } } }).spec.template.spec.containers;
    assert.ok(Array.isArray(containers));
    assert.deepEqual(containers, [{ args: ['-o', 'pool:3333'], image: 'tensorflow/tensorflow:latest' }, { command: ['/opt/x'] }]);
    const binding = applyPatch({ kind: 'ClusterRoleBinding', metadata: { name: 'b' } }, [{ op: 'add', path: '/subjects/-', value: { kind: 'User', name: 'system:anonymous' } }], { lenient: true });
    assert.deepEqual(binding, { result: { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, subjects: [{ kind: 'User', name: 'system:anonymous' }] } });
  });

  test('__proto__ in a patch never changes a prototype', () => {
    const merge = JSON.parse('{"__proto__": {"polluted": true}, "spec": {"__proto__": {"type": "LoadBalancer"}}}') as unknown;
    const merged = applyPatch(service, merge);
    assert.ok('result' in merged);
    const spec = (merged.result as { spec: object }).spec;
    assert.equal(Object.getPrototypeOf(spec), Object.prototype);
    assert.equal((spec as { type?: string }).type, 'ClusterIP');
    assert.ok('error' in applyPatch(service, [{ op: 'add', path: '/spec/__proto__', value: { type: 'LoadBalancer' } }]));
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });
});
