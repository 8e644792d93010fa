import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../src/report/report.js';
import { escapeInline, MARKDOWN_BUDGET, markdownFormatter } from '../../src/report/markdown.js';
import { renderOptions, syntheticFinding, syntheticReport } from './helpers/formats-fixtures.js';

/** GitHub's hard limit on an issue or PR comment body. */
const GITHUB_COMMENT_LIMIT = 65_536;

const inputs = { files: 2, documents: 4, skipped: 0, skippedFiles: 0, skippedDocuments: 0 };
const detailsCount = (markdown: string): number => markdown.match(/^<details>$/gm)?.length ?? 0;

function omittedTotal(markdown: string): number {
  const rows = [...markdown.matchAll(/^\| <code>[^<]+<\/code> \| \S+ \w+ \| (\d+) \|$/gm)];
  return rows.reduce((sum, row) => sum + Number(row[1]), 0);
}

describe('markdown formatter', () => {
  test('stays under the GitHub comment limit with thousands of findings and says what it left out', () => {
    for (const count of [2_000, 10_000]) {
      const report = syntheticReport(count);
      const markdown = markdownFormatter.render(report, renderOptions());
      assert.ok(markdown.length < GITHUB_COMMENT_LIMIT, `${count} findings: ${markdown.length} characters`);
      assert.ok(markdown.length <= MARKDOWN_BUDGET + 200, `${markdown.length} characters`);
      const shown = detailsCount(markdown);
      assert.ok(shown > 10, `shows some findings in full (${shown})`);
      const omitted = count - shown;
      assert.match(markdown, new RegExp(`### ${omitted} more finding\\(s\\) not shown`));
      assert.equal(omittedTotal(markdown), omitted);
    }
  });

  test('shows every finding of a small report, threats first, with a severity × category table', () => {
    const report = buildReport({
      inputs,
      findings: [
        syntheticFinding(0, { category: 'exposure', severity: 'critical', ruleId: 'exposed-dashboard' }),
        syntheticFinding(1, { category: 'threat', severity: 'high', ruleId: 'miner-args' }),
        syntheticFinding(2, { category: 'exposure', severity: 'high', ruleId: 'exposed-dashboard' }),
        syntheticFinding(3, { category: 'rbac', severity: 'low', suppression: { kind: 'baseline', reason: 'known' } }),
      ],
    });
    const markdown = markdownFormatter.render(report, renderOptions());
    assert.equal(detailsCount(markdown), 3);
    assert.doesNotMatch(markdown, /not shown/);
    const firstSummary = /<summary>(.*)<\/summary>/.exec(markdown)?.[1] ?? '';
    assert.match(firstSummary, /miner-args/);
    assert.match(markdown, /^\| severity \| threat \| exposure \| total \|$/m);
    assert.match(markdown, /^\| 🟥 critical \| {2}\| 1 \| 1 \|$/m);
    assert.match(markdown, /^\| 🔴 high \| 1 \| 1 \| 2 \|$/m);
    assert.match(markdown, /1 suppressed finding\(s\) not listed \(1 baseline\)/);
    assert.match(markdown, /fails `--fail-on high`/);
    assert.match(markdown, /\[!CAUTION\]/);
    assert.match(markdown, /\*\*Fix:\*\* Remove the flag and redeploy the workload\./);
    assert.match(markdown, /<code>args&#91;2&#93;: --flag-1<\/code>/);
  });

  test('bare URLs from manifests are defanged, so GitHub and GitLab do not autolink them', () => {
    const escaped = escapeInline('curl https://evil.example.com/xmrig; see www.evil.example.com or HTTP://x.io');
    assert.doesNotMatch(escaped, /:\/\/|www\./i, escaped);
    // What GitLab sees after decoding entities: still no scheme separator to autolink on.
    const decoded = escaped.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    assert.equal(decoded, 'curl https[:]//evil.example.com/xmrig; see www[.]evil.example.com or HTTP[:]//x.io');
  });

  test('keeps manifest text from breaking out of the comment or mentioning people', () => {
    const hostile = '</details><script>alert(1)</script> @kubeflow/admins [x](https://evil.example) | `';
    const report = buildReport({
      inputs,
      findings: [syntheticFinding(0, { message: hostile, evidence: [hostile], resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: hostile } })],
    });
    const markdown = markdownFormatter.render(report, renderOptions());
    assert.doesNotMatch(markdown, /<script|@kubeflow|\]\(https/);
    assert.equal(markdown.match(/<\/details>/g)?.length, 1);
  });

  test('one finding with huge evidence cannot crowd out the others', () => {
    const findings = [
      syntheticFinding(0, { severity: 'critical', message: 'x'.repeat(200_000), evidence: Array.from({ length: 5_000 }, () => 'y'.repeat(500)) }),
      syntheticFinding(1, { severity: 'high' }),
    ];
    const markdown = markdownFormatter.render(buildReport({ inputs, findings }), renderOptions());
    assert.ok(markdown.length < 10_000, `${markdown.length}`);
    assert.equal(detailsCount(markdown), 2);
    assert.match(markdown, /…and 4990 more/);
  });

  test('links locations to the forge when a link base is given', () => {
    const report = buildReport({
      inputs,
      findings: [
        syntheticFinding(0, { location: { file: 'deploy/app.yaml', line: 12, column: 3 } }),
        syntheticFinding(1, { location: { file: 'overlays/prod (kustomize)', line: 300, column: 3 }, origin: { kind: 'file', reader: 'kustomize', file: 'overlays/prod (kustomize)', path: 'overlays/prod' } }),
      ],
    });
    const base = 'https://github.com/acme/ml/blob/0123abc/';
    const markdown = markdownFormatter.render(report, renderOptions({ cwd: '/src', sarifBase: '/src', sourceLinkBase: base }));
    const hrefs = [...markdown.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
    assert.deepEqual(hrefs.sort(), [`${base}deploy/app.yaml#L12`, `${base}overlays/prod/kustomization.yaml`]);
    assert.doesNotMatch(markdownFormatter.render(report, renderOptions()), /href=/);
  });

  test('an empty report is a short all-clear', () => {
    const markdown = markdownFormatter.render(buildReport({ inputs, findings: [] }), renderOptions());
    assert.match(markdown, /^## kfguard ✅ 0 finding\(s\)/);
    assert.equal(detailsCount(markdown), 0);
  });

  test('names the config it loaded and what it switches off, escaped, and caps the warnings it lists', () => {
    const note = 'config .kfguard.yaml loaded: switches off crypto-miner-workload';
    const hostile = 'file <img src=x>\r</details>![b](https://evil.example/b.png)';
    const extra = Array.from({ length: 12 }, (_, i) => `warning ${i}`);
    const markdown = markdownFormatter.render(buildReport({ inputs, findings: [], warnings: [note, hostile, ...extra] }), renderOptions());
    assert.ok(markdown.includes(`> - ${note}\n`), markdown);
    assert.ok(!/<img|<\/details>|!\[b\]|\r/.test(markdown), markdown);
    assert.match(markdown, /^> 14 warning\(s\):$/m);
    assert.match(markdown, /^> - and 4 more \(see the text or JSON output\)$/m);
  });
});
