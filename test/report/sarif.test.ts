import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePath } from '../../src/core/path.js';
import { SECURITY_SEVERITY_SCORE } from '../../src/core/severity.js';
import { buildReport, type Report } from '../../src/report/report.js';
import { sarifFormatter } from '../../src/report/sarif.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { draft04Validator, type Validate } from './helpers/schema-validators.js';
import { renderOptions, scanFiles, syntheticFinding, TEST_RULES } from './helpers/formats-fixtures.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification: string }[];
  properties: { path?: string };
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: { id: string; properties: Record<string, unknown>; help: { text: string; markdown: string }; fullDescription: { text: string } }[] } };
    invocations?: { toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
    results: SarifResult[];
  }[];
}

const CORPUS_FILES = ['wild/kubeflow__pipelines__k8s_pipeline-frontend.yaml', 'wild/ArdentMC__ai-streamliner__kubeflow_ingress.yaml'];

let compiled: Validate | undefined;

function validator(): Validate {
  compiled ??= draft04Validator(JSON.parse(readFileSync(sharedPath('schemas', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>);
  return compiled;
}

function render(report: Report, base: string, cwd = base): SarifLog {
  return JSON.parse(sarifFormatter.render(report, renderOptions({ cwd, sarifBase: base }))) as SarifLog;
}

function onlyRun(log: SarifLog): SarifLog['runs'][number] {
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  assert.ok(run);
  return run;
}

/** True when the text at (line, column) is the field the path names: `key:` for a key, `- ` before it for a list item. */
function pointsAtField(fileText: string, line: number, column: number, path: string): boolean {
  const lineText = fileText.split('\n')[line - 1] ?? '';
  const last = parsePath(path).at(-1);
  if (typeof last === 'number') return /-\s*$/.test(lineText.slice(0, column - 1));
  return lineText.slice(column - 1).startsWith(`${String(last)}:`);
}

describe('sarif formatter on corpus manifests', requiresShared(), () => {
  const corpus = sharedPath('corpus');

  test('is valid against the SARIF 2.1.0 schema', async () => {
    const report = await scanFiles(corpus, CORPUS_FILES);
    assert.ok(report.findings.length >= 2, `expected findings, got ${report.findings.length}`);
    assert.deepEqual(validator()(render(report, corpus)), []);
  });

  test('regions point at the offending field in the real file text', async () => {
    const report = await scanFiles(corpus, CORPUS_FILES);
    const run = onlyRun(render(report, corpus));
    let checked = 0;
    for (const result of run.results) {
      const location = result.locations?.[0]?.physicalLocation;
      assert.ok(location?.region, `${result.ruleId} has a region`);
      const text = readFileSync(join(corpus, decodeURIComponent(location.artifactLocation.uri)), 'utf8');
      assert.ok(result.properties.path);
      assert.ok(
        pointsAtField(text, location.region.startLine, location.region.startColumn, result.properties.path),
        `${result.ruleId} ${location.artifactLocation.uri}:${location.region.startLine}:${location.region.startColumn} should point at ${result.properties.path}`,
      );
      checked++;
    }
    assert.equal(checked, report.findings.length);
    const service = run.results.find((r) => r.ruleId === 'test-public-service');
    assert.deepEqual(service?.locations?.[0]?.physicalLocation, {
      artifactLocation: { uri: 'wild/kubeflow__pipelines__k8s_pipeline-frontend.yaml' },
      region: { startLine: 8, startColumn: 3 },
    });
  });

  test('uris are relative to --sarif-base, not to the current directory', async () => {
    const report = await scanFiles(corpus, CORPUS_FILES);
    const run = onlyRun(render(report, join(corpus, 'wild'), corpus));
    const uris = new Set(run.results.map((r) => r.locations?.[0]?.physicalLocation.artifactLocation.uri));
    assert.deepEqual([...uris].sort(), ['ArdentMC__ai-streamliner__kubeflow_ingress.yaml', 'kubeflow__pipelines__k8s_pipeline-frontend.yaml']);
  });
});

describe('sarif formatter', () => {
  const base = '/repo';
  const report = buildReport({
    inputs: { files: 3, documents: 3, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
    findings: [
      syntheticFinding(0, { ruleId: 'test-public-service', severity: 'critical', location: { file: 'apps/a b.yaml', line: 4, column: 5 } }),
      syntheticFinding(1, { ruleId: 'test-public-service', severity: 'medium', location: { file: 'overlays/prod (kustomize)', line: 120, column: 3 }, origin: { kind: 'file', reader: 'kustomize', file: 'overlays/prod (kustomize)', path: 'overlays/prod' } }),
      syntheticFinding(2, { ruleId: 'test-ingress-host', severity: 'low', location: { file: '<stdin>', line: 2, column: 1 } }),
      syntheticFinding(3, { ruleId: 'test-every-image', severity: 'high', suppression: { kind: 'inline', reason: 'lab cluster' } }),
      syntheticFinding(4, { ruleId: 'rule-not-in-options', severity: 'info', suppression: { kind: 'baseline', reason: 'accepted in baseline' } }),
      syntheticFinding(5, { ruleId: 'test-public-service', severity: 'high', location: { file: '../elsewhere/x.yaml', line: 1, column: 1 } }),
    ],
  });
  const run = onlyRun(render(report, base));
  const byFingerprint = (fp: string): SarifResult => {
    const found = run.results.find((r) => r.partialFingerprints['kfguard/v1'] === fp);
    assert.ok(found, fp);
    return found;
  };

  test('is schema-valid with suppressions, kustomize, stdin and outside-base findings', requiresShared(), () => {
    assert.deepEqual(validator()(render(report, base)), []);
  });

  test('carries the warnings, the config note first, as run notifications, still schema-valid', requiresShared(), () => {
    const note = 'config .kfguard.yaml loaded: switches off crypto-miner-workload';
    const warned = { ...report, warnings: [note, 'hostile <x>&"\u0001'] };
    assert.deepEqual(validator()(render(warned, base)), []);
    const notifications = onlyRun(render(warned, base)).invocations?.[0]?.toolExecutionNotifications ?? [];
    assert.deepEqual(notifications.map((n) => [n.level, n.message.text]), [['warning', note], ['warning', 'hostile <x>&"\u0001']]);
  });

  test('lists every rule that ran plus rules only findings name, with severities GitHub reads', () => {
    const rules = run.tool.driver.rules;
    assert.deepEqual(rules.map((r) => r.id), ['rule-not-in-options', ...TEST_RULES.map((r) => r.meta.id)].sort());
    const service = rules.find((r) => r.id === 'test-public-service');
    assert.equal(service?.properties['security-severity'], SECURITY_SEVERITY_SCORE.high);
    assert.match(service?.help.markdown ?? '', /Change the field/);
    assert.doesNotMatch(service?.fullDescription.text ?? '', /`/);
    // SARIF makes informationUri optional; kfguard has no published home page to name yet.
    assert.equal(run.tool.driver.informationUri, undefined);
    for (const result of run.results) assert.equal(rules[result.ruleIndex]?.id, result.ruleId);
  });

  test('maps severities to levels', () => {
    assert.equal(byFingerprint('fingerprint-0').level, 'error');
    assert.equal(byFingerprint('fingerprint-1').level, 'warning');
    assert.equal(byFingerprint('fingerprint-2').level, 'note');
  });

  test('encodes uris and keeps regions only where the lines belong to the file', () => {
    assert.deepEqual(byFingerprint('fingerprint-0').locations?.[0]?.physicalLocation, {
      artifactLocation: { uri: 'apps/a%20b.yaml' },
      region: { startLine: 4, startColumn: 5 },
    });
    assert.deepEqual(byFingerprint('fingerprint-1').locations?.[0]?.physicalLocation, { artifactLocation: { uri: 'overlays/prod/kustomization.yaml' } });
    assert.equal(byFingerprint('fingerprint-2').locations, undefined);
    assert.equal(byFingerprint('fingerprint-5').locations?.[0]?.physicalLocation.artifactLocation.uri, 'file:///elsewhere/x.yaml');
  });

  test('marks suppressed findings with their kind and reason', () => {
    assert.deepEqual(byFingerprint('fingerprint-3').suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'lab cluster' }]);
    assert.equal(byFingerprint('fingerprint-4').suppressions?.[0]?.kind, 'external');
    assert.equal(byFingerprint('fingerprint-0').suppressions, undefined);
  });

  test('the schema check rejects a broken log', requiresShared(), () => {
    const broken = render(report, base) as unknown as { runs: { results: { level: string }[] }[] };
    const first = broken.runs[0]?.results[0];
    assert.ok(first);
    first.level = 'fatal';
    assert.notDeepEqual(validator()(broken), []);
  });

  test('is deterministic', () => {
    const options = renderOptions({ cwd: base, sarifBase: base });
    assert.equal(sarifFormatter.render(report, options), sarifFormatter.render(report, options));
  });
});
