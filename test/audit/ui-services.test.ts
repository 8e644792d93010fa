import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uiBehindService } from '../../src/audit/ui-services.js';

const service = (name: string, port: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ml' }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port }] } });

describe('what an audited Service fronts', () => {
  test('a Service on a Ray port with no other mark is a Ray head by its port alone, and says so', () => {
    assert.equal(uiBehindService(service('foo', 8265)), 'Ray head (dashboard, Jobs API, client), by its port alone (8265)');
    assert.equal(uiBehindService(service('foo', 10001)), 'Ray head (dashboard, Jobs API, client), by its port alone (10001)');
  });
  test('another port names nothing', () => {
    assert.equal(uiBehindService(service('foo', 8080)), undefined);
  });
});
