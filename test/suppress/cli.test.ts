import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ruleById } from '../../src/rules/index.js';
import { EXPOSED_GATEWAY, runCli } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const RULE = 'kubeflow-dashboard-exposed';
const needsRule = { skip: ruleById(RULE) ? false : `${RULE} is not registered yet` };

interface JsonFinding {
  ruleId: string;
  resource: { namespace?: string; name: string };
  suppression?: { kind: string; reason: string; until?: string };
}
interface JsonReport {
  findings: JsonFinding[];
  summary: { total: number; suppressed: number };
  warnings: string[];
}

async function scanJson(cwd: string, args: readonly string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none', ...args], { cwd });
  assert.equal(run.code, 0, run.stderr);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

const ofRule = (report: JsonReport): JsonFinding[] => report.findings.filter((f) => f.ruleId === RULE);
const active = (findings: readonly JsonFinding[]): JsonFinding[] => findings.filter((f) => !f.suppression);

function annotatedGateway(annotations: Record<string, string>): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  return EXPOSED_GATEWAY.replace('  namespace: istio-system\n', `  namespace: istio-system\n  annotations:\n${lines.join('\n')}\n`);
}

/** A date the default horizon (366 days) admits. */
const SOON = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

describe('suppressions and baselines through the CLI', () => {
  test('--write-baseline then --baseline: shifted and reordered manifests give no new findings', needsRule, async () => {
    const dir = tempDir();
    try {
      const second = EXPOSED_GATEWAY.replaceAll('istio-system', 'istio-canary');
      dir.write('gateways.yaml', `${EXPOSED_GATEWAY}---\n${second}`);
      const first = await runCli(['scan', '.', '--write-baseline', 'kfguard-baseline.json', '--fail-on', 'none'], { cwd: dir.path });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /baseline of \d+ finding\(s\) written to kfguard-baseline\.json/);
      const written = JSON.parse(readFileSync(join(dir.path, 'kfguard-baseline.json'), 'utf8')) as { kfguardBaseline: number; findings: { ruleId: string }[] };
      assert.equal(written.kfguardBaseline, 1);
      assert.equal(written.findings.filter((f) => f.ruleId === RULE).length, 2);

      dir.write('gateways.yaml', `# reformatted\n\n${second}---\n# comment\n${EXPOSED_GATEWAY}`);
      const shifted = await scanJson(dir.path, ['--baseline', 'kfguard-baseline.json']);
      assert.equal(shifted.report.summary.total, 0);
      assert.equal(ofRule(shifted.report).length, 2);
      assert.ok(ofRule(shifted.report).every((f) => f.suppression?.kind === 'baseline' && f.suppression.reason === 'in baseline kfguard-baseline.json'));

      dir.write('new.yaml', EXPOSED_GATEWAY.replaceAll('istio-system', 'istio-new'));
      const withNew = await scanJson(dir.path, ['--baseline', 'kfguard-baseline.json']);
      assert.deepEqual(active(ofRule(withNew.report)).map((f) => f.resource.namespace), ['istio-new']);
    } finally {
      dir.cleanup();
    }
  });

  test('an inline ignore stays in the JSON report with its reason and is counted in the text summary', needsRule, async () => {
    const dir = tempDir();
    try {
      dir.write('gw.yaml', annotatedGateway({ 'kfguard.io/ignore': RULE, 'kfguard.io/ignore-reason': 'lab behind VPN' }));
      const { report } = await scanJson(dir.path, []);
      const [finding] = ofRule(report);
      assert.deepEqual(finding?.suppression, { kind: 'inline', reason: 'lab behind VPN' });
      const text = await runCli(['scan', '.', '--fail-on', 'none', '--no-color'], { cwd: dir.path });
      assert.match(text.stdout, new RegExp(`${report.summary.suppressed} suppressed`));
      assert.ok(report.summary.suppressed >= 1);
    } finally {
      dir.cleanup();
    }
  });

  test('an expired inline ignore brings the finding back with a warning', needsRule, async () => {
    const dir = tempDir();
    try {
      dir.write('gw.yaml', annotatedGateway({ 'kfguard.io/ignore': RULE, 'kfguard.io/ignore-reason': 'demo', 'kfguard.io/ignore-until': '2001-01-01' }));
      const { report } = await scanJson(dir.path, []);
      assert.equal(active(ofRule(report)).length, 1);
      assert.ok(report.warnings.includes(`inline suppression of ${RULE} on Service istio-system/istio-ingressgateway expired on 2001-01-01`));
      const text = await runCli(['scan', '.', '--no-color', '--fail-on', 'info'], { cwd: dir.path });
      assert.equal(text.code, 1);
      assert.match(text.stdout, /warning: inline suppression of .* expired on 2001-01-01/);
    } finally {
      dir.cleanup();
    }
  });

  test('a mistyped rule id in an annotation is reported as a warning', needsRule, async () => {
    const dir = tempDir();
    try {
      dir.write('gw.yaml', annotatedGateway({ 'kfguard.io/ignore': 'kubeflow-dashboard-exposd', 'kfguard.io/ignore-reason': 'typo' }));
      const { report } = await scanJson(dir.path, []);
      assert.equal(active(ofRule(report)).length, 1);
      assert.ok(report.warnings.some((w) => w.includes(`unknown rule "kubeflow-dashboard-exposd" (did you mean ${RULE}`)), report.warnings.join('\n'));
    } finally {
      dir.cleanup();
    }
  });

  test('a discovered .kfguard.yaml suppresses by resource glob', needsRule, async () => {
    const dir = tempDir();
    try {
      dir.write('gw.yaml', EXPOSED_GATEWAY);
      writeFileSync(
        join(dir.path, '.kfguard.yaml'),
        `suppressions:\n  - rule: ${RULE}\n    resource: "istio-*/Service/*"\n    reason: accepted risk, ticket SEC-12\n    until: ${SOON}\n`,
      );
      const { report } = await scanJson(dir.path, []);
      assert.deepEqual(ofRule(report)[0]?.suppression, { kind: 'config', reason: 'accepted risk, ticket SEC-12', until: SOON });
      // 2999-12-31 is past the default horizon: not honoured, and the entry is named.
      writeFileSync(join(dir.path, '.kfguard.yaml'), `suppressions:\n  - rule: ${RULE}\n    resource: "istio-*/Service/*"\n    reason: forever\n    until: 2999-12-31\n`);
      const far = (await scanJson(dir.path, [])).report;
      assert.equal(ofRule(far)[0]?.suppression, undefined);
      assert.ok(far.warnings.some((w) => w.includes(`config suppression of ${RULE} on "istio-*/Service/*" (forever) not honoured: until 2999-12-31 is past the horizon`)), far.warnings.join('\n'));
    } finally {
      dir.cleanup();
    }
  });
});

describe('baseline flags without findings', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  dir.write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n');

  test('--baseline FILE that does not exist exits 2', async () => {
    const run = await runCli(['scan', '.', '--baseline', 'missing.json'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /config error: missing\.json: baseline file not found/);
  });

  test('--baseline FILE that is not a baseline exits 2', async () => {
    writeFileSync(join(dir.path, 'report.json'), '{"schemaVersion": 1, "findings": []}');
    const run = await runCli(['scan', '.', '--baseline', 'report.json'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /report\.json: kfguardBaseline: /);
  });

  test('--write-baseline writes a readable baseline that --baseline accepts', async () => {
    const write = await runCli(['scan', '.', '--write-baseline', 'out/b.json', '--fail-on', 'none', '--quiet'], { cwd: dir.path });
    assert.equal(write.code, 0, write.stderr);
    const content = write.written.get(join(dir.path, 'out', 'b.json'));
    assert.ok(content, 'baseline was not written');
    const parsed = JSON.parse(content) as { kfguardBaseline: number; createdAt: string; findings: unknown[] };
    assert.equal(parsed.kfguardBaseline, 1);
    assert.ok(!Number.isNaN(Date.parse(parsed.createdAt)));
    const read = await runCli(['scan', '.', '--baseline', 'out/b.json', '--fail-on', 'none'], { cwd: dir.path });
    assert.equal(read.code, 0, read.stderr);
  });
});

test('scan --help documents the baseline flags', async () => {
  const run = await runCli(['scan', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--baseline FILE/);
  assert.match(run.stdout, /--write-baseline FILE/);
});
