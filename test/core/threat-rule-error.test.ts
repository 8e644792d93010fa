import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRules } from '../../src/core/engine.js';
import type { Rule } from '../../src/core/rule.js';
import type { ScannedObject } from '../../src/core/types.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { ALL_RULES } from '../../src/rules/index.js';

/** The real rule's metadata with a check that fails the way a rule fails on hostile input. */
function failing(rule: Rule): Rule {
  return {
    ...rule,
    // eslint-disable-next-line require-yield
    *check() {
      throw new RangeError('Invalid string length');
    },
  };
}

const pod: ScannedObject = {
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml' }, spec: { containers: [{ name: 'c', image: 'alpine:3' }] } },
  origin: { kind: 'cluster', context: 'test' },
};

describe('a rule error', () => {
  it('on a threat rule becomes a medium finding with the reason, besides the rule error', () => {
    const result = runRules([pod], { rules: [failing(cryptoMinerWorkload)] });
    assert.deepEqual(result.ruleErrors.map((e) => e.message), ['Invalid string length']);
    assert.equal(result.findings.length, 1);
    const [finding] = result.findings;
    assert.equal(finding?.ruleId, 'crypto-miner-workload');
    assert.equal(finding?.severity, 'medium');
    assert.match(finding?.message ?? '', /could not be checked for threats.*Invalid string length/);
    assert.deepEqual(finding?.evidence, ['rule error: Invalid string length']);
  });

  it('on any other rule stays a rule error only', () => {
    const other = ALL_RULES.find(
      (rule) => rule.meta.category !== 'threat' && rule.check && rule.meta.sources.includes('cluster') && rule.meta.match.some((m) => m.apiGroups === '*' && (m.kinds === '*' || m.kinds.includes('Pod'))),
    );
    assert.ok(other, 'a non-threat object rule exists');
    const result = runRules([pod], { rules: [failing(other)] });
    assert.equal(result.ruleErrors.length, 1);
    assert.deepEqual(result.findings, []);
  });
});
