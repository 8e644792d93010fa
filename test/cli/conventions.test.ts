import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { optionsAcceptedBy } from '../../src/cli/args.js';
import { leafCommands } from '../../src/cli/command-tree.js';
import { useColor } from '../../src/cli/commands/scan.js';
import { documentedFlags } from '../../src/cli/help-flags.js';
import { MAIN_HELP, SCAN_HELP, WEBHOOK_SERVE_HELP } from '../../src/cli/help.js';
import type { CliIo } from '../../src/cli/io.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { EXPOSED_GATEWAY, runCli, tempDir } from '../helpers/cli.js';

describe('help', () => {
  test('no arguments: help on stderr and exit 2, nothing on stdout', async () => {
    const run = await runCli([]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, MAIN_HELP);
  });

  test('asked for, help is on stdout with exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const run = await runCli(argv);
      assert.deepEqual([run.code, run.stdout, run.stderr], [0, MAIN_HELP, ''], argv.join(' '));
    }
  });

  test('`kfguard help COMMAND` shows that command\'s help', async () => {
    assert.equal((await runCli(['help', 'scan'])).stdout, SCAN_HELP);
    assert.equal((await runCli(['help', 'webhook', 'serve'])).stdout, WEBHOOK_SERVE_HELP);
    const unknown = await runCli(['help', 'scna']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "scna"\n {2}hint: did you mean `kfguard scan`\?/);
  });

  test('`kfguard webhook` alone is a usage error with its help on stderr', async () => {
    const run = await runCli(['webhook']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /Usage: kfguard webhook serve\|certs\|manifests/);
  });

  // Each command is run with --help, which makes it hand its options to the parser first.
  for (const { key, node } of leafCommands()) {
    test(`every flag \`kfguard ${key}\` accepts is in its help, and every flag its help lists is accepted`, async () => {
      const run = await runCli([...key.split(' '), '--help']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, node.help);
      const documented = new Map(documentedFlags(node.help).map((flag) => [flag.long, flag]));
      // `webhook` and `help` dispatch on their first word and take no flag but --help.
      const accepted = optionsAcceptedBy(key) ?? { help: { type: 'boolean', short: 'h' } };
      for (const [name, option] of Object.entries(accepted)) {
        const flag = documented.get(name);
        assert.ok(flag, `--${name} is accepted by kfguard ${key} but not in its help`);
        assert.equal(flag.short, option.short, `--${name}: short form in help and parser differ`);
        assert.equal(flag.value !== undefined, option.type === 'string', `--${name}: the help says it ${flag.value === undefined ? 'takes no' : 'takes a'} value`);
      }
      for (const name of documented.keys()) assert.ok(name in accepted, `the help of kfguard ${key} lists --${name}, which it does not accept`);
    });
  }
});

describe('did you mean', () => {
  test('for commands, flags, rule ids and categories', async () => {
    const cases: [string[], RegExp][] = [
      [['scna'], /unknown command "scna"\n {2}hint: did you mean `kfguard scan`\?/],
      [['scan', '--fial-on', 'high'], /Unknown option '--fial-on'\n {2}hint: did you mean --fail-on\?/],
      [['scan', '--rule', 'crypto-miner-workloads'], /unknown rule "crypto-miner-workloads"\n {2}hint: did you mean crypto-miner-workload\?/],
      [['explain', 'kubeflow-dashbord-exposed'], /hint: did you mean kubeflow-dashboard-exposed\?/],
      [['scan', '--category', 'threats'], /unknown category "threats"\n {2}hint: did you mean threat\?/],
      [['webhook', 'serv'], /hint: did you mean `kfguard webhook serve`\?/],
      [['completion', 'bsh'], /hint: did you mean bash/],
      [['--versoin'], /unknown option "--versoin"\n {2}hint: did you mean --version\?/],
      [['export', 'vapp'], /unknown export "vapp"\n {2}hint: did you mean `kfguard export vap`\?/],
    ];
    for (const [argv, expected] of cases) {
      const run = await runCli(argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.stderr, expected, argv.join(' '));
      assert.doesNotMatch(run.stderr, /To specify a positional argument/);
    }
  });
});

describe('colour', () => {
  const io = (env: NodeJS.ProcessEnv, tty: boolean): CliIo => ({ env, stdoutIsTty: tty }) as CliIo;
  const cases: [string, Record<string, unknown>, NodeJS.ProcessEnv, boolean, boolean][] = [
    ['a terminal', {}, {}, true, true],
    ['a pipe', {}, {}, false, false],
    ['NO_COLOR=1 on a terminal', {}, { NO_COLOR: '1' }, true, false],
    ['NO_COLOR set but empty', {}, { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR=1 on a pipe', {}, { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a terminal', {}, { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR over NO_COLOR', {}, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ['TERM=dumb on a terminal', {}, { TERM: 'dumb' }, true, false],
    ['--color over NO_COLOR', { color: true }, { NO_COLOR: '1' }, false, true],
    ['--color over TERM=dumb', { color: true }, { TERM: 'dumb' }, false, true],
    ['--no-color over FORCE_COLOR', { 'no-color': true }, { FORCE_COLOR: '1' }, true, false],
  ];
  for (const [name, flags, env, tty, expected] of cases) {
    test(name, () => assert.equal(useColor(flags, io(env, tty)), expected));
  }

  test('--color colours a report written to a pipe', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
      const run = await runCli(['scan', 'gateway.yaml', '--color'], { cwd: dir.path, env: { NO_COLOR: '1' } });
      assert.match(run.stdout, new RegExp(`${String.fromCharCode(27)}\\[`));
    } finally {
      dir.cleanup();
    }
  });
});

describe('errors reach stderr', () => {
  const dir = tempDir();
  before(() => {
    writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
    writeFileSync(join(dir.path, 'broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n');
  });
  after(() => dir.cleanup());

  for (const argv of [['--format', 'json'], ['-o', 'report.txt'], ['-q'], ['--format', 'sarif=out.sarif']]) {
    test(`with ${argv.join(' ')}, each input error is one line on stderr`, async () => {
      const run = await runCli(['scan', 'gateway.yaml', 'broken.yaml', '--fail-on', 'none', ...argv], { cwd: dir.path });
      assert.equal(run.code, 2);
      const lines = run.stderr.split('\n').filter((line) => line.startsWith('kfguard: input error: '));
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0] ?? '', /^kfguard: input error: broken\.yaml:\d+:\d+: \S/);
    });
  }

  test('a text report on stdout already lists them: stderr does not repeat them', async () => {
    const run = await runCli(['scan', 'gateway.yaml', 'broken.yaml', '--fail-on', 'none'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stdout, /Input errors: 1/);
    assert.doesNotMatch(run.stderr, /input error/);
  });
});

describe('unwritable output paths', () => {
  const dir = tempDir();
  before(() => {
    writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
    writeFileSync(join(dir.path, 'a-file'), 'x');
    mkdirSync(join(dir.path, 'a-dir'));
  });
  after(() => dir.cleanup());

  test('give one clear line each, exit 2, and the other outputs are still written', async () => {
    const run = await runCli(
      ['scan', 'gateway.yaml', '--format', 'json=a-file/report.json', '--format', 'sarif=a-dir', '--format', 'junit=ok.xml', '--write-baseline', 'a-dir', '--fail-on', 'none'],
      { cwd: dir.path },
    );
    assert.equal(run.code, 2);
    assert.doesNotMatch(run.stderr, /internal error|at .*\.ts:\d+/);
    assert.match(run.stderr, /^kfguard: output error: cannot write a-file\/report\.json: a part of the path is a file, not a directory$/m);
    assert.match(run.stderr, /^kfguard: output error: cannot write a-dir: it is a directory$/m);
    assert.equal(run.stderr.match(/output error/g)?.length, 3, 'the baseline too');
    assert.ok(existsSync(join(dir.path, 'ok.xml')));
    assert.match(readFileSync(join(dir.path, 'ok.xml'), 'utf8'), /<testsuites/);
  });

  test('the built binary says the same, without a stack trace', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'scan', 'gateway.yaml', '-o', 'a-dir', '--fail-on', 'none'], { cwd: dir.path, encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'kfguard: output error: cannot write a-dir: it is a directory\n');
  });
});

describe('config file names', () => {
  const rulesOff = 'rules:\n  kubeflow-dashboard-exposed: {enabled: false}\n';
  const findings = async (cwd: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): Promise<{ code: number; ids: string[]; stderr: string }> => {
    const run = await runCli(['scan', 'gateway.yaml', '--format', 'json', '--fail-on', 'none', ...extra], { cwd, env });
    return { code: run.code, ids: run.code === 2 ? [] : (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId), stderr: run.stderr };
  };
  const repo = (files: Record<string, string>): ReturnType<typeof tempDir> => {
    const dir = tempDir();
    // Laid out like a checkout.
    mkdirSync(join(dir.path, '.git'));
    writeFileSync(join(dir.path, 'gateway.yaml'), EXPOSED_GATEWAY);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir.path, name), text);
    return dir;
  };

  test('.kfguard.yml is found like .kfguard.yaml', async () => {
    const plain = repo({});
    const yml = repo({ '.kfguard.yml': rulesOff });
    try {
      assert.ok((await findings(plain.path)).ids.includes('kubeflow-dashboard-exposed'));
      assert.ok(!(await findings(yml.path)).ids.includes('kubeflow-dashboard-exposed'));
    } finally {
      plain.cleanup();
      yml.cleanup();
    }
  });

  test('both spellings in one directory is a config error, not a silent choice', async () => {
    const both = repo({ '.kfguard.yml': rulesOff, '.kfguard.yaml': 'rules: {}\n' });
    try {
      const run = await findings(both.path);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /config error: both \.kfguard\.yaml and \.kfguard\.yml in /);
    } finally {
      both.cleanup();
    }
  });

  test('KFGUARD_CONFIG names the file; --config wins over it; empty means unset', async () => {
    const dir = repo({ 'off.yaml': rulesOff, 'on.yaml': 'rules: {}\n' });
    try {
      assert.ok(!(await findings(dir.path, { KFGUARD_CONFIG: 'off.yaml' })).ids.includes('kubeflow-dashboard-exposed'));
      assert.ok((await findings(dir.path, { KFGUARD_CONFIG: 'off.yaml' }, ['--config', 'on.yaml'])).ids.includes('kubeflow-dashboard-exposed'));
      assert.ok((await findings(dir.path, { KFGUARD_CONFIG: '' })).ids.includes('kubeflow-dashboard-exposed'));
      const missing = await findings(dir.path, { KFGUARD_CONFIG: 'nope.yaml' });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope\.yaml: config file not found/);
    } finally {
      dir.cleanup();
    }
  });
});
