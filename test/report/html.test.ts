import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Script } from 'node:vm';
import { formatterFor } from '../../src/report/formats.js';
import { renderHtml } from '../../src/report/html.js';
import { REPORT_SCRIPT } from '../../src/report/html/client.js';
import { HOSTILE_MESSAGE, HOSTILE_NAME, sampleReport } from './html-sample-report.js';

function dataOf(html: string): { findings: { rule: string; name: string; msg: string; ap: number }[] } {
  const match = /<script type="application\/json" id="kfguard-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match?.[1], 'the page embeds its data as JSON');
  return JSON.parse(match[1]) as { findings: { rule: string; name: string; msg: string; ap: number }[] };
}

describe('html formatter', () => {
  const html = renderHtml(sampleReport(), { failOn: 'high' });

  test('is registered as a format', () => {
    assert.equal(formatterFor('html').fileExtension, '.html');
  });

  test('ships a browser script that parses', () => {
    assert.doesNotThrow(() => new Script(REPORT_SCRIPT, { filename: 'report-client.js' }));
  });

  test('loads nothing from outside the file', () => {
    assert.doesNotMatch(html, /<(?:script|img|link|iframe)[^>]+(?:src|href)=/i);
    assert.doesNotMatch(html, /url\(\s*['"]?(?!#)/i);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  test('keeps hostile text out of the markup', () => {
    assert.ok(!html.includes(HOSTILE_NAME), 'raw <script> from a resource name must not appear');
    assert.ok(!html.includes('</script><script>window.__pwned'), 'a message cannot close the data script');
    assert.equal(html.match(/<script/g)?.length, 2, 'only the data and app scripts exist');
    const data = dataOf(html);
    assert.ok(data.findings.some((f) => f.name === HOSTILE_NAME && f.msg === HOSTILE_MESSAGE), 'the data round-trips exactly');
  });

  test('draws one attack path per active exposure finding with hops, and links it from the finding', () => {
    assert.equal(html.match(/<svg class="attack-path"/g)?.length, 1);
    assert.match(html, /class="hop hop-auth-missing"/);
    assert.match(html, /LoadBalancer istio-ingressgateway/);
    const data = dataOf(html);
    assert.equal(data.findings.find((f) => f.rule === 'dashboard-exposed-without-auth')?.ap, 0);
    assert.equal(data.findings.find((f) => f.rule === 'notebook-exposed')?.ap, -1);
  });

  test('summarises counts and the RBAC access summary', () => {
    assert.match(html, /<div class="n" id="summary-total">4<\/div>/);
    assert.match(html, /data-severity="critical">2</);
    assert.match(html, /data-category="threat">1</);
    assert.match(html, /ServiceAccount kubeflow\/pipeline-runner/);
    assert.match(html, /fails --fail-on high/);
  });
});
