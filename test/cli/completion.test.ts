import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { optionsAcceptedBy } from '../../src/cli/args.js';
import { COMMAND_TREE, leafCommands } from '../../src/cli/command-tree.js';
import { MAIN_HELP } from '../../src/cli/help.js';
import { SEVERITIES } from '../../src/core/severity.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

const hasShell = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

async function script(shell: string): Promise<string> {
  const run = await runCli(['completion', shell]);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

describe('kfguard completion bash', { skip: hasShell('bash') ? false : 'bash not installed' }, () => {
  const dir = tempDir('kfguard-completion-');
  after(() => dir.cleanup());

  /** Sources the script in bash, completes the words given (the last one is being typed) and returns the candidates. */
  async function complete(...words: string[]): Promise<string[]> {
    const file = join(dir.path, 'kfguard.bash');
    writeFileSync(file, await script('bash'));
    const line = ['kfguard', ...words];
    const program = [
      `source ${JSON.stringify(file)}`,
      `COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')})`,
      `COMP_CWORD=${line.length - 1}`,
      '_kfguard',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { cwd: dir.path, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.split('\n').filter((w) => w !== '');
  }

  test('the script parses', async () => {
    const file = join(dir.path, 'syntax.bash');
    writeFileSync(file, await script('bash'));
    const result = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  test('commands, subcommands and flags', async () => {
    assert.deepEqual(await complete('sc'), ['scan']);
    assert.deepEqual(await complete('webhook', 's'), ['serve']);
    assert.deepEqual(await complete('scan', '--fail'), ['--fail-on']);
    assert.deepEqual(await complete('webhook', 'serve', '--mo'), ['--mode']);
    assert.deepEqual(await complete('completion', ''), ['bash', 'zsh', 'fish']);
    assert.ok((await complete('help', '')).includes('webhook'));
  });

  test('flag values: severities, formats, rule ids, categories', async () => {
    assert.deepEqual(await complete('scan', '--fail-on', ''), [...SEVERITIES, 'none']);
    assert.ok((await complete('scan', '-f', '')).includes('sarif'));
    assert.deepEqual(await complete('rules', '--format', ''), ['text', 'json', 'markdown']);
    assert.deepEqual(await complete('scan', '--rule', 'crypto-'), ['crypto-miner-workload']);
    assert.deepEqual(await complete('explain', 'kubeflow-dash'), ['kubeflow-dashboard-exposed']);
    assert.deepEqual(await complete('scan', '--category', 'thr'), ['threat']);
  });

  test('paths complete as files', async () => {
    writeFileSync(join(dir.path, 'manifest-one.yaml'), '');
    assert.deepEqual(await complete('scan', 'manifest-'), ['manifest-one.yaml']);
    assert.deepEqual(await complete('scan', '--config', 'manifest-'), ['manifest-one.yaml']);
  });

  test('a file name with spaces is one candidate, not one per word', async () => {
    writeFileSync(join(dir.path, 'with space.yaml'), '');
    assert.deepEqual(await complete('scan', 'with'), ['with space.yaml']);
    assert.deepEqual(await complete('scan', '-o', 'with'), ['with space.yaml']);
    assert.deepEqual(await complete('fix', 'with'), ['with space.yaml']);
  });
});

describe('kfguard completion zsh and fish', () => {
  test('zsh registers _kfguard and knows every command, flag and rule id', async (t) => {
    const zsh = await script('zsh');
    assert.match(zsh, /^#compdef kfguard\n/);
    assert.match(zsh, /compdef _kfguard kfguard/);
    for (const word of ['scan', 'webhook', '--fail-on', '--snapshot-from', ...ALL_RULES.map((r) => r.meta.id)]) assert.ok(zsh.includes(word), word);
    if (!hasShell('zsh')) return t.skip('zsh not installed: its syntax was not checked');
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, '_kfguard'), zsh);
      const result = spawnSync('zsh', ['-n', join(dir.path, '_kfguard')], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      dir.cleanup();
    }
  });

  test('fish gives each flag to its own command, with its description and values', async (t) => {
    const fish = await script('fish');
    assert.match(fish, /^complete -c kfguard -n __fish_use_subcommand -a scan -d /m);
    assert.match(fish, /^complete -c kfguard -n '__fish_seen_subcommand_from scan' -l fail-on -x -a 'critical high medium low info none' -d 'exit 1 when a finding is at or above: critical, high \(default\),'$/m);
    assert.match(fish, /^complete -c kfguard -n '__fish_seen_subcommand_from webhook; and __fish_seen_subcommand_from serve' -l tls-cert -r -F /m);
    assert.match(fish, /^complete -c kfguard -n '__fish_seen_subcommand_from scan' -l quiet -s q -d /m);
    if (!hasShell('fish')) return t.skip('fish not installed: its syntax was not checked');
    const result = spawnSync('fish', ['--no-execute', '-c', fish], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  test('an unknown shell is a usage error', async () => {
    const run = await runCli(['completion', 'powershell']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no completion for shell "powershell"/);
  });
});

describe('completion knows every command and flag the help shows', () => {
  const commandsInMainHelp = [...MAIN_HELP.matchAll(/^ {2}kfguard ([a-z]+)/gm)].map((m) => m[1] as string);

  test('every command of the main help is in the command tree (probe, watch, audit, hunt included)', () => {
    assert.ok(commandsInMainHelp.length >= 12, commandsInMainHelp.join(' '));
    for (const name of new Set(commandsInMainHelp)) assert.ok(COMMAND_TREE.some((node) => node.name === name), `${name} is missing from completion`);
  });

  for (const shell of ['bash', 'zsh', 'fish']) {
    test(`${shell}: every flag a command accepts (and so its help lists) is offered for that command`, async () => {
      const text = await script(shell);
      for (const name of new Set(commandsInMainHelp)) assert.match(text, new RegExp(`\\b${name}\\b`), `${shell} lacks ${name}`);
      for (const { key } of leafCommands()) {
        // --help makes the command hand its options to the parser, which records them.
        assert.equal((await runCli([...key.split(' '), '--help'])).code, 0, key);
        const accepted = Object.keys(optionsAcceptedBy(key) ?? { help: {} });
        const offered = shell === 'fish' ? fishFlagsOf(text, key) : shellFlagsOf(text, key);
        for (const flag of accepted) assert.ok(offered.has(flag), `${shell}: kfguard ${key} accepts --${flag} but completion does not offer it`);
      }
    });
  }
});

/** The flags a bash or zsh script offers for `key` (its `"key") compadd/compgen -W "..."` arm). */
function shellFlagsOf(text: string, key: string): Set<string> {
  const arm = text.split('\n').find((line) => line.trim().startsWith(`"${key}") `) && /--[a-z]/.test(line));
  return new Set([...(arm ?? '').matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1] as string));
}

/** The flags a fish script offers for `key`: `complete … -n '__fish_seen_subcommand_from key' -l flag`. */
function fishFlagsOf(text: string, key: string): Set<string> {
  const [command, sub] = key.split(' ');
  const condition = sub === undefined ? `__fish_seen_subcommand_from ${command}'` : `__fish_seen_subcommand_from ${command}; and __fish_seen_subcommand_from ${sub}'`;
  return new Set(text.split('\n').filter((line) => line.includes(condition)).flatMap((line) => [...line.matchAll(/ -l ([a-z][a-z0-9-]*)/g)].map((m) => m[1] as string)));
}
