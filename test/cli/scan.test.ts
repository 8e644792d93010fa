import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXPOSED_GATEWAY, runBin, runCli, tempDir } from '../helpers/cli.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

const CLUSTER_IP_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: internal, namespace: default}
spec: {type: ClusterIP, selector: {app: x}, ports: [{port: 80}]}
`;

interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  findings: { ruleId: string; severity: string; category: string; resource: { kind: string; name: string; namespace?: string }; location?: { file: string; line: number; column: number }; path?: string; evidence: string[]; mitre: string[]; remediation: string; title: string; message: string }[];
  summary: { bySeverity: Record<string, number>; byCategory: Record<string, number> };
  inputs: { files: number; documents: number; skipped: number };
  errors: unknown[];
}

describe('kfguard scan', () => {
  const dir = tempDir();
  before(() => {
    writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
    writeFileSync(join(dir.path, 'internal.yaml'), CLUSTER_IP_SERVICE);
    writeFileSync(join(dir.path, 'notes.txt'), 'not yaml');
    writeFileSync(join(dir.path, 'values.yaml'), 'replicas: 3\nimage: {tag: v1}\n');
  });
  after(() => dir.cleanup());

  test('an empty directory or empty stdin is an input error, never "passes"', async () => {
    mkdirSync(join(dir.path, 'empty'));
    const empty = await runCli(['scan', 'empty'], { cwd: dir.path });
    assert.equal(empty.code, 2, empty.stdout);
    assert.match(empty.stdout, /empty: nothing was read: 0 file\(s\) and no Kubernetes document/);
    assert.doesNotMatch(empty.stdout, /passes/);
    const stdin = await runCli(['scan', '-', '--format', 'json'], { cwd: dir.path, stdin: '' });
    assert.equal(stdin.code, 2, stdin.stdout);
    assert.match(stdin.stderr, /nothing was read/);
  });

  test('JSON report has the documented shape and a finding with file, line and column', async () => {
    const run = await runCli(['scan', 'gateway.yaml', '--format', 'json'], { cwd: dir.path });
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.tool.name, 'kfguard');
    const finding = report.findings.find((f) => f.ruleId === 'kubeflow-dashboard-exposed');
    assert.ok(finding, 'exposed gateway not reported');
    assert.deepEqual(finding.resource, { apiVersion: 'v1', kind: 'Service', name: 'istio-ingressgateway', namespace: 'istio-system' });
    assert.equal(finding.path, 'spec.type');
    assert.deepEqual(finding.location, { file: 'gateway.yaml', line: 8, column: 3 });
    assert.equal(finding.category, 'exposure');
    assert.ok(finding.mitre.includes('T1133'));
    assert.ok(finding.evidence.length > 0 && finding.remediation.length > 0);
    assert.equal(report.summary.byCategory.exposure! >= 1, true);
    assert.ok(['critical', 'high', 'medium'].includes(finding.severity));
    assert.equal(run.code, ['critical', 'high'].includes(finding.severity) ? 1 : 0);
  });

  test('exit code follows --fail-on', async () => {
    assert.equal((await runCli(['scan', 'gateway.yaml', '--fail-on', 'none'], { cwd: dir.path })).code, 0);
    assert.equal((await runCli(['scan', 'gateway.yaml', '--fail-on', 'info'], { cwd: dir.path })).code, 1);
    assert.equal((await runCli(['scan', 'internal.yaml', '--fail-on', 'info', '--category', 'exposure'], { cwd: dir.path })).code, 0);
  });

  test('directories are walked; other files and non-Kubernetes documents are skipped and counted', async () => {
    const run = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir.path });
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.inputs.files, 3);
    assert.equal(report.inputs.documents, 3);
    assert.equal(report.inputs.skipped, 2, 'notes.txt and the values document');
    assert.equal(run.code, 0);
  });

  test('no PATH scans the current directory', async () => {
    const explicit = JSON.parse((await runCli(['scan', '.', '--format', 'json'], { cwd: dir.path })).stdout) as JsonReport;
    const implicit = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: dir.path })).stdout) as JsonReport;
    assert.deepEqual(implicit.findings, explicit.findings);
    assert.deepEqual(implicit.inputs, explicit.inputs);
  });

  test('stdin with -', async () => {
    const run = await runCli(['scan', '-', '--format', 'json'], { cwd: dir.path, stdin: EXPOSED_GATEWAY });
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.findings.find((f) => f.ruleId === 'kubeflow-dashboard-exposed')?.location?.file, '<stdin>');
  });

  test('--rule, --skip-rule and --category select rules', async () => {
    const only = JSON.parse((await runCli(['scan', 'gateway.yaml', '--format', 'json', '--rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path })).stdout) as JsonReport;
    assert.ok(only.findings.length > 0 && only.findings.every((f) => f.ruleId === 'kubeflow-dashboard-exposed'));
    const skipped = JSON.parse((await runCli(['scan', 'gateway.yaml', '--format', 'json', '--skip-rule', 'kubeflow-dashboard-exposed'], { cwd: dir.path })).stdout) as JsonReport;
    assert.ok(skipped.findings.every((f) => f.ruleId !== 'kubeflow-dashboard-exposed'));
    const threat = JSON.parse((await runCli(['scan', 'gateway.yaml', '--format', 'json', '--category', 'threat'], { cwd: dir.path })).stdout) as JsonReport;
    assert.ok(threat.findings.every((f) => f.category === 'threat'));
  });

  test('usage errors exit 2 and say what is valid', async () => {
    const format = await runCli(['scan', '--format', 'yml'], { cwd: dir.path });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown format "yml"/);
    assert.match(format.stderr, /valid formats: .*text.*json/);
    const failOn = await runCli(['scan', '--fail-on', 'urgent'], { cwd: dir.path });
    assert.equal(failOn.code, 2);
    assert.match(failOn.stderr, /critical, high, medium, low, info, none/);
    assert.equal((await runCli(['scan', '--rule', 'no-such-rule'], { cwd: dir.path })).code, 2);
    assert.equal((await runCli(['scan', '--category', 'nope'], { cwd: dir.path })).code, 2);
    assert.equal((await runCli(['scan', '--bogus-flag'], { cwd: dir.path })).code, 2);
    assert.equal((await runCli(['frobnicate'], { cwd: dir.path })).code, 2);
  });

  test('--output writes the report to a file; --quiet trims the text', async () => {
    const run = await runCli(['scan', 'gateway.yaml', '--format', 'json', '--output', 'out/report.json'], { cwd: dir.path });
    assert.equal(run.stdout, '');
    const report = JSON.parse(readFileSync(join(dir.path, 'out', 'report.json'), 'utf8')) as JsonReport;
    assert.ok(report.findings.length > 0);
    const quiet = await runCli(['scan', 'gateway.yaml', '--quiet', '--fail-on', 'critical'], { cwd: dir.path });
    assert.doesNotMatch(quiet.stdout, /^kfguard \d/m);
    const loud = await runCli(['scan', 'gateway.yaml'], { cwd: dir.path });
    assert.match(loud.stdout, /^kfguard \d/m);
  });

  test('colour only on a TTY, never with --no-color or NO_COLOR', async () => {
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[`);
    assert.doesNotMatch((await runCli(['scan', 'gateway.yaml'], { cwd: dir.path, tty: false })).stdout, ansi);
    assert.match((await runCli(['scan', 'gateway.yaml'], { cwd: dir.path, tty: true })).stdout, ansi);
    assert.doesNotMatch((await runCli(['scan', 'gateway.yaml', '--no-color'], { cwd: dir.path, tty: true })).stdout, ansi);
    assert.doesNotMatch((await runCli(['scan', 'gateway.yaml'], { cwd: dir.path, tty: true, env: { NO_COLOR: '1' } })).stdout, ansi);
  });

  test('List objects and JSON files are read', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { istio: 'ingressgateway' } }, spec: { type: 'NodePort', selector: { istio: 'ingressgateway' } } }))] };
    writeFileSync(join(dir.path, 'list.json'), JSON.stringify(list, null, 2));
    const report = JSON.parse((await runCli(['scan', 'list.json', '--format', 'json'], { cwd: dir.path })).stdout) as JsonReport;
    const finding = report.findings.find((f) => f.ruleId === 'kubeflow-dashboard-exposed');
    assert.ok(finding);
    assert.equal(finding.location?.line, 16);
    assert.equal(finding.location?.column, 9);
  });
});

describe('kustomize directories', () => {
  const dir = tempDir();
  before(() => {
    const app = join(dir.path, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'kustomization.yaml'), 'resources:\n- gateway.yaml\nnamespace: istio-system\n');
    writeFileSync(join(app, 'gateway.yaml'), EXPOSED_GATEWAY);
  });
  after(() => dir.cleanup());

  const hasKustomize = (() => {
    try {
      execFileSync('sh', ['-c', 'command -v kubectl || command -v kustomize'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  test('a directory with kustomization.yaml is rendered and scanned', { skip: hasKustomize ? false : 'neither kubectl nor kustomize on PATH' }, async () => {
    const report = JSON.parse((await runCli(['scan', '.', '--format', 'json'], { cwd: dir.path })).stdout) as JsonReport;
    const finding = report.findings.find((f) => f.ruleId === 'kubeflow-dashboard-exposed');
    assert.ok(finding, 'rendered kustomization not scanned');
    assert.equal(finding.location?.file, 'app (kustomize)');
  });

  test('without kubectl or kustomize the error names both and exits 2', async () => {
    const run = await runCli(['scan', '.', '--format', 'json'], { cwd: dir.path, env: { PATH: '/nonexistent' } });
    assert.equal(run.code, 2);
    const report = JSON.parse(run.stdout) as { errors: { file: string; message: string }[] };
    assert.match(report.errors[0]!.message, /neither kubectl nor kustomize is on PATH/);
    assert.equal(report.errors[0]!.file, 'app');
  });
});

describe('the installed binary', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = runBin(['--version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), version);
  });

  test('exit codes through a real process: 1 on findings, 0 with --fail-on none, 2 on bad flags', () => {
    assert.equal(runBin(['scan', '-', '--fail-on', 'medium'], { input: EXPOSED_GATEWAY }).code, 1);
    assert.equal(runBin(['scan', '-', '--fail-on', 'none'], { input: EXPOSED_GATEWAY }).code, 0);
    const bad = runBin(['scan', '--format', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown format/);
  });

  test('rules and explain', () => {
    const rules = runBin(['rules']);
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /kubeflow-dashboard-exposed\s+\w+\s+exposure/);
    assert.match(rules.stdout, /crypto-miner-workload\s+critical\s+threat/);
    const explain = runBin(['explain', 'kubeflow-dashboard-exposed']);
    assert.equal(explain.code, 0);
    for (const section of ['What it finds', 'Why it matters', 'Remediation', 'MITRE: ', 'References']) assert.ok(explain.stdout.includes(section), section);
    assert.equal(runBin(['explain', 'nope']).code, 2);
  });
});

describe('text summary verdict', () => {
  const dir = tempDir();
  before(() => writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY));
  after(() => dir.cleanup());

  test('says whether the run gates, fails or is incomplete', async () => {
    assert.match((await runCli(['scan', 'gateway.yaml', '--fail-on', 'none'], { cwd: dir.path })).stdout, /not gating \(--fail-on none\)/);
    assert.match((await runCli(['scan', 'gateway.yaml', '--fail-on', 'info'], { cwd: dir.path })).stdout, /fails --fail-on info/);
    assert.match((await runCli(['scan', 'gateway.yaml', '--category', 'threat'], { cwd: dir.path })).stdout, /passes --fail-on high/);
    writeFileSync(join(dir.path, 'broken.yaml'), 'kind: [\n');
    assert.match((await runCli(['scan', 'gateway.yaml', 'broken.yaml'], { cwd: dir.path })).stdout, /incomplete: see the errors above/);
  });
});
