import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadAll } from 'js-yaml';
import type { Finding, ReportedOrigin } from '../../src/core/types.js';
import { FORMATTERS } from '../../src/report/formats.js';
import { escapeInline } from '../../src/report/markdown.js';
import { originLabel } from '../../src/report/origin-label.js';
import { xmlText } from '../../src/report/xml.js';
import { buildReport } from '../../src/report/report.js';
import { renderOptions, syntheticFinding } from './helpers/formats-fixtures.js';

/** One finding from each kind of source, none of which has a file location except the first. */
const ORIGINS: readonly ReportedOrigin[] = [
  { kind: 'file', reader: 'file', file: 'deploy/app.yaml', path: 'deploy/app.yaml' },
  { kind: 'cluster', context: 'prod-eu', resourceVersion: '48213' },
  { kind: 'admission', uid: '5f1c-admission-uid', operation: 'CREATE', user: 'system:serviceaccount:kubeflow:pipeline-runner', groups: ['system:serviceaccounts'], dryRun: true },
  { kind: 'audit', auditID: 'a1b2c3-audit-id', timestamp: '2026-11-30T03:12:44Z', user: 'system:anonymous', sourceIPs: ['198.51.100.23'], verb: 'create', userAgent: 'curl/8.4' },
  { kind: 'api', api: 'ray', endpoint: '/api/jobs/', id: 'raysubmit_9xk2', uiLink: 'http://ray.example/#/jobs/raysubmit_9xk2' },
  { kind: 'probe', url: 'https://kubeflow.example.com/pipeline/apis/v2beta1/healthz' },
];

function findingFrom(origin: ReportedOrigin, index: number): Finding {
  const { location: _location, ...rest } = syntheticFinding(index);
  const source = origin.kind === 'file' ? 'manifest' : origin.kind;
  return { ...rest, source, origin, ...(origin.kind === 'file' ? { location: { file: origin.file, line: 3, column: 5 } } : {}) };
}

const report = buildReport({
  findings: ORIGINS.map(findingFrom),
  inputs: { files: 1, documents: 1, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
  coverage: [{ ruleId: 'kubeflow-dashboard-exposed', source: 'audit', reason: 'not evaluated: audit events carry single objects' }],
});

describe('findings from every kind of source', () => {
  test('each non-file origin has a label in its own terms', () => {
    assert.equal(originLabel(ORIGINS[0]), undefined);
    assert.match(originLabel(ORIGINS[1]) ?? '', /cluster context prod-eu, resourceVersion 48213/);
    assert.match(originLabel(ORIGINS[2]) ?? '', /admission CREATE by system:serviceaccount:kubeflow:pipeline-runner \(uid 5f1c-admission-uid, dry run\)/);
    assert.match(originLabel(ORIGINS[3]) ?? '', /audit event a1b2c3-audit-id: create by system:anonymous from 198\.51\.100\.23/);
    assert.match(originLabel(ORIGINS[4]) ?? '', /ray API \/api\/jobs\/ \(raysubmit_9xk2\)/);
    assert.match(originLabel(ORIGINS[5]) ?? '', /probe of https:\/\/kubeflow\.example\.com/);
  });

  test('the text report shows where each finding came from, and what was not evaluated', () => {
    const text = FORMATTERS.text.render(report, renderOptions());
    assert.match(text, /deploy\/app\.yaml:3:5/);
    for (const origin of ORIGINS.slice(1)) assert.ok(text.includes(originLabel(origin) as string), `text lacks ${originLabel(origin)}`);
    assert.match(text, /Not evaluated: 1/);
    assert.match(text, /kubeflow-dashboard-exposed on audit: not evaluated: audit events carry single objects/);
  });

  test('the JSON report carries the typed origin and the coverage entries', () => {
    const json = JSON.parse(FORMATTERS.json.render(report, renderOptions())) as { findings: Finding[]; coverage: unknown[] };
    assert.deepEqual(json.findings.map((f) => f.origin?.kind).sort(), ORIGINS.map((o) => o.kind).sort());
    assert.equal(json.coverage.length, 1);
  });

  test('every format renders findings without a file location', () => {
    for (const [name, formatter] of Object.entries(FORMATTERS)) {
      const output = formatter.render(report, renderOptions());
      assert.ok(output.length > 0, `${name} rendered nothing`);
    }
  });
});

describe('markdown and html name non-file origins', () => {
  test('each label appears, escaped', () => {
    for (const name of ['markdown', 'html'] as const) {
      const output = FORMATTERS[name].render(report, renderOptions());
      assert.ok(output.includes('cluster context prod-eu'), `${name} lacks the cluster origin`);
      assert.ok(output.includes('ray API /api/jobs/'), `${name} lacks the api origin`);
    }
  });
});

/** Who, when and through which door, with text an attacker controls (the user agent) in it. */
const HOSTILE_AUDIT: ReportedOrigin = {
  kind: 'audit',
  auditID: 'd4e5-audit-id',
  timestamp: '2026-11-30T03:12:44Z',
  user: 'system:anonymous',
  groups: ['system:unauthenticated'],
  sourceIPs: ['198.51.100.23'],
  verb: 'create',
  objectRef: 'pods kubeflow-user/miner',
  userAgent: '![b](https://beacon.example.com/p.png)</failure><img src=x>',
};

describe('JUnit, GitLab SAST and PolicyReport carry non-file origins', () => {
  const withHostile = buildReport({
    findings: [...ORIGINS, HOSTILE_AUDIT].map(findingFrom),
    inputs: { files: 1, documents: 1, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
  });
  const nonFile = [...ORIGINS.slice(1), HOSTILE_AUDIT];

  test('junit: each failure names its origin, escaped', () => {
    const xml = FORMATTERS.junit.render(withHostile, renderOptions());
    for (const origin of nonFile) assert.ok(xml.includes(xmlText(`origin: ${originLabel(origin)}`)), `junit lacks ${originLabel(origin)}`);
    assert.ok(!xml.includes('</failure><img'), 'the user agent closed the failure element');
  });

  test('gitlab-sast: each description names its origin, with no live Markdown from it', () => {
    const sast = JSON.parse(FORMATTERS['gitlab-sast'].render(withHostile, renderOptions())) as { vulnerabilities: { description: string }[] };
    const descriptions = sast.vulnerabilities.map((v) => v.description).join('\n');
    for (const origin of nonFile) assert.ok(descriptions.includes(`Origin: ${escapeInline(originLabel(origin) as string)}`), `gitlab-sast lacks ${originLabel(origin)}`);
    assert.ok(descriptions.includes('d4e5-audit-id'));
    assert.ok(!/<img|!\[|\]\(/.test(descriptions), descriptions);
  });

  test('policyreport: each result carries its origin as properties, field by field', () => {
    const documents = loadAll(FORMATTERS.policyreport.render(withHostile, renderOptions())) as { results: { properties?: Record<string, string> }[] }[];
    const properties = documents.flatMap((d) => d.results).flatMap((r) => (r.properties ? [r.properties] : []));
    for (const origin of nonFile.filter((o) => o.kind !== 'cluster')) assert.ok(properties.some((p) => p.origin === originLabel(origin)), `policyreport lacks ${originLabel(origin)}`);
    const audit = properties.find((p) => p['origin.auditID'] === 'd4e5-audit-id');
    assert.ok(audit, 'no audit result');
    assert.equal(audit['origin.user'], 'system:anonymous');
    assert.equal(audit['origin.groups'], 'system:unauthenticated');
    assert.equal(audit['origin.sourceIPs'], '198.51.100.23');
    assert.equal(audit['origin.verb'], 'create');
    assert.equal(audit['origin.objectRef'], 'pods kubeflow-user/miner');
    assert.equal(audit['origin.timestamp'], '2026-11-30T03:12:44Z');
    assert.equal(audit['origin.userAgent'], HOSTILE_AUDIT.userAgent);
    assert.ok(properties.some((p) => p['origin.uiLink'] === 'http://ray.example/#/jobs/raysubmit_9xk2'));
    assert.ok(properties.some((p) => p['origin.context'] === 'prod-eu' && p['origin.resourceVersion'] === undefined), 'a resourceVersion would rewrite the report on every write');
    assert.ok(!properties.some((p) => p['origin.kind'] === 'file'), 'file origins are named by the location');
  });
});
