import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { load, loadAll } from 'js-yaml';
import { buildReport } from '../../src/report/report.js';
import { policyReportFormatter, policyReportsOfFindings } from '../../src/report/policyreport.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';
import { openApiValidator, type Validate } from './helpers/schema-validators.js';
import { renderOptions, scanFiles, syntheticFinding } from './helpers/formats-fixtures.js';

interface PolicyResult {
  policy: string;
  rule: string;
  result: string;
  severity?: string;
  category?: string;
  source: string;
  scored?: boolean;
  message?: string;
  resources?: { kind: string; name: string; namespace?: string }[];
  properties?: Record<string, string>;
}

interface PolicyReportDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  summary: Record<string, number>;
  results: PolicyResult[];
}

/** The v1alpha2 schema out of a CRD; Kubernetes' `x-kubernetes-*` keywords are ignored (strict: false). */
function crdValidator(file: string): Validate {
  const crd = load(readFileSync(sharedPath('schemas', 'policyreport', file), 'utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha2');
  assert.ok(version, `${file} serves v1alpha2`);
  return openApiValidator(version.schema.openAPIV3Schema);
}

let validators: Record<string, Validate> | undefined;

function validatorFor(kind: string): Validate {
  validators ??= {
    PolicyReport: crdValidator('wgpolicyk8s.io_policyreports.yaml'),
    ClusterPolicyReport: crdValidator('wgpolicyk8s.io_clusterpolicyreports.yaml'),
  };
  const validate = validators[kind];
  assert.ok(validate, `unexpected kind ${kind}`);
  return validate;
}

function parse(yaml: string): PolicyReportDoc[] {
  return loadAll(yaml) as PolicyReportDoc[];
}

const inputs = { files: 1, documents: 5, skipped: 0, skippedFiles: 0, skippedDocuments: 0 };

describe('policyreport formatter', () => {
  const report = buildReport({
    inputs,
    findings: [
      syntheticFinding(0, { severity: 'critical', resource: { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'dashboard' } }),
      syntheticFinding(1, { severity: 'low', resource: { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'other' } }),
      syntheticFinding(2, { severity: 'high', resource: { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'ok' }, suppression: { kind: 'inline', reason: 'internal only' } }),
      syntheticFinding(3, { severity: 'high', resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'edit-all' } }),
      syntheticFinding(4, { severity: 'medium', resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'unplaced' } }),
    ],
    ruleErrors: [{ ruleId: 'rule-x', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'team', name: 'p' }, message: 'boom' }],
    extensions: { evaluations: [{ ruleId: 'rule-y', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'team', name: 'p' } }] },
  });
  const docs = parse(policyReportFormatter.render(report, renderOptions()));

  test('writes a PolicyReport per namespace and a ClusterPolicyReport for cluster-scoped resources', () => {
    assert.deepEqual(
      docs.map((d) => [d.kind, d.metadata.namespace ?? null, d.results.length]),
      [
        ['PolicyReport', null, 1],
        ['ClusterPolicyReport', null, 1],
        ['PolicyReport', 'kubeflow', 3],
        ['PolicyReport', 'team', 2],
      ],
    );
    for (const doc of docs) assert.equal(doc.apiVersion, 'wgpolicyk8s.io/v1alpha2');
  });

  test('is valid against the CRD schemas', requiresShared(), () => {
    for (const doc of docs) assert.deepEqual(validatorFor(doc.kind)(doc), [], `${doc.kind} ${doc.metadata.namespace ?? ''}`);
  });

  test('carries the warnings, the config note first, as unscored warn results of the cluster report, still CRD-valid', requiresShared(), () => {
    const note = 'config .kfguard.yaml loaded: switches off crypto-miner-workload';
    const warned = parse(policyReportFormatter.render({ ...report, warnings: [note] }, renderOptions()));
    for (const doc of warned) assert.deepEqual(validatorFor(doc.kind)(doc), [], `${doc.kind} ${doc.metadata.namespace ?? ''}`);
    const cluster = warned.find((d) => d.kind === 'ClusterPolicyReport');
    assert.deepEqual(cluster?.results.filter((r) => r.policy === 'kfguard-warning').map((r) => [r.result, r.scored, r.message]), [['warn', false, note]]);
    assert.equal(cluster?.summary.warn, 1);
  });

  test('the CRD check rejects an invalid result', requiresShared(), () => {
    const broken = structuredClone(docs[0]) as PolicyReportDoc;
    const first = broken.results[0];
    assert.ok(first);
    first.result = 'failed';
    assert.notDeepEqual(validatorFor('PolicyReport')(broken), []);
  });

  test('maps severities, suppressions, errors and passes to results, and sums them', () => {
    const kubeflow = docs.find((d) => d.metadata.namespace === 'kubeflow');
    assert.deepEqual(kubeflow?.results.map((r) => [r.result, r.severity]), [['fail', 'critical'], ['warn', 'low'], ['skip', 'high']]);
    assert.deepEqual(kubeflow?.summary, { pass: 0, fail: 1, warn: 1, error: 0, skip: 1 });
    const team = docs.find((d) => d.metadata.namespace === 'team');
    assert.deepEqual(team?.results.map((r) => [r.policy, r.result]), [['rule-x', 'error'], ['rule-y', 'pass']]);
    const first = kubeflow?.results[0];
    assert.equal(first?.source, 'kfguard');
    assert.equal(first?.properties?.path, 'spec.template.spec.containers[0].args[2]');
    assert.match(first?.properties?.location ?? '', /^manifests\/team-0\/workload-0\.yaml:10:7$/);
  });
});

describe('policyreport formatter on corpus manifests', requiresShared(), () => {
  test('every document validates and counts match the findings', async () => {
    const report = await scanFiles(sharedPath('corpus'), ['wild/kubeflow__pipelines__k8s_pipeline-frontend.yaml', 'wild/ArdentMC__ai-streamliner__kubeflow_ingress.yaml', 'wild/kubernetes__dashboard__aio_deploy_alternative.yaml']);
    const docs = parse(policyReportFormatter.render(report, renderOptions()));
    assert.ok(docs.length >= 2);
    let failing = 0;
    for (const doc of docs) {
      assert.deepEqual(validatorFor(doc.kind)(doc), []);
      failing += (doc.summary.fail ?? 0) + (doc.summary.warn ?? 0);
    }
    assert.equal(failing, report.findings.length);
  });
});

describe('policyreport formatter with many results', () => {
  test('splits a namespace into several reports that stay far below the etcd object limit', () => {
    const findings = Array.from({ length: 1200 }, (_, i) =>
      syntheticFinding(i, { resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'busy', name: `pod-${i}` } }),
    );
    const docs = parse(policyReportFormatter.render(buildReport({ inputs, findings }), renderOptions()));
    assert.deepEqual(docs.map((d) => d.metadata.name), ['kfguard', 'kfguard-2', 'kfguard-3']);
    assert.equal(docs.reduce((sum, d) => sum + d.results.length, 0), 1200);
    for (const doc of docs) assert.ok(JSON.stringify(doc).length < 1_000_000);
  });

  // etcd's default --max-request-bytes: a report over it is never stored (the watch's write fails).
  const ETCD_LIMIT = 1_572_864;
  /** 500 findings as large as the miner rule makes them: a 253-character name, 12 evidence lines. */
  const bulky = Array.from({ length: 500 }, (_, i) =>
    syntheticFinding(i, {
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'flood', name: `miner-${i}-${'y'.repeat(240)}` },
      message: `Pod flood/miner-${i}-${'y'.repeat(240)} runs a crypto miner: Stratum URL, mining pool host, miner binary, download-and-execute chain`,
      evidence: Array.from({ length: 12 }, (_, e) => `signal ${e} "${'z'.repeat(180)}" in container "c${e}-${'x'.repeat(40)}" command[2]`),
    }),
  );

  for (const [name, render] of [
    ['the formatter', (): PolicyReportDoc[] => parse(policyReportFormatter.render(buildReport({ inputs, findings: bulky }), renderOptions()))],
    ['the watch sink (open findings)', (): PolicyReportDoc[] => policyReportsOfFindings(bulky) as unknown as PolicyReportDoc[]],
  ] as const) {
    test(`${name}: 500 bulky results are split by size too, every report well under etcd's limit`, () => {
      const docs = render();
      assert.ok(docs.length >= 2, `${docs.length} report(s)`);
      assert.deepEqual(docs.map((d) => d.metadata.name), docs.map((_, i) => (i === 0 ? 'kfguard' : `kfguard-${i + 1}`)));
      assert.equal(docs.reduce((sum, d) => sum + d.results.length, 0), 500);
      for (const doc of docs) assert.ok(Buffer.byteLength(JSON.stringify(doc)) < ETCD_LIMIT * 0.7, `${doc.metadata.name}: ${Buffer.byteLength(JSON.stringify(doc))} bytes`);
    });
  }
});
