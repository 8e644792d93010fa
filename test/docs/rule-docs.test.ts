import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CATALOGUE_FILE, renderRuleCatalogue, renderRulePage, ruleDocFiles } from '../../src/docs/rule-docs.js';
import type { RuleMeta } from '../../src/core/rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { expectedRuleDocs, RULE_DOCS_DIR, ruleDocsDrift } from '../../scripts/generate-rule-docs.js';
import { runCli } from '../helpers/cli.js';

const sampleMeta: RuleMeta = {
  id: 'sample-rule',
  title: 'Sample | with a pipe',
  severity: 'high',
  category: 'exposure',
  description: 'Finds samples.',
  rationale: 'Samples matter.',
  remediation: 'Remove the sample.',
  references: ['https://example.com/sample'],
  mitre: ['T1133', 'T1552.007', 'MS-TA9005'],
  match: [{ apiGroups: [''], kinds: ['Service'] }],
  sources: ['manifest', 'cluster'],
  needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' },
};

describe('rule docs', () => {
  test('docs/rules matches the rule metadata and fixtures', () => {
    const drift = ruleDocsDrift(expectedRuleDocs());
    const problems = [
      ...drift.missing.map((f) => `missing ${f}`),
      ...drift.changed.map((f) => `outdated ${f}`),
      ...drift.extra.map((f) => `no rule for ${f}`),
    ];
    assert.deepEqual(problems, [], `docs/rules is stale: run npm run docs:rules\n  ${problems.join('\n  ')}`);
  });

  test('generation is deterministic and covers every rule plus the index', () => {
    const first = expectedRuleDocs();
    assert.deepEqual([...expectedRuleDocs().entries()], [...first.entries()]);
    assert.equal(first.size, ALL_RULES.length + 1);
    for (const rule of ALL_RULES) assert.ok(first.has(`${rule.meta.id}.md`), rule.meta.id);
  });

  test('`kfguard rules --format markdown` prints the catalogue in docs/rules/README.md', async () => {
    const run = await runCli(['rules', '--format', 'markdown']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, renderRuleCatalogue(ALL_RULES.map((r) => r.meta)));
    assert.equal(run.stdout, readFileSync(join(RULE_DOCS_DIR, CATALOGUE_FILE), 'utf8'));
  });

  test('a page holds metadata, MITRE links, references and fixture examples with secrets redacted', () => {
    const page = renderRulePage(sampleMeta, {
      fail: [
        {
          name: 'leaks a secret',
          objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } }],
          expect: [{ path: 'stringData.password', severity: 'high' }],
        },
      ],
      pass: [{ name: 'clean service', objects: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' } }] }],
    });
    assert.match(page, /^# `sample-rule`: Sample \| with a pipe$/m);
    assert.match(page, /\| high \| exposure \| manifest, cluster \| no \|/);
    assert.match(page, /\[T1552\.007\]\(https:\/\/attack\.mitre\.org\/techniques\/T1552\/007\/\)/);
    assert.match(page, /- `MS-TA9005`/);
    assert.match(page, /- <https:\/\/example\.com\/sample>/);
    assert.match(page, /### Fails: leaks a secret/);
    assert.match(page, /Expected finding\(s\): `stringData\.password` high\./);
    assert.match(page, /### Passes: clean service/);
    assert.doesNotMatch(page, /hunter2/);
    assert.match(page, /password: <redacted>/);
    assert.match(page, /# Secret values are redacted here; src\/rules\/fixtures\/sample-rule\.yaml has them\./);
  });

  test('the catalogue escapes table cells and groups rules by category', () => {
    const files = ruleDocFiles([sampleMeta]);
    const catalogue = files.get(CATALOGUE_FILE) ?? '';
    assert.match(catalogue, /## exposure\n\n\| Rule \|/);
    assert.match(catalogue, /\| \[`sample-rule`\]\(sample-rule\.md\) \| high \| manifest, cluster \| Sample \\\| with a pipe \|/);
    assert.deepEqual([...files.keys()], ['README.md', 'sample-rule.md']);
  });
});
