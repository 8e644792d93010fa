import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAll } from 'js-yaml';
import { FORMATTERS } from '../../src/report/formats.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';
import { descendants, parseXml } from './helpers/xml-reader.js';

interface SarifLog {
  runs: { tool: { driver: { rules: unknown[] } }; results: { locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[];
}

describe('scan --format NAME=FILE writes every format in one run', () => {
  const dir = tempDir();
  before(() => {
    mkdirSync(join(dir.path, 'repo', 'deploy dir'), { recursive: true });
    writeFileSync(join(dir.path, 'repo', 'deploy dir', 'gateway.yaml'), EXPOSED_GATEWAY);
  });
  after(() => dir.cleanup());

  test('sarif, junit, markdown and policyreport side by side', async () => {
    const cwd = join(dir.path, 'repo', 'deploy dir');
    const run = await runCli(
      ['scan', '.', '--format', 'sarif=../out/kfguard.sarif', '--format', 'junit=../out/junit.xml', '--format', 'markdown=../out/comment.md', '--format', 'policyreport=../out/reports.yaml', '--sarif-base', '..', '--fail-on', 'none'],
      { cwd },
    );
    assert.equal(run.code, 0, run.stderr);
    const out = join(dir.path, 'repo', 'out');
    const sarif = JSON.parse(readFileSync(join(out, 'kfguard.sarif'), 'utf8')) as SarifLog;
    const [sarifRun] = sarif.runs;
    assert.ok(sarifRun);
    assert.equal(sarifRun.tool.driver.rules.length, ALL_RULES.length, 'every rule that ran is described');
    assert.ok(sarifRun.results.length > 0, 'the exposed gateway yields findings');
    for (const result of sarifRun.results) {
      const location = result.locations?.[0]?.physicalLocation;
      assert.equal(location?.artifactLocation.uri, 'deploy%20dir/gateway.yaml');
      assert.ok((location?.region?.startLine ?? 0) >= 1);
    }
    const junit = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    assert.equal(descendants(junit, 'failure').length, sarifRun.results.length);
    assert.ok(descendants(junit, 'testcase').length >= sarifRun.results.length);
    assert.match(readFileSync(join(out, 'comment.md'), 'utf8'), /^## kfguard /);
    const reports = loadAll(readFileSync(join(out, 'reports.yaml'), 'utf8')) as { kind: string; metadata: { namespace?: string } }[];
    assert.ok(reports.some((r) => r.kind === 'PolicyReport' && r.metadata.namespace === 'istio-system'));
  });
});

const kustomizeAvailable = ['kubectl', 'kustomize'].some((command) => spawnSync(command, ['version', '--client'], { stdio: 'ignore' }).error === undefined);

describe('sarif for kustomize output', { skip: kustomizeAvailable ? false : 'neither kubectl nor kustomize is installed' }, () => {
  const dir = tempDir();
  before(() => {
    mkdirSync(join(dir.path, 'overlay'));
    writeFileSync(join(dir.path, 'overlay', 'kustomization.yaml'), 'resources:\n- gateway.yaml\n');
    writeFileSync(join(dir.path, 'overlay', 'gateway.yaml'), EXPOSED_GATEWAY);
  });
  after(() => dir.cleanup());

  test('points at the kustomization file without a region, since lines belong to rendered text', async () => {
    const run = await runCli(['scan', 'overlay', '--format', 'sarif', '--fail-on', 'none'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    const [sarifRun] = (JSON.parse(run.stdout) as SarifLog).runs;
    assert.ok(sarifRun && sarifRun.results.length > 0);
    for (const result of sarifRun.results) {
      assert.deepEqual(result.locations?.[0]?.physicalLocation, { artifactLocation: { uri: 'overlay/kustomization.yaml' } });
    }
  });
});

describe('every format names the config the scan loaded and what it switches off', () => {
  const dir = tempDir();
  const note = 'config .kfguard.yaml loaded: switches off crypto-miner-workload';
  before(() => {
    mkdirSync(join(dir.path, '.git'));
    writeFileSync(join(dir.path, '.kfguard.yaml'), 'rules: {crypto-miner-workload: {enabled: false}}\n');
    writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
  });
  after(() => dir.cleanup());

  /** Where each format's readers look: SARIF viewers at the run's notifications, CI test views at testcases, Policy Reporter at results. */
  const placed: Record<string, (out: string) => boolean> = {
    sarif: (out) => (JSON.parse(out) as { runs: { invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[] }[] }).runs[0]?.invocations[0]?.toolExecutionNotifications?.some((n) => n.message.text === note) === true,
    junit: (out) => {
      const suite = descendants(parseXml(out), 'testsuite').find((s) => s.attributes.name === 'kfguard-warnings');
      const skipped = descendants(suite ?? parseXml('<x/>'), 'skipped');
      return skipped.some((s) => s.attributes.message === note) && descendants(suite ?? parseXml('<x/>'), 'property').some((p) => p.attributes.value === note);
    },
    policyreport: (out) =>
      (loadAll(out) as { kind: string; results: { policy: string; result: string; message?: string }[] }[]).some(
        (r) => r.kind === 'ClusterPolicyReport' && r.results.some((x) => x.policy === 'kfguard-warning' && x.result === 'warn' && x.message === note),
      ),
  };

  for (const format of Object.keys(FORMATTERS)) {
    test(format, async () => {
      const run = await runCli(['scan', 'gateway.yaml', '--format', `${format}=out.${format}`, '--fail-on', 'none'], { cwd: dir.path });
      assert.equal(run.code, 0, run.stderr);
      const out = run.written.get(join(dir.path, `out.${format}`)) ?? '';
      assert.ok(out.includes(note), `${format} does not name the config:\n${out.slice(0, 2000)}`);
      assert.ok(placed[format]?.(out) ?? true, `${format} does not put the config note where its readers look`);
    });
  }
});
