// A live scan whose lists the cluster refused (or a snapshot naming such gaps, or a job API that
// could not be read) has judged only part of what it was asked to. With no failing finding, the
// text, Markdown and HTML verdicts once said "passes" beside "Not evaluated: could not list …";
// they now say it is not a pass. The exit code is unchanged: a refused list is never fatal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CoverageEntry } from '../../src/core/types.js';
import { renderHtml } from '../../src/report/html.js';
import { markdownFormatter } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import { textFormatter } from '../../src/report/text.js';

const INPUTS = { files: 0, documents: 3, skipped: 0, skippedFiles: 0, skippedDocuments: 0, readAs: '6 list(s) from cluster context fake, 3 object(s)' };
const REFUSED: CoverageEntry = { ruleId: '*', source: 'cluster', reason: 'could not list rolebindings.rbac.authorization.k8s.io (all namespaces): forbidden' };
const RULE_GAP: CoverageEntry = { ruleId: 'manifest-parse-ambiguity', source: 'cluster', reason: 'not evaluated: the rule does not judge the live cluster' };
const OPTIONS = { color: false, quiet: false, failOn: 'high' as const, rules: [], cwd: process.cwd() };

function verdicts(coverage: readonly CoverageEntry[]): { text: string; markdown: string; html: string } {
  const report = buildReport({ findings: [], inputs: INPUTS, coverage });
  const text = textFormatter.render(report, OPTIONS).split('\n').find((l) => l.startsWith('Summary:')) ?? '';
  const markdown = markdownFormatter.render(report, OPTIONS).split('\n').slice(0, 3).join('\n');
  const html = /<span class="verdict [a-z]+">[^<]*<\/span>/.exec(renderHtml(report, OPTIONS))?.[0] ?? '';
  return { text, markdown, html };
}

describe('verdicts with source gaps', () => {
  test('a refused list: not a pass in text, Markdown and HTML', () => {
    const { text, markdown, html } = verdicts([REFUSED, RULE_GAP]);
    assert.match(text, /not a pass: 1 source gap\(s\)/);
    assert.doesNotMatch(text, /passes --fail-on/);
    assert.match(markdown, /⚠️/);
    assert.match(markdown, /not a pass: 1 source gap\(s\)/);
    assert.match(html, /verdict fail">not a pass: 1 source gap/);
  });

  test('only a rule that does not judge this source: still a pass', () => {
    const { text, markdown, html } = verdicts([RULE_GAP]);
    assert.match(text, /passes --fail-on high/);
    assert.match(markdown, /✅/);
    assert.match(html, /verdict pass/);
  });
});
