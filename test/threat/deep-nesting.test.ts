import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import podPrivileged from '../../src/rules/workload-security/pod-privileged.rule.js';
import { MAX_SEARCH_DEPTH } from '../../src/core/budget.js';
import type { K8sObject } from '../../src/core/types.js';
import { runCase } from '../../src/testing/rule-tester.js';

const MINER = 'xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

/** An unknown custom resource whose pod spec sits `levels` records below `spec`. */
function nested(levels: number): K8sObject {
  let node: Record<string, unknown> = {
    containers: [{ name: 'm', image: 'busybox', securityContext: { privileged: true }, command: ['sh', '-c', MINER] }],
  };
  for (let i = 0; i < levels; i++) node = { [`level${i}`]: node };
  return { apiVersion: 'runners.example.com/v1', kind: 'Runner', metadata: { name: `deep-${levels}`, namespace: 'default' }, spec: node };
}

describe('containers nested deep in an unknown custom resource', () => {
  // The container search used to stop at 24 levels and the text search at 16: a miner nested 30
  // levels down fell from critical to a medium "not examined", under the webhook's deny line.
  for (const levels of [30, 200, MAX_SEARCH_DEPTH - 10]) {
    it(`${levels} levels down: the miner is critical and the privileged container is found`, () => {
      const miner = runCase(cryptoMinerWorkload, { name: 'deep', objects: [nested(levels)] });
      assert.deepEqual(miner.map((f) => f.severity), ['critical'], miner.map((f) => f.message).join('; '));
      const privileged = runCase(podPrivileged, { name: 'deep', objects: [nested(levels)] });
      assert.equal(privileged.length, 1);
    });
  }

  it('deeper than any file reader accepts (an object that arrived parsed): reported as not examined, never silent', () => {
    const findings = runCase(cryptoMinerWorkload, { name: 'too deep', objects: [nested(MAX_SEARCH_DEPTH + 20)] });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /not examined/);
  });
});
