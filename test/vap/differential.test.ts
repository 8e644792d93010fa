// The generated CEL, run on a JS CEL implementation, against the real webhook on every fixture of
// the rules it mirrors (issue 10). Disagreements must be exactly the ones docs/vap.md explains.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { POLICY_KINDS } from '../../src/vap/container-paths.js';
import { generatePolicies } from '../../src/vap/policies.js';
import { judgeFixtures, type Judged } from './differential-helpers.js';

const policies = generatePolicies({ actions: ['Deny'], excludeNamespaces: ['kube-system'] });
const ruleById = (id: string) => {
  const rule = ALL_RULES.find((r) => r.meta.id === id);
  assert.ok(rule, id);
  return rule;
};
/** The strongest verdict each rule's policies give: the Service policy only warns (docs/vap.md). */
const MIRRORED = [
  { ruleId: 'crypto-miner-workload', kinds: POLICY_KINDS, strongest: 'deny' },
  { ruleId: 'kubeflow-dashboard-exposed', kinds: ['Service'], strongest: 'warn' },
] as const;

/** Rows of the disagreement table in docs/vap.md: `rule | case | webhook | CEL`. */
function documentedDisagreements(): string[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'vap.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Disagreements with the webhook'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| rule ') && !line.startsWith('|---'))
    .map((line) => line.split('|').slice(1, 5).map((cell) => cell.trim()).join(' | '));
}

describe('kfguard export vap against the webhook, fixture by fixture', () => {
  const judged = new Map<string, Judged[]>();
  before(async () => {
    for (const { ruleId, kinds } of MIRRORED) judged.set(ruleId, await judgeFixtures(ruleById(ruleId), policies.filter((p) => p.ruleId === ruleId), kinds));
  });

  test('every mirrored rule has fixtures the policies judge, passing and failing', () => {
    for (const { ruleId, strongest } of MIRRORED) {
      const cases = judged.get(ruleId) ?? [];
      assert.ok(cases.filter((c) => c.name.startsWith('fail/') && c.cel === strongest).length >= 3, `${ruleId}: fail cases must get "${strongest}" from CEL`);
      assert.ok(cases.some((c) => c.name.startsWith('pass/') && c.cel === 'allow'), `${ruleId}: some pass case must be allowed`);
      assert.ok(!cases.some((c) => c.cel === 'deny' && strongest === 'warn'), `${ruleId}: its policy must never deny`);
    }
  });

  test('no expression errors on any fixture object (an error denies under failurePolicy Fail)', () => {
    const errors = [...judged.values()].flat().filter((c) => c.celErrors.length > 0);
    assert.deepEqual(errors.map((c) => `${c.name}: ${c.celErrors.join('; ')}`), []);
  });

  test('the disagreements are exactly those docs/vap.md lists and explains', () => {
    const actual = MIRRORED.flatMap(({ ruleId }) => (judged.get(ruleId) ?? []).filter((c) => c.webhook !== c.cel).map((c) => `${ruleId} | ${c.name} | ${c.webhook} | ${c.cel}`));
    const documented = documentedDisagreements();
    assert.ok(documented.length > 0, 'the table in docs/vap.md was not found');
    assert.deepEqual(actual.filter((row) => !documented.includes(row)), [], 'disagreements not in docs/vap.md');
    assert.deepEqual(documented.filter((row) => !actual.includes(row)), [], 'rows in docs/vap.md that no longer disagree');
  });

  test('a policy never denies what the webhook allows, and the miner policies never warn where it allows', () => {
    for (const [ruleId, cases] of judged) {
      for (const c of cases) {
        assert.ok(!(c.webhook !== 'deny' && c.cel === 'deny'), `${ruleId} ${c.name}: CEL denies, webhook ${c.webhook}`);
        if (ruleId === 'crypto-miner-workload') assert.ok(!(c.webhook === 'allow' && c.cel !== 'allow'), `${ruleId} ${c.name}: CEL ${c.cel}, webhook allows`);
      }
    }
  });
});
