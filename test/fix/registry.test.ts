import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIXERS, fixerFor } from '../../src/fix/registry.js';
import { ALL_RULES, ruleById } from '../../src/rules/index.js';

test('every fixer is keyed by a shipped rule id', () => {
  assert.deepEqual(Object.keys(FIXERS).filter((id) => !ruleById(id)), []);
});

test('a rule that says it is fixable has a fixer', () => {
  assert.deepEqual(
    ALL_RULES.filter((rule) => rule.meta.fixable === true && !fixerFor(rule.meta.id)).map((rule) => rule.meta.id),
    [],
  );
});
