import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, type KfguardConfig } from '../../src/core/config-types.js';
import { runRules } from '../../src/core/engine.js';
import type { Rule } from '../../src/core/rule.js';
import type { ScannedObject } from '../../src/core/types.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';

/**
 * The engine keeps its kind index per rule list and config, across runs (a webhook judges one
 * object per run). What each run reports must not depend on the runs before it.
 */

/** A Pod rule with the given id and sources, whose every object is a finding. */
function podRule(id: string, sources: Rule['meta']['sources']): Rule {
  return {
    ...cryptoMinerWorkload,
    meta: { ...cryptoMinerWorkload.meta, id, sources, match: [{ apiGroups: [''], kinds: ['Pod'] }] },
    *check() {
      yield { message: `${id} judged it` };
    },
  };
}

const pod: ScannedObject = {
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml' }, spec: { containers: [{ name: 'c', image: 'alpine:3' }] } },
  origin: { kind: 'admission', uid: 'u', operation: 'CREATE', user: 'u', groups: [], dryRun: false },
};
const manifestOnly = podRule('manifest-only', ['manifest']);
const everywhere = podRule('everywhere', ['manifest', 'admission']);
const rules = [manifestOnly, everywhere];

describe('the shared kind index', () => {
  it('gives every run its own coverage entry for a rule the source cannot feed', () => {
    for (let run = 0; run < 3; run++) {
      const result = runRules([pod], { rules });
      assert.deepEqual(result.findings.map((f) => f.ruleId), ['everywhere'], `run ${run}`);
      assert.deepEqual(result.coverage.map((c) => `${c.ruleId} ${c.source}`), ['manifest-only admission'], `run ${run}`);
    }
  });

  it('is kept per config: a rule one config disables still runs under another', () => {
    const disabling: KfguardConfig = { ...DEFAULT_CONFIG, rules: { everywhere: { enabled: false } } };
    assert.deepEqual(runRules([pod], { rules }).findings.map((f) => f.ruleId), ['everywhere']);
    assert.deepEqual(runRules([pod], { rules, config: disabling }).findings, []);
    assert.deepEqual(runRules([pod], { rules }).findings.map((f) => f.ruleId), ['everywhere']);
  });
});
