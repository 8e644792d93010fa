// run-tests: alone
// (Loading 5,000 findings in Chromium has a 15 s wall-clock bound: 5.6 s at load 12, nice 5.)
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Finding } from '../../src/core/types.js';
import { CLUSTER_SCOPED, HTML_PAGE_SIZE, renderHtml } from '../../src/report/html.js';
import { activeFindings, buildReport, type Report } from '../../src/report/report.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { findChromium } from '../../src/testing/find-chromium.js';
import { requiresShared, sharedPath, REPO_ROOT } from '../../src/testing/shared.js';
import { HOSTILE_NAME, sampleReport } from './html-sample-report.js';

const SEARCH = findChromium();
const CHROMIUM = SEARCH.path;
const OUTPUT_DIR = join(REPO_ROOT, 'test-output');
// Without the background-networking flags chromium tries to reach Google, and the sandbox needs non-root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function requiresChromium(): { skip: string | false } {
  if (CHROMIUM) return { skip: false };
  if (process.env.CI === 'true') throw new Error(`CI=true but no Chromium was found (looked at ${SEARCH.looked}); .ci/run installs the Debian package "chromium"`);
  const reason = `no Chromium found (looked at ${SEARCH.looked}); browser tests skipped (install chromium, or set CHROME_PATH)`;
  process.stderr.write(`kfguard tests: ${reason}\n`);
  return { skip: reason };
}

async function openReport(browser: Browser, html: string, name: string): Promise<Page> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = join(OUTPUT_DIR, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const outsideRequests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) outsideRequests.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(pathToFileURL(file).href);
  const ready = await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  assert.deepEqual(pageErrors, [], 'the page script must run without errors');
  assert.ok(ready, 'the page script never finished');
  assert.deepEqual(outsideRequests, [], 'the report must not load anything from the network');
  return page;
}

const visibleCount = async (page: Page): Promise<number> => Number(await page.getAttribute('#visible-count', 'data-count'));
const rowCount = (page: Page): Promise<number> => page.locator('tr.finding-row').count();

async function expectCounts(page: Page, expected: number, what: string): Promise<void> {
  assert.equal(await visibleCount(page), expected, `visible count for ${what}`);
  assert.equal(await rowCount(page), Math.min(expected, HTML_PAGE_SIZE), `rendered rows for ${what}`);
}

async function clearFilters(page: Page): Promise<void> {
  await page.click('#clear-filters');
}

/** Saves the first screen and the whole page, for people checking how the report looks. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`) });
  await page.screenshot({ path: join(OUTPUT_DIR, `${name}-full.png`), fullPage: true });
}

/** The same match the page makes, computed independently from the report. */
function matchesSearch(finding: Finding, term: string): boolean {
  const location = finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}` : '';
  const { kind, namespace, name } = finding.resource;
  const text = [finding.ruleId, finding.title, finding.message, kind, namespace ?? '', name, location, finding.path ?? '', finding.evidence.join(' ')];
  return text.join('\n').toLowerCase().includes(term.toLowerCase());
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

describe('html report in chromium', requiresChromium(), () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  test('synthetic report: exact counts, filters, sorting, details, no script injection', async () => {
    const page = await openReport(browser, renderHtml(sampleReport(), { failOn: 'high' }), 'html-report-sample');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'hostile markup ran');
    assert.ok((await page.locator('td.res').allTextContents()).some((t) => t.includes(HOSTILE_NAME)), 'hostile name shows as text');
    await expectCounts(page, 4, 'no filter (suppressed hidden)');

    await page.selectOption('#filter-severity', 'critical');
    await expectCounts(page, 2, 'severity critical');
    await page.selectOption('#filter-category', 'exposure');
    await expectCounts(page, 1, 'critical exposure');
    await clearFilters(page);

    await page.selectOption('#filter-namespace', 'kubeflow');
    await expectCounts(page, 1, 'namespace kubeflow');
    await page.check('#filter-suppressed');
    await expectCounts(page, 2, 'namespace kubeflow with suppressed');
    await page.selectOption('#filter-namespace', CLUSTER_SCOPED);
    await expectCounts(page, 2, 'cluster-scoped');
    await clearFilters(page);

    await page.fill('#filter-search', 'STRATUM+tcp');
    await expectCounts(page, 1, 'search in evidence');
    await page.fill('#filter-search', 'no such text anywhere');
    await expectCounts(page, 0, 'search without match');
    assert.equal(await page.locator('td.empty').count(), 1);
    await clearFilters(page);

    await page.click('th[data-sort="severity"] button');
    assert.equal(await page.locator('tr.finding-row .sev').first().textContent(), 'low');
    await page.click('th[data-sort="severity"] button');
    assert.equal(await page.locator('tr.finding-row .sev').first().textContent(), 'critical');
    assert.equal(await page.getAttribute('th[data-sort="severity"]', 'aria-sort'), 'descending');

    await page.locator('tr.finding-row', { hasText: 'centraldashboard' }).click();
    const details = page.locator('tr.details');
    assert.equal(await details.count(), 1);
    assert.equal(await details.locator('svg.attack-path .hop-auth-missing').count(), 1);
    assert.match((await details.textContent()) ?? '', /authenticating proxy/);
    await page.keyboard.press('Enter');
    assert.equal(await details.count(), 0, 'Enter on the focused row closes its details');
    await page.keyboard.press('Enter');
    assert.equal(await details.count(), 1, 'and opens them again');
    assert.equal(await page.locator('#attack-paths svg.attack-path').count(), 1);
    assert.equal(await page.locator('#access-table tbody tr').count(), 1);
    await screenshot(page, 'html-report-sample');
    await page.close();
  });

  test('stays responsive with thousands of findings', async () => {
    const base = sampleReport();
    const findings = Array.from({ length: 5000 }, (_, i) => {
      const template = base.findings[i % base.findings.length] as Finding;
      return { ...template, resource: { ...template.resource, name: `workload-${i}` }, fingerprint: `fp-${i}` };
    });
    const big = buildReport({ findings, inputs: base.inputs });
    const started = performance.now();
    const page = await openReport(browser, renderHtml(big, { failOn: 'high' }), 'html-report-5000');
    const loadMs = performance.now() - started;
    const activeCount = activeFindings(big).length;
    await expectCounts(page, activeCount, '5000 findings');
    await page.click('#more-rows button');
    assert.equal(await rowCount(page), Math.min(activeCount, 2 * HTML_PAGE_SIZE));
    const filterStarted = performance.now();
    await page.fill('#filter-search', 'workload-4999');
    await expectCounts(page, activeFindings(big).filter((f) => f.resource.name === 'workload-4999').length, 'search one of 5000');
    const filterMs = performance.now() - filterStarted;
    process.stderr.write(`html report, 5000 findings: load ${loadMs.toFixed(0)} ms, filter ${filterMs.toFixed(0)} ms\n`);
    assert.ok(loadMs < 15_000, `loading took ${loadMs} ms`);
    await page.close();
  });

  describe('corpus scan', requiresShared(), () => {
    let report: Report;
    let active: readonly Finding[];
    let page: Page;
    before(async () => {
      report = await scanManifests({
        paths: [sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'), sharedPath('corpus', 'wild')],
        cwd: REPO_ROOT,
        readStdin: () => Promise.resolve(Buffer.alloc(0)),
        rules: ALL_RULES,
      });
      active = activeFindings(report);
      page = await openReport(browser, renderHtml(report, { failOn: 'high' }), 'html-report-corpus');
    });
    after(async () => {
      await page?.close();
    });

    test('shows every active finding, the summary total and one diagram per attack path', async () => {
      await expectCounts(page, active.length, 'no filter');
      assert.equal(Number(await page.textContent('#summary-total')), report.summary.total);
      const withPaths = active.filter((f) => (f.attackPath?.length ?? 0) > 0).length;
      assert.equal(await page.locator('#attack-paths svg.attack-path').count(), withPaths);
      const access = report.extensions.accessSummary;
      assert.equal(await page.locator('#access-table tbody tr').count(), access?.length ?? 0);
      if (access && access.length > 0) await page.locator('#access').screenshot({ path: join(OUTPUT_DIR, 'html-report-corpus-access.png') });
      await screenshot(page, 'html-report-corpus');
    });

    test('severity and category filters match the report', async () => {
      for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const) {
        await page.selectOption('#filter-severity', severity);
        await expectCounts(page, active.filter((f) => f.severity === severity).length, `severity ${severity}`);
        if (severity === 'high') await page.locator('#findings').screenshot({ path: join(OUTPUT_DIR, 'html-report-corpus-high.png') });
      }
      await clearFilters(page);
      for (const category of new Set([...active.map((f) => f.category), 'threat' as const])) {
        await page.selectOption('#filter-category', category);
        await expectCounts(page, active.filter((f) => f.category === category).length, `category ${category}`);
      }
      await clearFilters(page);
    });

    test('namespace filter and text search match the report', async () => {
      const namespace = mostCommon(active.map((f) => f.resource.namespace ?? ''));
      if (namespace !== undefined) {
        await page.selectOption('#filter-namespace', namespace || CLUSTER_SCOPED);
        await expectCounts(page, active.filter((f) => (f.resource.namespace ?? '') === namespace).length, `namespace "${namespace}"`);
        await clearFilters(page);
      }
      for (const term of ['kubeflow', 'LoadBalancer', active[0]?.ruleId ?? 'dashboard']) {
        await page.fill('#filter-search', term);
        await expectCounts(page, active.filter((f) => matchesSearch(f, term)).length, `search "${term}"`);
      }
      await clearFilters(page);
      await expectCounts(page, active.length, 'after clearing');
    });

    test('sorting by rule puts the alphabetically first rule on top', async () => {
      await page.click('th[data-sort="rule"] button');
      const first = [...active].map((f) => f.ruleId).sort((a, b) => a.localeCompare(b))[0];
      if (first === undefined) {
        assert.equal(await page.locator('td.empty').count(), 1, 'an empty report says so');
        return;
      }
      assert.equal(await page.locator('tr.finding-row td:nth-child(2) .mono').first().textContent(), first);
      await page.click('th[data-sort="rule"] button');
      const last = [...active].map((f) => f.ruleId).sort((a, b) => b.localeCompare(a))[0];
      assert.equal(await page.locator('tr.finding-row td:nth-child(2) .mono').first().textContent(), last);
    });
  });
});
