// Judging ahead (src/core/judge-ahead.ts) over every rule's fixtures, played as a cluster listing:
// each object is judged as it is put in, before the objects after it exist, and runRules replays
// the verdicts. The result must be the one runRules gives judging everything at the end: findings
// (message, evidence, path, order), rule errors and coverage, for each rule alone and for all
// rules together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG, type KfguardConfig } from '../../src/core/config-types.js';
import { runRules, type EngineResult } from '../../src/core/engine.js';
import { JudgeAhead } from '../../src/core/judge-ahead.js';
import type { Rule } from '../../src/core/rule.js';
import type { K8sObject, ScannedObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { loadFixtures, type FixtureCase } from '../../src/testing/rule-tester.js';

const everything = (result: EngineResult): string =>
  JSON.stringify({
    findings: result.findings.map((f) => [f.ruleId, f.fingerprint, f.severity, f.message, f.evidence, f.path, f.resource]),
    ruleErrors: result.ruleErrors,
    coverage: result.coverage,
    evaluations: result.evaluations,
  });

function listed(fixture: FixtureCase): K8sObject[] {
  return [...(fixture.snapshot ?? []), ...fixture.objects];
}

function both(objects: readonly K8sObject[], rules: readonly Rule[], config: KfguardConfig): { plain: EngineResult; ahead: EngineResult; kept: number } {
  const snapshot = newSnapshot();
  const judge = new JudgeAhead({ rules, config });
  objects.forEach((object, i) => {
    const scanned: ScannedObject = { object, origin: { kind: 'cluster', context: 'fixture', resourceVersion: String(i + 1) } };
    snapshot.upsert(scanned);
    judge.judge(scanned);
  });
  const options = { rules, config, inventory: snapshot, podLabelsOf, recordEvaluations: true };
  return { plain: runRules(snapshot.all, options), ahead: runRules(snapshot.all, { ...options, prejudged: judge }), kept: judge.tally.kept };
}

const prompt = ALL_RULES.filter((rule) => rule.meta.needs.cost !== 'expensive');

test('every fixture case, each rule alone, judged ahead as listed: the same result as judged at the end', () => {
  let kept = 0;
  let findings = 0;
  for (const rule of prompt) {
    const fixtures = loadFixtures(rule.meta.id);
    for (const fixture of [...fixtures.fail, ...fixtures.pass]) {
      const result = both(listed(fixture), [rule], { ...DEFAULT_CONFIG, ...fixture.config });
      assert.equal(everything(result.ahead), everything(result.plain), `${rule.meta.id}: ${fixture.name}`);
      kept += result.kept;
      findings += result.plain.findings.length;
    }
  }
  // Not vacuous: verdicts were replayed, and there were findings to replay.
  assert.ok(kept > 100, `verdicts kept: ${kept}`);
  assert.ok(findings > 100, `findings: ${findings}`);
});

test('every rule together over each rule\'s failing cases: the same result as judged at the end', () => {
  for (const rule of prompt) {
    for (const fixture of loadFixtures(rule.meta.id).fail) {
      const result = both(listed(fixture), prompt, { ...DEFAULT_CONFIG, ...fixture.config });
      assert.equal(everything(result.ahead), everything(result.plain), `${rule.meta.id}: ${fixture.name}`);
    }
  }
});
