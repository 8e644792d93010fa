import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RuleMeta } from '../../src/core/rule.js';
import { formatterFor } from '../../src/report/formats.js';
import { GITLAB_SAST_SCHEMA_VERSION, renderGitlabSast } from '../../src/report/gitlab-sast.js';
import { activeFindings } from '../../src/report/report.js';
import { sampleReport } from './html-sample-report.js';

interface GitlabVulnerability {
  id: string;
  name: string;
  severity: string;
  description: string;
  solution: string;
  identifiers: { type: string; name: string; value: string; url?: string }[];
  links?: { url: string }[];
  location: { file?: string; start_line?: number; end_line?: number };
}

const rules = [{ id: 'dashboard-exposed-without-auth', references: ['https://www.kubeflow.org/docs/'] }] as unknown as RuleMeta[];
const scannedAt = new Date('2026-03-04T05:06:07.890Z');

describe('gitlab-sast formatter', () => {
  const report = sampleReport();
  const parsed = JSON.parse(renderGitlabSast(report, { rules }, scannedAt)) as {
    version: string;
    scan: Record<string, unknown> & { analyzer: { id: string; vendor: { name: string } }; scanner: { id: string } };
    vulnerabilities: GitlabVulnerability[];
  };

  test('is registered', () => {
    assert.equal(formatterFor('gitlab-sast').name, 'gitlab-sast');
  });

  test('carries the scan envelope GitLab 15.x requires', () => {
    assert.equal(parsed.version, GITLAB_SAST_SCHEMA_VERSION);
    assert.match(parsed.version, /^15\.\d+\.\d+$/);
    assert.equal(parsed.scan.type, 'sast');
    assert.equal(parsed.scan.status, 'success');
    assert.equal(parsed.scan.start_time, '2026-03-04T05:06:07');
    assert.equal(parsed.scan.end_time, '2026-03-04T05:06:07');
    assert.equal(parsed.scan.analyzer.id, 'kfguard');
    assert.equal(parsed.scan.analyzer.vendor.name, 'kfguard');
    assert.equal(parsed.scan.scanner.id, 'kfguard');
  });

  test('lists active findings only, with stable unique ids, GitLab severities and locations', () => {
    const active = activeFindings(report);
    assert.equal(parsed.vulnerabilities.length, active.length);
    assert.ok(!parsed.vulnerabilities.some((v) => v.name.includes('jupyter-web-app')), 'the suppressed finding is left out');
    const ids = parsed.vulnerabilities.map((v) => v.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = JSON.parse(renderGitlabSast(report, { rules }, new Date())) as { vulnerabilities: GitlabVulnerability[] };
    assert.deepEqual(again.vulnerabilities.map((v) => v.id), ids, 'ids do not depend on the scan time');
    assert.deepEqual(parsed.vulnerabilities.map((v) => v.severity), active.map((f) => f.severity[0]?.toUpperCase() + f.severity.slice(1)));
    for (const v of parsed.vulnerabilities) {
      assert.ok(['Critical', 'High', 'Medium', 'Low', 'Info', 'Unknown'].includes(v.severity));
      assert.ok(v.identifiers.length > 0 && v.identifiers.every((i) => i.type && i.name && i.value));
      assert.ok(v.name.length > 0 && v.name.length <= 255);
    }
  });

  test('maps rule ids, MITRE ids, evidence, attack paths and references', () => {
    const exposure = parsed.vulnerabilities.find((v) => v.identifiers[0]?.value === 'dashboard-exposed-without-auth');
    assert.ok(exposure);
    assert.deepEqual(exposure.location, { file: 'manifests/dashboard.yaml', start_line: 12, end_line: 12 });
    assert.deepEqual(exposure.identifiers[1], { type: 'mitre_attack', name: 'T1133', value: 'T1133', url: 'https://attack.mitre.org/techniques/T1133/' });
    assert.match(exposure.description, /- spec\.type: LoadBalancer/);
    assert.match(exposure.description, /Attack path: internet → LoadBalancer istio-ingressgateway → /);
    assert.deepEqual(exposure.links, [{ url: 'https://www.kubeflow.org/docs/' }]);
    const quota = parsed.vulnerabilities.find((v) => v.identifiers[0]?.value === 'namespace-without-quota');
    assert.deepEqual(quota?.location, {}, 'no location is invented for findings without one');
  });
});
