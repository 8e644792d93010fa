import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { byRule, scanDir, service, tempDir, TEST_RULES } from '../suppress/helpers.js';

describe('rule settings from .kfguard.yaml reach the engine', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  dir.write('svc.yaml', service('web'));
  const ids = TEST_RULES.map((r) => r.meta.id);

  test('enabled: false turns a rule off', async () => {
    const config = parseConfig('rules: {test-load-balancer: {enabled: false}}', '.kfguard.yaml', ids);
    assert.equal(byRule(await scanDir(dir.path), 'test-load-balancer').length, 1);
    assert.equal(byRule(await scanDir(dir.path, { config }), 'test-load-balancer').length, 0);
  });

  test('severity overrides the rule default', async () => {
    const config = parseConfig('rules: {test-load-balancer: {severity: low}}', '.kfguard.yaml', ids);
    assert.equal(byRule(await scanDir(dir.path), 'test-load-balancer')[0]?.severity, 'high');
    assert.equal(byRule(await scanDir(dir.path, { config }), 'test-load-balancer')[0]?.severity, 'low');
  });
});
