import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import {
  configMapValue,
  containerConfigReferences,
  containerEnv,
  containerEnvMap,
  resolveEnvInNamespace,
  storedValuesOf,
  volumeConfigReferences,
} from '../../src/k8s/env-resolution.js';
import { buildInventory } from '../../src/k8s/inventory.js';

const configMap = (name: string, data: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data });
const secret = (name: string, data: Record<string, string>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'ns' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
const inventoryOf = (...objects: K8sObject[]) => buildInventory(objects.map((object, i) => ({ object, origin: { kind: 'file' as const, reader: 'file' as const, file: 'test.yaml', documentIndex: i } })));

const CONTAINER = {
  name: 'app',
  image: 'busybox',
  envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'APP_' }, { secretRef: { name: 'creds' } }],
  env: [
    { name: 'APP_MODE', value: 'inline-wins' },
    { name: 'POOL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'POOL' } } },
    { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } },
    { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x' } } },
  ],
};
const INVENTORY = inventoryOf(configMap('settings', { MODE: 'from-configmap', POOL: 'pool.example' }), secret('creds', { TOKEN: 's3cr3t' }));

describe('env resolution', () => {
  it('applies envFrom first and env after, so env wins, with envFrom prefixes', () => {
    const env = containerEnvMap(CONTAINER, 'ns', INVENTORY, { secrets: true });
    assert.equal(env.get('APP_MODE')?.value, 'inline-wins');
    assert.deepEqual(env.get('APP_POOL')?.source, { kind: 'ConfigMap', name: 'settings', key: 'POOL' });
    assert.equal(env.get('POOL')?.value, 'pool.example');
    assert.equal(env.get('TOKEN')?.value, 's3cr3t', 'Secret data is base64-decoded');
    assert.equal(env.has('MISSING'), false, 'an unresolvable reference binds nothing');
  });

  it('leaves Secret values out unless asked', () => {
    const names = containerEnv(CONTAINER, 'ns', INVENTORY, { secrets: false }).map((b) => b.name);
    assert.ok(!names.includes('TOKEN'));
    assert.ok(names.includes('POOL'));
  });

  it('looks references up in the container namespace only', () => {
    assert.equal(containerEnvMap(CONTAINER, 'other', INVENTORY, { secrets: true }).has('POOL'), false);
  });

  it('lists the ConfigMaps and Secrets a container and its volumes refer to, projected ones included', () => {
    assert.deepEqual(containerConfigReferences(CONTAINER, 'spec.containers[0]').map((r) => `${r.kind} ${r.name} ${r.path}`), [
      'ConfigMap settings spec.containers[0].envFrom[0].configMapRef.name',
      'Secret creds spec.containers[0].envFrom[1].secretRef.name',
      'ConfigMap settings spec.containers[0].env[1].valueFrom.configMapKeyRef.name',
      'Secret creds spec.containers[0].env[2].valueFrom.secretKeyRef.name',
      'ConfigMap absent spec.containers[0].env[3].valueFrom.configMapKeyRef.name',
    ]);
    const volumes = [
      { name: 'cfg', configMap: { name: 'settings' } },
      { name: 'all', projected: { sources: [{ secret: { name: 'creds' } }, { configMap: { name: 'more' } }] } },
      { name: 'tls', secret: { secretName: 'tls' } },
    ];
    assert.deepEqual(volumeConfigReferences(volumes, 'spec.volumes').map((r) => `${r.kind} ${r.name} ${r.volume?.name} ${r.path}`), [
      'ConfigMap settings cfg spec.volumes[0].configMap.name',
      'Secret creds all spec.volumes[1].projected.sources[0].secret.name',
      'ConfigMap more all spec.volumes[1].projected.sources[1].configMap.name',
      'Secret tls tls spec.volumes[2].secret.secretName',
    ]);
  });

  it('decodes Secret data through the given decoder, which may refuse binary data', () => {
    const binary: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' }, data: { bin: Buffer.from([0, 1, 2]).toString('base64'), txt: Buffer.from('hi').toString('base64') }, stringData: { plain: 'p' } };
    const textOnly = (bytes: Buffer) => (bytes.includes(0) ? undefined : bytes.toString('utf8'));
    assert.deepEqual(storedValuesOf(binary, textOnly).map((v) => [v.key, v.value]), [['txt', 'hi'], ['plain', 'p']]);
    const cm: K8sObject = { ...configMap('c', { a: 'x' }), stringData: { b: 'not a ConfigMap field' } };
    assert.deepEqual(storedValuesOf(cm).map((v) => v.key), ['a']);
  });

  it('reads one ConfigMap key, and resolves a variable across the workloads of a namespace with its origin', () => {
    assert.equal(configMapValue(INVENTORY, 'ns', 'settings', 'POOL'), 'pool.example');
    assert.equal(configMapValue(INVENTORY, 'ns', 'settings', 'nope'), undefined);
    const deployment: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' }, spec: { template: { spec: { containers: [CONTAINER] } } } };
    const inventory = inventoryOf(deployment, configMap('settings', { MODE: 'm', POOL: 'p' }), secret('creds', { TOKEN: 't' }));
    assert.deepEqual(resolveEnvInNamespace(inventory, 'ns', 'TOKEN').map((r) => r.origin), ['Secret ns/creds key TOKEN']);
    assert.deepEqual(resolveEnvInNamespace(inventory, 'ns', 'APP_MODE').map((r) => r.origin), ['ConfigMap ns/settings key MODE', 'env APP_MODE of container "app"']);
  });
});
