import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import assert from 'node:assert/strict';
import { activeFindings, buildReport, type Report } from '../../src/report/report.js';
import { junitFormatter } from '../../src/report/junit.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { renderOptions, scanFiles, syntheticFinding } from './helpers/formats-fixtures.js';
import { descendants, parseXml, type XmlElement } from './helpers/xml-reader.js';

const CORPUS_FILES = [
  'wild/kubeflow__pipelines__k8s_pipeline-frontend.yaml',
  'wild/ArdentMC__ai-streamliner__kubeflow_ingress.yaml',
  'wild/kubernetes__dashboard__aio_deploy_alternative.yaml',
  'wild/kubeflow__manifests__common_dex_base_service.yaml',
];

/**
 * Validates against the Ant JUnit XSD with libxml2 compiled to WebAssembly (xmllint-wasm), so the
 * check runs wherever Node does, with no system xmllint. Returns xmllint's errors, '' when valid.
 */
async function xsdErrors(xml: string): Promise<string> {
  const schema = readFileSync(sharedPath('schemas', 'junit', 'JUnit.xsd'), 'utf8');
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [schema] });
  return result.valid ? '' : result.errors.map((e) => e.rawMessage).join('\n') || result.rawOutput;
}

function render(report: Report): XmlElement {
  return parseXml(junitFormatter.render(report, renderOptions()));
}

const count = (root: XmlElement, name: string): number => descendants(root, name).length;

describe('junit formatter on corpus manifests', requiresShared(), async () => {
  test('has one testcase per evaluation and one failure per finding, and passes the XSD', async () => {
    const report = await scanFiles(sharedPath('corpus'), CORPUS_FILES);
    const evaluations = report.extensions.evaluations ?? [];
    const failingResources = new Set(report.findings.map((f) => `${f.ruleId} ${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}`));
    const extraCases = report.findings.length - failingResources.size;
    assert.ok(evaluations.length > report.findings.length, 'some evaluations pass');
    const xml = junitFormatter.render(report, renderOptions());
    assert.equal(await xsdErrors(xml), '');
    const root = parseXml(xml);
    assert.equal(root.name, 'testsuites');
    assert.equal(count(root, 'testcase'), evaluations.length + extraCases);
    assert.equal(count(root, 'failure'), activeFindings(report).length);
    for (const suite of descendants(root, 'testsuite')) {
      assert.equal(Number(suite.attributes.tests), count(suite, 'testcase'));
      assert.equal(Number(suite.attributes.failures), count(suite, 'failure'));
    }
  });
});

describe('junit formatter', () => {
  const hostile = '<x>&"\'\u0001]]></testcase>';
  const report = buildReport({
    inputs: { files: 1, documents: 3, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
    findings: [
      syntheticFinding(0, { ruleId: 'rule-a', path: 'spec.template.spec.containers[0].image' }),
      syntheticFinding(0, { ruleId: 'rule-a', path: 'spec.template.spec.containers[1].image', fingerprint: 'second' }),
      syntheticFinding(1, { ruleId: 'rule-a', message: hostile, suppression: { kind: 'config', reason: 'owned by another team' } }),
      syntheticFinding(2, { ruleId: 'rule-b', resource: { apiVersion: 'v1', kind: 'Service', name: hostile } }),
    ],
    ruleErrors: [{ ruleId: 'rule-b', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'x', name: 'broken' }, message: 'boom' }],
    extensions: {
      evaluations: [
        { ruleId: 'rule-a', resource: syntheticFinding(0).resource },
        { ruleId: 'rule-a', resource: syntheticFinding(1).resource },
        { ruleId: 'rule-a', resource: syntheticFinding(9).resource },
        { ruleId: 'rule-b', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'x', name: 'broken' } },
      ],
    },
  });

  test('counts passes, failures, skips and errors per rule', () => {
    const root = render(report);
    const suites = descendants(root, 'testsuite');
    assert.deepEqual(
      suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.skipped, s.attributes.errors]),
      [
        ['rule-a', '4', '2', '1', '0'],
        ['rule-b', '2', '1', '0', '1'],
      ],
    );
  });

  test('writes a CR from input as &#13;, so the file holds no raw CR and the text reads back unchanged', () => {
    const crReport = buildReport({
      inputs: { files: 1, documents: 1, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
      findings: [syntheticFinding(0, { ruleId: 'rule-a', message: 'miner\rSummary: no findings — passes' })],
    });
    const xml = junitFormatter.render(crReport, renderOptions());
    assert.ok(!xml.includes('\r'), 'a raw CR reached the JUnit file');
    const failure = descendants(parseXml(xml), 'failure')[0];
    assert.ok(failure, 'the finding gave no <failure>; the test would prove nothing');
    assert.match(failure.text, /miner\rSummary: no findings/);
  });

  test('names several findings on one resource by their field', () => {
    const names = descendants(render(report), 'testcase').map((c) => c.attributes.name);
    assert.ok(names.includes('Deployment team-0/workload-0 spec.template.spec.containers[1].image'), names.join('\n'));
  });

  test('escapes hostile text and still passes the XSD', requiresShared(), async () => {
    const xml = junitFormatter.render(report, renderOptions());
    assert.equal(await xsdErrors(xml), '');
    const skipped = descendants(parseXml(xml), 'skipped')[0];
    // The control character XML cannot hold is shown as `\u0001`, as the text report shows it.
    assert.match(skipped?.text ?? '', /<x>&"'\\u0001\]\]><\/testcase>/);
    assert.ok(descendants(parseXml(xml), 'testcase').some((c) => c.attributes.name === 'Service <x>&"\'\\u0001]]></testcase>'));
  });

  test('lists the warnings, the config note first, as skipped testcases of their own suite, still XSD-valid', requiresShared(), async () => {
    const note = 'config .kfguard.yaml loaded: switches off crypto-miner-workload';
    const xml = junitFormatter.render({ ...report, warnings: [note, hostile] }, renderOptions());
    assert.equal(await xsdErrors(xml), '');
    const [first] = descendants(parseXml(xml), 'testsuite');
    assert.equal(first?.attributes.name, 'kfguard-warnings');
    assert.deepEqual(first && [first.attributes.tests, first.attributes.skipped, first.attributes.failures], ['2', '2', '0']);
    assert.deepEqual(first && descendants(first, 'skipped').map((s) => s.attributes.message), [note, hostile.replace('\u0001', '\\u0001')]);
    assert.deepEqual(first && descendants(first, 'property').map((p) => p.attributes.value), [note, hostile.replace('\u0001', '\\u0001')]);
  });

  test('the XSD check rejects a malformed report', requiresShared(), async () => {
    assert.notEqual(await xsdErrors('<testsuites><testsuite name="x"/></testsuites>'), '');
  });

  test('an empty report is still a valid document', requiresShared(), async () => {
    const empty = buildReport({ findings: [], inputs: { files: 0, documents: 0, skipped: 0, skippedFiles: 0, skippedDocuments: 0 } });
    const xml = junitFormatter.render(empty, renderOptions());
    assert.equal(await xsdErrors(xml), '');
    assert.equal(count(parseXml(xml), 'testcase'), 0);
  });
});
