import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { optionSchemasOf } from '../../src/core/rule-options.js';
import { AUDIT_DETECTIONS } from '../../src/audit/detections/index.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

test('docs/config-example.yaml is a valid config for the shipped rules and audit detections', () => {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'config-example.yaml'), 'utf8');
  const all = [...ALL_RULES, ...AUDIT_DETECTIONS];
  const config = parseConfig(text, 'docs/config-example.yaml', all.map((r) => r.meta.id), optionSchemasOf(all));
  assert.equal(config.suppressions.length, 2);
  assert.equal(config.rules['jupyter-empty-token']?.enabled, false);
  assert.deepEqual(config.rules['image-registry-not-allowed']?.options, { allowed: ['registry.internal.example', 'ghcr.io/kubeflow'] });
  assert.deepEqual(config.rules['audit-pipeline-pod-burst']?.options, { namespaces: 5, window: '2m' });
  assert.deepEqual(config.lists['runtime-sockets'], ['/run/custom-runtime/runtime.sock']);
});
