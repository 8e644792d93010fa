import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { SCAN_OPTIONS } from '../../src/cli/commands/scan.js';
import { isSeverity } from '../../src/core/severity.js';
import { FORMATTERS } from '../../src/report/formats.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';

type Yaml = Record<string, unknown>;

function load(relativePath: string): unknown {
  return yaml.load(readFileSync(join(REPO_ROOT, relativePath), 'utf8'));
}

/** Every `--flag` a command line uses must be one `kfguard scan` knows. */
function assertKnownFlags(commandLine: string, where: string): void {
  for (const [, flag] of commandLine.matchAll(/--([a-z][a-z-]*)/g)) {
    assert.ok(flag !== undefined && flag in SCAN_OPTIONS, `${where} uses --${flag}, which kfguard scan does not know`);
  }
}

/** Every `--format NAME` / `--format NAME=FILE` must name a registered formatter. */
function assertKnownFormats(commandLine: string, where: string): string[] {
  const formats = [...commandLine.matchAll(/--format\s+"?([a-z-]+)(?:=|\s|"|$)/g)].map((m) => m[1] ?? '');
  for (const format of formats) assert.ok(format in FORMATTERS, `${where} asks for format "${format}", which is not registered`);
  return formats;
}

const CLEAN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team-a\ndata:\n  mode: quiet\n';
const EXPOSED = `apiVersion: v1
kind: Service
metadata:
  name: ml-pipeline-ui
  namespace: kubeflow
spec:
  type: LoadBalancer
  selector:
    app: ml-pipeline-ui
  ports:
    - port: 80
      targetPort: 3000
`;

describe('CI integration files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kfguard-ci-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe('action.yml', () => {
    const action = load('action.yml') as Yaml;
    const inputs = action.inputs as Record<string, Yaml>;
    const runs = action.runs as { using: string; steps: Yaml[] };
    const scanStep = runs.steps.find((s) => s.id === 'scan');

    test('is a composite action with the documented inputs', () => {
      assert.equal(typeof action.name, 'string');
      assert.equal(typeof action.description, 'string');
      assert.equal(runs.using, 'composite');
      for (const input of ['paths', 'fail-on', 'format', 'sarif-file', 'upload-sarif']) assert.ok(inputs[input], `input ${input}`);
      assert.equal(inputs['upload-sarif']?.default, 'true');
      assert.ok(isSeverity(String(inputs['fail-on']?.default)));
      assert.ok(String(inputs.format?.default) in FORMATTERS);
      for (const step of runs.steps) if (step.run !== undefined) assert.equal(step.shell, 'bash', 'composite run steps need a shell');
    });

    test('keeps the caller\'s Node, runs bin/kfguard.js and uploads SARIF with codeql-action v4', () => {
      assert.ok(!runs.steps.some((s) => String(s.uses).startsWith('actions/setup-node@')), 'the action must not change the job\'s Node.js');
      assert.ok(!('node-version' in inputs));
      const check = runs.steps.find((s) => typeof s.run === 'string' && s.run.includes('dist/kfguard.js') && s.run.includes('npm ci'));
      assert.ok(check, 'a step that builds only when the ref carries no dist/');
      assert.match(String(check.run), /if \[ ! -f "\$GITHUB_ACTION_PATH\/dist\/kfguard\.js" \]/);
      assert.ok(existsSync(join(REPO_ROOT, 'bin', 'kfguard.js')));
      assert.ok(scanStep, 'a step with id "scan"');
      const script = String(scanStep.run);
      assert.match(script, /node "\$GITHUB_ACTION_PATH\/bin\/kfguard\.js" "\$\{args\[@\]\}" -- "\$\{paths\[@\]\}"/);
      assertKnownFlags(script, 'action.yml');
      assert.ok(assertKnownFormats(script, 'action.yml').includes('sarif'));
      assert.ok(!runs.steps.some((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@v3')));
      const upload = runs.steps.find((s) => s.uses === 'github/codeql-action/upload-sarif@v4');
      assert.ok(upload, 'uploads with github/codeql-action/upload-sarif@v4');
      assert.equal((upload.with as Yaml).sarif_file, '${{ inputs.sarif-file }}');
      assert.ok(runs.steps.indexOf(upload) < runs.steps.length - 1, 'uploads before the failing step');
    });

    test("leaves the caller's KFGUARD_CONFIG alone when the config input is empty", () => {
      // A step's env overrides the job's: setting KFGUARD_CONFIG from an empty input would drop a
      // job-level KFGUARD_CONFIG (the base branch's config, SECURITY.md) and let discovery read the
      // pull request's own .kfguard.yaml instead.
      for (const step of runs.steps) assert.ok(!('KFGUARD_CONFIG' in ((step.env as Yaml | undefined) ?? {})), `step ${String(step.name)} sets KFGUARD_CONFIG`);
      assert.match(String(scanStep?.run), /--config "\$KFGUARD_CONFIG_INPUT"/);
    });

    test('the Node check refuses a Node older than 20 with an error naming the fix', (t) => {
      if (process.platform === 'win32') return t.skip('bash script');
      const check = runs.steps.find((s) => typeof s.run === 'string' && s.run.includes('process.versions.node'));
      assert.ok(check);
      const bin = join(scratch, 'old-node-bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'node'), '#!/bin/sh\ncase "$1" in -p) echo 18;; *) echo v18.20.0;; esac\n', { mode: 0o755 });
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(check.run)], {
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_ACTION_PATH: REPO_ROOT },
      });
      assert.equal(result.status, 2);
      assert.match(result.stdout, /::error::kfguard needs Node\.js 20 or newer.*v18\.20\.0.*actions\/setup-node/);
    });

    test('its scan script writes SARIF and reports the exit code', (t) => {
      if (process.platform === 'win32') return t.skip('bash script');
      // Stand in for the built package: the same CLI, run from source through tsx.
      const actionPath = join(scratch, 'action');
      mkdirSync(join(actionPath, 'bin'), { recursive: true });
      writeFileSync(join(actionPath, 'package.json'), '{ "type": "module" }\n');
      const cliRun = pathToFileURL(join(REPO_ROOT, 'src', 'cli', 'run.ts')).href;
      writeFileSync(join(actionPath, 'bin', 'kfguard.js'), `const { run } = await import(${JSON.stringify(cliRun)});\nawait run(process.argv.slice(2));\n`);
      const workspace = join(scratch, 'workspace');
      mkdirSync(join(workspace, 'k8s', 'team a'), { recursive: true });
      writeFileSync(join(workspace, 'k8s', 'team a', 'ui.yaml'), EXPOSED);
      writeFileSync(join(workspace, 'k8s', 'settings.yaml'), CLEAN);
      const outputFile = join(scratch, 'github-output');
      writeFileSync(outputFile, '');
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(scanStep?.run)], {
        cwd: workspace,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          NODE_OPTIONS: `--import ${import.meta.resolve('tsx')}`,
          GITHUB_ACTION_PATH: actionPath,
          GITHUB_OUTPUT: outputFile,
          GITHUB_WORKSPACE: workspace,
          // One path per line, one with a space in it, indented and with a blank line as YAML block scalars give them.
          KFGUARD_PATHS: '  k8s/team a/ui.yaml\n\nk8s/settings.yaml\n',
          KFGUARD_FAIL_ON: 'high',
          KFGUARD_FORMAT: 'text',
          KFGUARD_SARIF: 'out/kfguard.sarif',
          KFGUARD_CONFIG_INPUT: '',
          NO_COLOR: '1',
        },
      });
      assert.equal(result.status, 0, `the scan step itself must not fail (the last step does):\n${result.stderr}`);
      const sarifPath = join(workspace, 'out', 'kfguard.sarif');
      assert.ok(existsSync(sarifPath), `no SARIF written; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
      const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as { version: string; runs: { results: unknown[] }[] };
      assert.equal(sarif.version, '2.1.0');
      assert.ok((sarif.runs[0]?.results.length ?? 0) > 0, 'the exposed Pipelines UI is in the SARIF');
      assert.match(JSON.stringify(sarif.runs[0]?.results), /"uri":"k8s\/team%20a\/ui\.yaml"/, 'uris are relative to the workspace');
      assert.doesNotMatch(result.stderr, /input error/, 'both paths were read whole');
      assert.equal(/exit-code=(\d+)/.exec(readFileSync(outputFile, 'utf8'))?.[1], '1', 'exit-code output');
      assert.match(result.stdout, /Summary:/);
    });
  });

  describe('.pre-commit-hooks.yaml', () => {
    const hooks = load('.pre-commit-hooks.yaml') as Yaml[];
    const hook = hooks.find((h) => h.id === 'kfguard');

    test('defines a kfguard hook running `kfguard scan --fail-on` on YAML and JSON', () => {
      assert.ok(hook, 'hook id kfguard');
      for (const key of ['id', 'name', 'entry', 'language']) assert.equal(typeof hook[key], 'string', key);
      const entry = String(hook.entry);
      assert.match(entry, /^kfguard scan /);
      assert.ok(isSeverity(/--fail-on (\S+)/.exec(entry)?.[1] ?? ''), 'a valid --fail-on');
      assertKnownFlags(entry, '.pre-commit-hooks.yaml');
      assert.equal(hook.language, 'node');
      const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
      assert.ok(pkg.bin.kfguard, 'package.json provides the kfguard binary the entry calls');
      assert.deepEqual(hook.types_or, ['yaml', 'json']);
    });

    test('scans the whole repository, since exposure depends on files that were not staged', () => {
      assert.equal(hook?.pass_filenames, false);
      assert.match(String(hook?.entry), /^kfguard scan \. /);
    });

    test('its entry passes a clean repository and fails one with an exposed dashboard', async () => {
      const args = String(hook?.entry).split(/\s+/).slice(1);
      const cleanRepo = join(scratch, 'clean-repo');
      const exposedRepo = join(scratch, 'exposed-repo');
      mkdirSync(cleanRepo, { recursive: true });
      mkdirSync(join(exposedRepo, 'ui'), { recursive: true });
      writeFileSync(join(cleanRepo, 'clean.yaml'), CLEAN);
      writeFileSync(join(exposedRepo, 'clean.yaml'), CLEAN);
      writeFileSync(join(exposedRepo, 'ui', 'exposed.yaml'), EXPOSED);
      const clean = await runCli(args, { cwd: cleanRepo });
      assert.equal(clean.code, 0, clean.stdout + clean.stderr);
      const exposed = await runCli(args, { cwd: exposedRepo });
      assert.equal(exposed.code, 1, `an internet-facing Pipelines UI must fail the hook:\n${exposed.stdout}${exposed.stderr}`);
    });
  });

  describe('docs/ci/gitlab-ci.yml', () => {
    const pipeline = load('docs/ci/gitlab-ci.yml') as Record<string, Yaml>;
    const job = pipeline.kfguard;

    test('writes a GitLab SAST report and keeps it as a sast artifact', () => {
      assert.ok(job, 'a kfguard job');
      const script = (job.script as string[]).join('\n');
      assert.match(script, /--format gitlab-sast=gl-sast-report\.json/);
      assertKnownFlags(script.replace(/npm install[^\n]*/, ''), 'docs/ci/gitlab-ci.yml');
      assertKnownFormats(script, 'docs/ci/gitlab-ci.yml');
      const artifacts = job.artifacts as { when: string; reports: { sast: string }; paths: string[] };
      assert.equal(artifacts.reports.sast, 'gl-sast-report.json');
      assert.equal(artifacts.when, 'always');
      assert.ok(artifacts.paths.includes('kfguard-report.html'));
    });
  });
});
