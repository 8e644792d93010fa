import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConfigSuppression } from '../../src/core/config-types.js';
import { byRule, scanDir, service, tempDir } from './helpers.js';

describe('config suppressions', () => {
  const dir = tempDir();
  before(() => {
    dir.write('svc.yaml', [service('ml-pipeline-ui'), service('metadata-ui'), service('gateway', {}, 'istio-system')].join('---\n'));
  });
  after(() => dir.cleanup());

  const scanWith = (suppressions: ConfigSuppression[], today?: string) =>
    scanDir(dir.path, { config: { suppressions }, ...(today === undefined ? {} : { today }) });
  const suppressedNames = (findings: ReturnType<typeof byRule>): string[] =>
    findings.filter((f) => f.suppression).map((f) => f.resource.name).sort();

  test('a glob suppresses matching resources only, keeping the reason and until', async () => {
    const report = await scanWith([{ rule: 'test-load-balancer', resource: 'kubeflow/Service/*-ui', reason: 'internal LB', until: '2026-12-31' }]);
    const findings = byRule(report, 'test-load-balancer');
    assert.deepEqual(suppressedNames(findings), ['metadata-ui', 'ml-pipeline-ui']);
    assert.deepEqual(findings.find((f) => f.resource.name === 'metadata-ui')?.suppression, {
      kind: 'config',
      reason: 'internal LB',
      until: '2026-12-31',
    });
    assert.equal(report.summary.total, 1);
    assert.equal(report.summary.suppressed, 2);
  });

  test('the rule must match, or be "*"', async () => {
    const other = await scanWith([{ rule: 'test-privileged', resource: '**', reason: 'r' }]);
    assert.deepEqual(suppressedNames(byRule(other, 'test-load-balancer')), []);
    const any = await scanWith([{ rule: '*', resource: 'istio-system/**', reason: 'r' }]);
    assert.deepEqual(suppressedNames(byRule(any, 'test-load-balancer')), ['gateway']);
    // A wildcard hides every rule, present and future: the report names the entry.
    assert.deepEqual(any.warnings, ['config suppression rule "*" on "istio-system/**" (r) suppresses every rule on what it matches']);
    assert.deepEqual(other.warnings, []);
  });

  test('an until past the horizon is not honoured, and the entry is named', async () => {
    const report = await scanWith([{ rule: 'test-load-balancer', resource: '*/Service/gateway', reason: 'r', until: '9999-12-31' }], '2026-02-01');
    assert.deepEqual(suppressedNames(byRule(report, 'test-load-balancer')), []);
    assert.equal(report.warnings.length, 1, report.warnings.join('\n'));
    assert.match(report.warnings[0] ?? '', /^config suppression of test-load-balancer on "\*\/Service\/gateway" \(r\) not honoured: until 9999-12-31 is past the horizon 2027-0[12]-0\d/);
    const within = await scanWith([{ rule: 'test-load-balancer', resource: '*/Service/gateway', reason: 'r', until: '2026-12-31' }], '2026-02-01');
    assert.deepEqual(suppressedNames(byRule(within, 'test-load-balancer')), ['gateway']);
  });

  test('an expired config suppression brings the finding back with a warning', async () => {
    const report = await scanWith([{ rule: 'test-load-balancer', resource: '*/Service/gateway', reason: 'r', until: '2026-01-31' }], '2026-02-01');
    assert.deepEqual(suppressedNames(byRule(report, 'test-load-balancer')), []);
    assert.deepEqual(report.warnings, ['config suppression of test-load-balancer on Service istio-system/gateway expired on 2026-01-31']);
  });

  test('an inline annotation wins over config', async () => {
    const inline = tempDir();
    try {
      inline.write('svc.yaml', service('web', { 'kfguard.io/ignore': 'test-load-balancer', 'kfguard.io/ignore-reason': 'inline reason' }));
      const report = await scanDir(inline.path, { config: { suppressions: [{ rule: '*', resource: '**', reason: 'config reason' }] } });
      assert.deepEqual(byRule(report, 'test-load-balancer')[0]?.suppression, { kind: 'inline', reason: 'inline reason' });
    } finally {
      inline.cleanup();
    }
  });
});
