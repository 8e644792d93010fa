import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Finding, K8sObject, ScannedObject } from '../../src/core/types.js';
import { applySuppressions } from '../../src/suppress/apply.js';
import { inlineIgnoresOf } from '../../src/suppress/inline.js';
import { byRule, scanDir, service, tempDir } from './helpers.js';

const IGNORE = 'kfguard.io/ignore';
const REASON = 'kfguard.io/ignore-reason';
const UNTIL = 'kfguard.io/ignore-until';

async function scanOne(yaml: string, today?: string) {
  const dir = tempDir();
  try {
    dir.write('app.yaml', yaml);
    return await scanDir(dir.path, today === undefined ? {} : { today });
  } finally {
    dir.cleanup();
  }
}

describe('inline kfguard.io/ignore annotations', () => {
  test('suppress the listed rule with its reason, and the finding stays in the report', async () => {
    const report = await scanOne(service('web', { [IGNORE]: 'test-load-balancer', [REASON]: 'fronted by an authenticating proxy' }));
    const [finding] = byRule(report, 'test-load-balancer');
    assert.deepEqual(finding?.suppression, { kind: 'inline', reason: 'fronted by an authenticating proxy' });
    assert.equal(report.summary.total, 0);
    assert.equal(report.summary.suppressed, 1);
    assert.deepEqual(report.warnings, []);
  });

  test('a list of rule ids with spaces is honoured, other rules are not suppressed', async () => {
    const report = await scanOne(service('web', { [IGNORE]: 'some-other-rule , test-load-balancer', [REASON]: 'ok' }));
    assert.equal(byRule(report, 'test-load-balancer')[0]?.suppression?.kind, 'inline');
    const unrelated = await scanOne(service('web', { [IGNORE]: 'some-other-rule', [REASON]: 'ok' }));
    assert.equal(byRule(unrelated, 'test-load-balancer')[0]?.suppression, undefined);
  });

  test('"*" suppresses every rule on the object', async () => {
    const report = await scanOne(service('web', { [IGNORE]: '*', [REASON]: 'lab cluster' }));
    assert.equal(byRule(report, 'test-load-balancer')[0]?.suppression?.reason, 'lab cluster');
  });

  test('without a reason nothing is suppressed and a warning names the object and file', async () => {
    const report = await scanOne(service('web', { [IGNORE]: 'test-load-balancer' }));
    assert.equal(byRule(report, 'test-load-balancer')[0]?.suppression, undefined);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0] ?? '', /kfguard\.io\/ignore-reason/);
    assert.match(report.warnings[0] ?? '', /Service kubeflow\/web/);
    assert.match(report.warnings[0] ?? '', /app\.yaml/);
  });

  test('a blank reason counts as no reason', async () => {
    const report = await scanOne(service('web', { [IGNORE]: 'test-load-balancer', [REASON]: '   ' }));
    assert.equal(byRule(report, 'test-load-balancer')[0]?.suppression, undefined);
    assert.equal(report.warnings.length, 1);
  });

  test('an invalid until date does not suppress and warns', async () => {
    for (const until of ['2026-02-30', 'next week', '2026-1-5']) {
      const report = await scanOne(service('web', { [IGNORE]: 'test-load-balancer', [REASON]: 'r', [UNTIL]: until }));
      assert.equal(byRule(report, 'test-load-balancer')[0]?.suppression, undefined, until);
      assert.match(report.warnings.join('\n'), new RegExp(`ignore-until "${until}".*not a date`), until);
    }
  });

  test('an until date holds through that day and expires the day after, with a warning', async () => {
    const yaml = service('web', { [IGNORE]: 'test-load-balancer', [REASON]: 'migration', [UNTIL]: '2026-06-15' });
    const lastDay = await scanOne(yaml, '2026-06-15');
    assert.deepEqual(byRule(lastDay, 'test-load-balancer')[0]?.suppression, { kind: 'inline', reason: 'migration', until: '2026-06-15' });
    assert.deepEqual(lastDay.warnings, []);

    const dayAfter = await scanOne(yaml, '2026-06-16');
    assert.equal(byRule(dayAfter, 'test-load-balancer')[0]?.suppression, undefined);
    assert.equal(dayAfter.summary.total, 1);
    assert.deepEqual(dayAfter.warnings, [
      'inline suppression of test-load-balancer on Service kubeflow/web expired on 2026-06-15',
    ]);
  });

  test('an unquoted until date in the manifest is read as a date, not a timestamp', async () => {
    const yaml = service('web').replace(
      '  namespace: kubeflow\n',
      `  namespace: kubeflow\n  annotations:\n    ${IGNORE}: test-load-balancer\n    ${REASON}: migration\n    ${UNTIL}: 2026-07-01\n`,
    );
    const report = await scanOne(yaml, '2026-06-15');
    assert.deepEqual(byRule(report, 'test-load-balancer')[0]?.suppression, { kind: 'inline', reason: 'migration', until: '2026-07-01' });
  });

  test('pod template annotations count for the owning workload', async () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: miner-check, namespace: team-a}
spec:
  template:
    metadata:
      annotations:
        kfguard.io/ignore: test-privileged
        kfguard.io/ignore-reason: GPU driver installer
    spec:
      containers:
      - name: installer
        image: nvidia/driver
        securityContext: {privileged: true}
`;
    const report = await scanOne(deployment);
    assert.deepEqual(byRule(report, 'test-privileged')[0]?.suppression, { kind: 'inline', reason: 'GPU driver installer' });
  });

  test('a pod template ignore without reason warns with the template path', async () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: team-a}
spec:
  template:
    metadata:
      annotations: {kfguard.io/ignore: test-privileged}
    spec:
      containers: [{name: c, image: x, securityContext: {privileged: true}}]
`;
    const report = await scanOne(deployment);
    assert.equal(byRule(report, 'test-privileged')[0]?.suppression, undefined);
    assert.match(report.warnings.join('\n'), /spec\.template\.metadata\.annotations of Deployment team-a\/d/);
  });

  describe('objects with the same name in two files', () => {
    const dir = tempDir();
    after(() => dir.cleanup());

    test('only the annotated copy is suppressed', async () => {
      dir.write('a.yaml', service('web', { [IGNORE]: 'test-load-balancer', [REASON]: 'ok' }));
      dir.write('b.yaml', service('web'));
      const report = await scanDir(dir.path);
      const findings = byRule(report, 'test-load-balancer');
      assert.equal(findings.length, 2);
      const state = Object.fromEntries(findings.map((f) => [f.location?.file, f.suppression?.kind ?? 'active']));
      assert.deepEqual(state, { 'a.yaml': 'inline', 'b.yaml': 'active' });
    });
  });

  test('unknown rule ids are pointed out when the catalogue is known, and known ids still apply', () => {
    const object: K8sObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'kubeflow', annotations: { [IGNORE]: 'kubeflow-dashbord-exposed, ml-service-exposed', [REASON]: 'r' } },
    };
    const scanned = { object, origin: { kind: 'file' as const, reader: 'file' as const, file: 'web.yaml' } };
    const known = ['kubeflow-dashboard-exposed', 'ml-service-exposed'];
    const parsed = inlineIgnoresOf(scanned, known);
    assert.deepEqual(parsed.ignores, [{ rules: ['kubeflow-dashbord-exposed', 'ml-service-exposed'], reason: 'r' }]);
    assert.deepEqual(parsed.warnings, [
      'kfguard.io/ignore in metadata.annotations of Service kubeflow/web (web.yaml) names unknown rule "kubeflow-dashbord-exposed" (did you mean kubeflow-dashboard-exposed?)',
    ]);
    assert.deepEqual(inlineIgnoresOf(scanned).warnings, []);
  });

  test('CronJob pod templates are read too', () => {
    const object: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'ml' },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              metadata: { annotations: { [IGNORE]: 'a, b', [REASON]: 'batch', [UNTIL]: '2027-01-01' } },
              spec: { containers: [{ name: 'c', image: 'i' }] },
            },
          },
        },
      },
    };
    assert.deepEqual(inlineIgnoresOf({ object, origin: { kind: 'file' as const, reader: 'file' as const, file: 'cron.yaml' } }), {
      ignores: [{ rules: ['a', 'b'], reason: 'batch', until: '2027-01-01' }],
      warnings: [],
    });
  });

  test('an ignore on a pod template is found, and an object with none anywhere reads as none (the quick check)', () => {
    const origin = { kind: 'cluster' as const, context: 'c' };
    const deployment = (annotations: Record<string, string>): K8sObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ml', annotations: { other: 'x' } },
      spec: { template: { metadata: { annotations }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    const annotated = inlineIgnoresOf({ object: deployment({ [IGNORE]: 'nope-rule', [REASON]: 'r' }), origin }, ['crypto-miner-workload']);
    assert.deepEqual(annotated.ignores, [{ rules: ['nope-rule'], reason: 'r' }]);
    assert.equal(annotated.warnings.length, 1);
    assert.match(annotated.warnings[0]!, /spec\.template\.metadata\.annotations .*unknown rule "nope-rule"/);
    assert.deepEqual(inlineIgnoresOf({ object: deployment({ other: 'x' }), origin }, ['crypto-miner-workload']), { ignores: [], warnings: [] });
  });

  test('an ignore that cannot be honoured warns even on an object with no finding', () => {
    const object: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ml', annotations: { [IGNORE]: 'r' } } };
    const result = applySuppressions([], [{ object, origin: { kind: 'cluster' as const, context: 'c' } }], DEFAULT_CONFIG, '2026-06-15', ['r']);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /ConfigMap ml\/cm.*no kfguard\.io\/ignore-reason/);
  });

  test('inputs are never modified', () => {
    const object: K8sObject = deepFreeze({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'kubeflow', annotations: { [IGNORE]: 'r', [REASON]: 'why' } },
    });
    const scanned: ScannedObject = deepFreeze({ object, origin: { kind: 'file' as const, reader: 'file' as const, file: 'x.yaml' } });
    const finding: Finding = deepFreeze({
      ruleId: 'r',
      severity: 'high',
      category: 'exposure',
      title: 't',
      message: 'm',
      resource: { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'web' },
      evidence: [],
      mitre: [],
      remediation: 'fix',
      source: 'manifest',
      fingerprint: 'f',
    });
    const result = applySuppressions([finding], [scanned], DEFAULT_CONFIG, '2026-06-15');
    assert.equal(finding.suppression, undefined);
    assert.deepEqual(result.findings[0]?.suppression, { kind: 'inline', reason: 'why' });
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
