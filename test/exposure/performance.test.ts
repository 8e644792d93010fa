// run-tests: alone
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { load, scan, setServiceType, withChanged } from './helpers.js';

describe('exposure rule time on the full install', requiresShared(), () => {
  it('stays well under a second even with the gateway exposed', async () => {
    const stock = await load(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'));
    const exposed = withChanged(stock, 'Service', 'istio-system', 'istio-ingressgateway', setServiceType('LoadBalancer'));
    scan(exposed); // warm-up: module loading and JIT are not rule time
    const start = performance.now();
    const findings = scan(exposed);
    const elapsed = performance.now() - start;
    assert.ok(findings.length > 0);
    assert.ok(elapsed < 500, `exposure rules took ${elapsed.toFixed(0)} ms on ${stock.length} objects`);
  });
});
