// Judging ahead: rules judged on each object as it arrives, before the others are in, replayed by
// runRules in their places. The result must be the one runRules gives without it: same findings
// in the same order, same errors, same coverage; rules that read other objects wait for them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { runRules, type EngineResult } from '../../src/core/engine.js';
import { JudgeAhead } from '../../src/core/judge-ahead.js';
import { defineRule, type Rule } from '../../src/core/rule.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfFiles } from '../cluster/helpers.js';

const origin = { kind: 'cluster', context: 'ahead' } as const;
const EXAMPLES = ['exposed-kubeflow/istio-gateway.yaml', 'exposed-kubeflow/central-dashboard.yaml', 'compromised-pipeline/miner-pods.yaml'].map((f) => join(REPO_ROOT, 'examples', f));

/** Everything a report takes from the engine, in order. */
const everything = (result: EngineResult): string =>
  JSON.stringify({
    findings: result.findings.map((f) => [f.ruleId, f.fingerprint, f.severity, f.message, f.evidence, f.path]),
    ruleErrors: result.ruleErrors,
    coverage: result.coverage,
    evaluations: result.evaluations,
  });

/** Objects put in one by one, each judged ahead as it arrives (the others not in yet), then the full run. */
function judgedAhead(objects: readonly K8sObject[], rules: readonly Rule[], limits?: { timeMs: number; bytes: number }, unreadKinds?: ReadonlySet<string>): { result: EngineResult; ahead: JudgeAhead } {
  const snapshot = newSnapshot();
  const options = { rules, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf, recordEvaluations: true, ...(limits ? { limits } : {}), ...(unreadKinds ? { unreadKinds } : {}) };
  const ahead = new JudgeAhead(options);
  for (const object of objects) {
    const scanned: ScannedObject = { object, origin };
    snapshot.upsert(scanned);
    ahead.judge(scanned);
  }
  return { result: runRules(snapshot.all, { ...options, prejudged: ahead }), ahead };
}

function plain(objects: readonly K8sObject[], rules: readonly Rule[], limits?: { timeMs: number; bytes: number }, unreadKinds?: ReadonlySet<string>): EngineResult {
  const snapshot = newSnapshot();
  for (const object of objects) snapshot.upsert({ object, origin });
  return runRules(snapshot.all, { rules, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf, recordEvaluations: true, ...(limits ? { limits } : {}), ...(unreadKinds ? { unreadKinds } : {}) });
}

const configMap: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'kubeflow-user-example-com' }, data: { pool: 'stratum+tcp://pool.supportxmr.com:3333' } };
/** A miner only through a ConfigMap that arrives after it: judged ahead, the rule would miss it. */
const poolPod: K8sObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'trainer', namespace: 'kubeflow-user-example-com' },
  spec: { containers: [{ name: 'main', image: 'python:3.11', args: ['--endpoint=$(POOL)'], env: [{ name: 'POOL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'pool' } } }] }] },
};

test('every rule judged ahead or after gives what judging everything at the end gives, in the same order', () => {
  const objects = [poolPod, ...objectsOfFiles(...EXAMPLES), configMap];
  const rules = ALL_RULES.filter((r) => r.meta.needs.cost !== 'expensive');
  const expected = plain(objects, rules);
  const { result, ahead } = judgedAhead(objects, rules);
  assert.ok(expected.findings.some((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === 'trainer'), 'the miner behind the ConfigMap is found');
  assert.ok(expected.findings.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'), 'a rule over the whole snapshot has a finding');
  assert.ok(ahead.tally.kept > 0, 'objects were judged ahead');
  assert.equal(everything(result), everything(expected));
});

test('a rule that asks the inventory anything is judged again at the end, even when it catches the refusal', () => {
  let asked = 0;
  const swallowing = defineRule({
    meta: { ...ALL_RULES[0]!.meta, id: 'test-swallows', match: [{ apiGroups: '*', kinds: ['Pod'] }], sources: ['cluster'], needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' } },
    *check(object, ctx) {
      let seen: number;
      try {
        seen = ctx.inventory.ofKind('ConfigMap').length;
      } catch {
        seen = -1;
      }
      asked++;
      yield { message: `${object.metadata?.name}: ${seen} ConfigMap(s)` };
    },
  });
  // Judged ahead, after the one that waits: the report keeps the rules' order on each object.
  const objectOnly = defineRule({
    meta: { ...swallowing.meta, id: 'test-object-only' },
    *check(object) {
      yield { message: `${object.metadata?.name}: judged from itself` };
    },
  });
  const objects = [poolPod, configMap];
  const expected = plain(objects, [swallowing, objectOnly]);
  const { result, ahead } = judgedAhead(objects, [swallowing, objectOnly]);
  assert.deepEqual(result.findings.map((f) => f.message), ['trainer: 1 ConfigMap(s)', 'trainer: judged from itself']);
  assert.equal(everything(result), everything(expected));
  assert.equal(ahead.tally.kept, 1, 'the pod kept a verdict (for the rule that asked nothing)');
  assert.equal(asked, 3, 'judged plainly, ahead (refused), and again at the end');
});

/** Two rules drawing on one object's byte budget: the second sees what the first left. */
function budgetRules(secondReads: boolean): Rule[] {
  const meta = (id: string) => ({ ...ALL_RULES[0]!.meta, id, match: [{ apiGroups: '*', kinds: ['Pod'] }] as const, sources: ['cluster'] as const, needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' } as const });
  return [
    defineRule({
      meta: meta('test-takes-first'),
      *check(_object, ctx) {
        yield { message: `first took 60: ${ctx.budget.take(60)}` };
      },
    }),
    defineRule({
      meta: meta('test-takes-second'),
      *check(_object, ctx) {
        if (secondReads) ctx.inventory.namespaces();
        yield { message: `second took 60: ${ctx.budget.take(60)}` };
      },
    }),
  ];
}

test("a rule judged at the end sees the budget a rule judged ahead drew on, as if they ran together", () => {
  const limits = { timeMs: 60_000, bytes: 100 };
  for (const secondReads of [false, true]) {
    const rules = budgetRules(secondReads);
    const expected = plain([poolPod], rules, limits);
    assert.deepEqual(expected.findings.map((f) => f.message), ['first took 60: true', 'second took 60: false']);
    assert.equal(everything(judgedAhead([poolPod], rules, limits).result), everything(expected), secondReads ? 'the second rule waited for the end' : 'both judged ahead');
  }
});

test('a copy put in later is judged again; a copy taken out is not reported', () => {
  const rules = ALL_RULES.filter((r) => r.meta.needs.cost !== 'expensive');
  const snapshot = newSnapshot();
  const options = { rules, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf };
  const ahead = new JudgeAhead(options);
  const miner = objectsOfFiles(EXAMPLES[2]!).find((o) => o.kind === 'Pod')!;
  const first: ScannedObject = { object: miner, origin };
  snapshot.upsert(first);
  ahead.judge(first);
  // The list started again, and the object came back without its miner.
  const cleaned = { ...miner, spec: { containers: [{ name: 'main', image: 'python:3.11' }] } } as K8sObject;
  const second: ScannedObject = { object: cleaned, origin };
  snapshot.upsert(second);
  ahead.judge(second);
  assert.ok(ahead.outcomesOf(first) && ahead.outcomesOf(second));
  const result = runRules(snapshot.all, { ...options, prejudged: ahead });
  assert.equal(everything(result), everything(runRules(snapshot.all, options)));
  assert.ok(!result.findings.some((f) => f.ruleId === 'crypto-miner-workload'), 'the replaced copy is not reported');
  ahead.removed(second);
  snapshot.delete(cleaned);
  assert.equal(ahead.outcomesOf(second), undefined);
});

test('a rule that reads which kinds could not be listed waits for the end, where they are known', () => {
  let read = 0;
  const coverageAware = defineRule({
    meta: { ...ALL_RULES[0]!.meta, id: 'test-unread-kinds', match: [{ apiGroups: '*', kinds: ['Pod'] }], sources: ['cluster'], needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' } },
    *check(object, ctx) {
      read++;
      yield { message: `${object.metadata?.name}: ${ctx.unreadKinds?.has('/Secret') ? 'Secrets unread' : 'Secrets read'}` };
    },
  });
  const unread = new Set(['/Secret']);
  const expected = plain([poolPod], [coverageAware], undefined, unread);
  const { result, ahead } = judgedAhead([poolPod], [coverageAware], undefined, unread);
  assert.deepEqual(result.findings.map((f) => f.message), ['trainer: Secrets unread']);
  assert.equal(everything(result), everything(expected));
  assert.equal(ahead.tally.kept, 0, 'nothing judged ahead is kept');
  assert.equal(read, 3, 'judged plainly, ahead (refused), and again at the end');
});

/** A Pod named `name` in one namespace, with nothing in it any rule flags. */
const namedPod = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'python:3.11' }] } });

/**
 * Rule `i` asks the inventory (so waits for the end, where it reports what it saw) only on Pods
 * whose name holds `-i-`, and finds nothing on the others: objects that found nothing share a
 * verdict keyed by which rules were stopped, and two Pods stopping different rules must not share one.
 */
function stoppingRules(count: number): Rule[] {
  return Array.from({ length: count }, (_, i) =>
    defineRule({
      meta: { ...ALL_RULES[0]!.meta, id: `test-stops-${i}`, match: [{ apiGroups: '*', kinds: ['Pod'] }], sources: ['cluster'], needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' } },
      *check(object, ctx) {
        if (!object.metadata?.name?.includes(`-${i}-`)) return;
        yield { message: `rule ${i} on ${object.metadata.name}: ${ctx.inventory.ofKind('Pod').length} Pod(s)` };
      },
    }),
  );
}

test('objects that stop different rules keep apart verdicts, past 32 rules and past what a plan judges ahead', () => {
  const rules = stoppingRules(60);
  // Rules 0, 1, 31, 32 and 52 are judged ahead; 53 and 59 are past the 53 a plan holds and wait for the end.
  const objects = ['p-0-', 'p-1-', 'p-31-', 'p-32-', 'p-52-', 'p-53-', 'p-59-', 'p-0-1-', 'p-none'].map(namedPod);
  const expected = plain(objects, rules);
  assert.deepEqual(
    expected.findings.map((f) => f.message),
    ['rule 0 on p-0-: 9 Pod(s)', 'rule 1 on p-1-: 9 Pod(s)', 'rule 31 on p-31-: 9 Pod(s)', 'rule 32 on p-32-: 9 Pod(s)', 'rule 52 on p-52-: 9 Pod(s)', 'rule 53 on p-53-: 9 Pod(s)', 'rule 59 on p-59-: 9 Pod(s)', 'rule 0 on p-0-1-: 9 Pod(s)', 'rule 1 on p-0-1-: 9 Pod(s)'],
  );
  const { result, ahead } = judgedAhead(objects, rules);
  assert.equal(everything(result), everything(expected));
  assert.equal(ahead.tally.kept, objects.length, 'every Pod kept a verdict for the rules it did not stop');
});

test('a verdict that drew on the budget is not shared with one that did not', () => {
  const limits = { timeMs: 60_000, bytes: 100 };
  const meta = (id: string) => ({ ...ALL_RULES[0]!.meta, id, match: [{ apiGroups: '*', kinds: ['Pod'] }] as const, sources: ['cluster'] as const, needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' } as const });
  const rules = [
    // Judged ahead, finds nothing either way, but draws on the budget for Pods named b-….
    defineRule({
      meta: meta('test-takes-for-b'),
      check(object, ctx) {
        if (object.metadata?.name?.startsWith('b-')) ctx.budget.take(60);
        return [];
      },
    }),
    // Always waits for the end, then sees what the first rule left.
    defineRule({
      meta: meta('test-takes-at-end'),
      *check(object, ctx) {
        ctx.inventory.namespaces();
        yield { message: `${object.metadata?.name} took 60: ${ctx.budget.take(60)}` };
      },
    }),
  ];
  const objects = [namedPod('a-1'), namedPod('b-1')];
  const expected = plain(objects, rules, limits);
  assert.deepEqual(expected.findings.map((f) => f.message), ['a-1 took 60: true', 'b-1 took 60: false']);
  assert.equal(everything(judgedAhead(objects, rules, limits).result), everything(expected));
});
