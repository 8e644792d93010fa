import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixerFor } from '../../src/fix/registry.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { fixturePath, loadFixtures } from '../../src/testing/rule-tester.js';
import { requiresShared } from '../../src/testing/shared.js';
import { describeFindings, fixFiles, readText, scanFindings, tempDir, toYamlStream, unexplainedFindings, writeText } from './fix-harness.js';
import { validateFixedFile } from './k8s-schemas.js';

const fixableRules = ALL_RULES.filter((rule) => fixerFor(rule.meta.id) !== undefined);

describe('a fix must fix: failing fixtures of fixable rules rescan clean', requiresShared(), () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const cleared = new Map<string, number>();

  test('at least one shipped rule has a fixer', () => {
    assert.ok(fixableRules.length > 0, 'no rule in ALL_RULES has a fixer');
  });

  for (const rule of fixableRules) {
    const id = rule.meta.id;
    if (!existsSync(fixturePath(id))) {
      test(`${id}: fixtures`, { skip: `no fixtures yet at src/rules/fixtures/${id}.yaml` }, () => {});
      continue;
    }
    loadFixtures(id).fail.forEach((fixture, i) => {
      test(`${id}: ${fixture.name}`, async () => {
        const file = join(dir.path, `${id}-${i}.yaml`);
        const original = toYamlStream(fixture.objects);
        writeText(file, original);
        const before = await scanFindings(dir.path, [file], [rule]);
        assert.ok(before.length > 0, 'the fixture must fail before the fix');
        const result = await fixFiles(dir.path, [file], [rule]);
        for (const declined of result.unfixable) {
          assert.ok(declined.reason.length > 0 && declined.finding.remediation.length > 0, 'a declined finding needs a reason and remediation text');
        }
        const afterFix = await scanFindings(dir.path, [file], [rule]);
        const unexplained = unexplainedFindings(afterFix, result);
        assert.equal(unexplained.length, 0, `a fix did not fix:\n${describeFindings(unexplained)}\n--- fixed file ---\n${readText(file)}`);
        assert.deepEqual(validateFixedFile(original, readText(file)), [], 'the fix must leave valid Kubernetes objects');
        if (afterFix.length === 0) cleared.set(id, (cleared.get(id) ?? 0) + 1);
      });
    });
  }

  test('every fixable rule has failing fixtures that a fix clears completely', () => {
    const withFixtures = fixableRules.filter((rule) => existsSync(fixturePath(rule.meta.id)));
    const never = withFixtures.filter((rule) => (cleared.get(rule.meta.id) ?? 0) === 0).map((rule) => rule.meta.id);
    assert.deepEqual(never, []);
  });
});
