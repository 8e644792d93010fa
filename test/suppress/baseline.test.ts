import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../../src/core/errors.js';
import { createBaseline, serializeBaseline } from '../../src/suppress/baseline.js';
import { parseBaseline } from '../../src/suppress/baseline-schema.js';
import { readBaselineFile } from '../../src/suppress/baseline-file.js';
import { byRule, scanDir, service, tempDir } from './helpers.js';

const PRIVILEGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: trainer, namespace: team-a}
spec:
  template:
    spec:
      containers:
      - {name: main, image: trainer, securityContext: {privileged: true}}
      - {name: sidecar, image: proxy, securityContext: {privileged: true}}
`;

describe('baselines', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const baselineFile = join(dir.path, 'baseline.json');

  test('survive shifted lines and reordered documents, and let only new findings through', async () => {
    dir.write('app.yaml', [service('ui'), PRIVILEGED_DEPLOYMENT, service('api')].join('---\n'));
    const first = await scanDir(dir.path);
    assert.equal(first.summary.total, 4);
    writeFileSync(baselineFile, serializeBaseline(createBaseline(first.findings, '2026-06-15T00:00:00.000Z')));
    const linesBefore = new Map(first.findings.map((f) => [f.fingerprint, f.location?.line]));

    dir.write('app.yaml', ['# moved around\n# by a formatter\n' + service('api'), service('ui'), `\n\n${PRIVILEGED_DEPLOYMENT}`].join('---\n'));
    const baseline = await readBaselineFile('baseline.json', dir.path);
    const shifted = await scanDir(dir.path, { baseline });
    assert.equal(shifted.findings.length, 4);
    assert.ok(
      shifted.findings.every((f) => linesBefore.has(f.fingerprint) && linesBefore.get(f.fingerprint) !== f.location?.line),
      'every finding should keep its fingerprint while its line moved',
    );
    assert.equal(shifted.summary.total, 0);
    assert.deepEqual(shifted.findings[0]?.suppression, { kind: 'baseline', reason: 'in baseline baseline.json' });

    dir.write('extra.yaml', service('new-dashboard', {}, 'team-b'));
    const withNew = await scanDir(dir.path, { baseline });
    assert.equal(withNew.summary.total, 1);
    const fresh = withNew.findings.filter((f) => !f.suppression);
    assert.deepEqual(
      fresh.map((f) => [f.ruleId, f.resource.namespace, f.resource.name]),
      [['test-load-balancer', 'team-b', 'new-dashboard']],
    );
  });

  test('inline and config suppressions win over the baseline and are left out of a new one', async () => {
    const local = tempDir();
    try {
      local.write('a.yaml', [service('kept'), service('accepted', { 'kfguard.io/ignore': '*', 'kfguard.io/ignore-reason': 'demo' })].join('---\n'));
      const report = await scanDir(local.path);
      const written = createBaseline(report.findings, 'now');
      assert.deepEqual(written.findings.map((f) => f.resource), ['kubeflow/Service/kept']);
      const filter = { fingerprints: new Set(report.findings.map((f) => f.fingerprint)), label: 'b.json' };
      const again = await scanDir(local.path, { baseline: filter });
      const kinds = Object.fromEntries(byRule(again, 'test-load-balancer').map((f) => [f.resource.name, f.suppression?.kind]));
      assert.deepEqual(kinds, { kept: 'baseline', accepted: 'inline' });
    } finally {
      local.cleanup();
    }
  });

  test('the file format is stable: sorted, deduplicated, versioned', () => {
    const text = readFileSync(baselineFile, 'utf8');
    const parsed = parseBaseline(text, 'baseline.json');
    assert.equal(parsed.kfguardBaseline, 1);
    assert.equal(parsed.createdAt, '2026-06-15T00:00:00.000Z');
    assert.deepEqual(
      parsed.findings.map((f) => `${f.ruleId} ${f.resource}`),
      ['test-load-balancer kubeflow/Service/api', 'test-load-balancer kubeflow/Service/ui', 'test-privileged team-a/Deployment/trainer', 'test-privileged team-a/Deployment/trainer'],
    );
    assert.equal(new Set(parsed.findings.map((f) => f.fingerprint)).size, 4);
    assert.equal(serializeBaseline(parsed), text);
  });

  test('malformed baselines are config errors naming the problem', async () => {
    assert.throws(() => parseBaseline('{', 'b.json'), (e: unknown) => e instanceof ConfigError && /^b\.json: baseline is not valid JSON/.test(e.message));
    assert.throws(
      () => parseBaseline('{"kfguardBaseline": 2, "createdAt": "x", "findings": []}', 'b.json'),
      /b\.json: kfguardBaseline: expected one of 1, got 2/,
    );
    assert.throws(() => parseBaseline('{"kfguardBaseline": 1, "createdAt": "x", "findings": [{}]}', 'b.json'), /findings\[0\]\.fingerprint: missing/);
    await assert.rejects(readBaselineFile('nope.json', dir.path), /nope\.json: baseline file not found/);
  });
});
