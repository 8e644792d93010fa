import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBudget, DEFAULT_LIMITS } from '../../src/core/budget.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { RuleContext } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { CUT_SHORT } from '../../src/threat/scan-queue.js';

// An adversarial review: printf("%c") decoding stopped after 256 KiB of output without a word, so
// padding built by earlier printf calls hid the characters that spell the miner after it.
const codes = (text: string): string => [...text].map((c) => c.charCodeAt(0)).join(', ');
const MINER = 'xmrig -o stratum+tcp://pool.supportxmr.com:3333';

function awkPod(program: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'awk', namespace: 'ml' }, spec: { containers: [{ name: 'c', image: 'alpine:3.20', command: ['awk', program] }] } };
}

function judge(object: K8sObject): { severities: string[]; exhausted: readonly string[] } {
  const budget = createBudget(DEFAULT_LIMITS);
  const ctx = { source: 'manifest', budget, inventory: buildInventory([]), config: DEFAULT_CONFIG } as unknown as RuleContext;
  const violations = [...(cryptoMinerWorkload.check?.(object, ctx) ?? [])];
  return { severities: violations.map((v) => v.severity ?? 'default'), exhausted: budget.exhausted };
}

describe('one-liner decoding past its output cap', () => {
  it('a printf("%c") miner with nothing before it is found', () => {
    const found = judge(awkPod(`BEGIN { printf "${'%c'.repeat(MINER.length)}", ${codes(MINER)} }`));
    assert.ok(found.severities.length > 0, 'the miner is found');
    assert.deepEqual(found.exhausted, []);
  });

  it('padding that fills the cap first is reported as a cut, never passed over in silence', () => {
    const padding = Array.from({ length: 70 }, () => `printf "${'A'.repeat(4000)}%c", 65;`).join(' ');
    const found = judge(awkPod(`BEGIN { ${padding} printf "${'%c'.repeat(MINER.length)}", ${codes(MINER)} }`));
    assert.ok(found.exhausted.includes(CUT_SHORT.oneLiner), found.exhausted.join('\n'));
    assert.ok(found.severities.length > 0, 'the cut is itself a finding');
  });
});

describe('a Ray job runtimeEnvYAML too large to parse', () => {
  it('is searched as text and the skipped parse is a cut', () => {
    const runtimeEnvYAML = `pip:\n  - https://downloads.example/pkg.whl\nenv_vars:\n  PAD: "${'x'.repeat(300 * 1024)}"\n`;
    const job = { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'job', namespace: 'ml' }, spec: { entrypoint: 'python main.py', runtimeEnvYAML } } as K8sObject;
    const found = judge(job);
    assert.ok(found.exhausted.includes(CUT_SHORT.runtimeEnv), found.exhausted.join('\n'));
  });
});
