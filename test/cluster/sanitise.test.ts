import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutSecretValues } from '../../src/sources/cluster/sanitise.js';

test('a Secret leaves with keys but no values, and without the last-applied copy of them', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"aHVudGVyMg=="}}', team: 'a' } },
    data: { p: 'aHVudGVyMg==' },
    stringData: { q: 'hunter2' },
  };
  const out = withoutSecretValues(secret);
  assert.deepEqual(out.data, { p: '' });
  assert.deepEqual(out.stringData, { q: '' });
  assert.deepEqual(out.metadata?.annotations, { team: 'a' });
  assert.doesNotMatch(JSON.stringify(out), /hunter2|aHVudGVyMg/);
  assert.equal(secret.data.p, 'aHVudGVyMg==', 'the input is not changed');
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } };
  assert.equal(withoutSecretValues(configMap), configMap);
});
