import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { findConfigFile } from '../../src/config/discover.js';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { ConfigError } from '../../src/core/errors.js';
import { optionSchemasOf } from '../../src/core/rule-options.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../suppress/helpers.js';

/** Whether a `.git` sits in `path` or any directory above it. */
async function insideRepository(path: string): Promise<boolean> {
  for (let directory = path; ; directory = dirname(directory)) {
    if (existsSync(join(directory, '.git'))) return true;
    if (dirname(directory) === directory) return false;
  }
}

/** What the CLI passes: every rule's id and options schema. */
const SHIPPED_RULES = { knownRuleIds: ALL_RULES.map((rule) => rule.meta.id), optionSchemas: optionSchemasOf(ALL_RULES) };

describe('config discovery and loading', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const deep = join(dir.path, 'repo', 'apps', 'ml');
  mkdirSync(deep, { recursive: true });
  // The temporary directory is the repository root, as a checkout's top directory would be.
  mkdirSync(join(dir.path, '.git'));
  const write = (relative: string, text: string): string => {
    const file = join(dir.path, relative);
    writeFileSync(file, text);
    return file;
  };

  test('walks up from the working directory to the repository root and stops at the first file found', async () => {
    const outer = write('.kfguard.yaml', 'rules: {image-registry-not-allowed: {options: {allowed: [outer.example]}}}\n');
    const inner = write('repo/.kfguard.yaml', 'rules: {image-registry-not-allowed: {options: {allowed: [inner.example]}}}\n');
    assert.equal(await findConfigFile(deep), inner);
    const loaded = await loadConfig({ cwd: deep, ...SHIPPED_RULES });
    assert.equal(loaded.file, inner);
    assert.deepEqual(loaded.config.rules['image-registry-not-allowed']?.options, { allowed: ['inner.example'] });
    assert.equal(await findConfigFile(join(dir.path, 'repo', '..')), outer);
  });

  test('no file in the working directory outside a repository gives the defaults', async () => {
    const bare = tempDir();
    try {
      assert.deepEqual(await loadConfig({ cwd: bare.path, ...SHIPPED_RULES }), { config: DEFAULT_CONFIG, warnings: [] });
    } finally {
      bare.cleanup();
    }
  });

  test('outside any repository only the working directory is searched, never its parents up to /', async (t) => {
    const bare = tempDir();
    try {
      if (await insideRepository(bare.path)) return t.skip('the temporary directory is inside a git checkout');
      const sub = join(bare.path, 'sub');
      mkdirSync(sub);
      writeFileSync(join(bare.path, '.kfguard.yaml'), 'rules: {crypto-miner-workload: {enabled: false}}\n');
      assert.equal(await findConfigFile(sub), undefined, 'a config in a parent directory (a shared /tmp) was read');
      assert.equal(await findConfigFile(bare.path), join(bare.path, '.kfguard.yaml'), 'the working directory itself is searched');
      const run = await runCli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: sub });
      assert.ok(!(JSON.parse(run.stdout) as { warnings: string[] }).warnings.some((w) => w.startsWith('config ')), run.stdout);
    } finally {
      bare.cleanup();
    }
  });

  test('a found config that is a symlink out of the repository is refused, and what it points at is never quoted', async () => {
    const repo = tempDir();
    const elsewhere = tempDir();
    try {
      mkdirSync(join(repo.path, '.git'));
      // What a committed `.kfguard.yaml -> /proc/self/environ` would reach: the CI job's environment.
      const secret = join(elsewhere.path, 'environ');
      writeFileSync(secret, 'CI_TOKEN=planted-secret-value\u0000HOME=/root');
      symlinkSync(secret, join(repo.path, '.kfguard.yaml'));
      await assert.rejects(findConfigFile(repo.path), (error: unknown) => error instanceof ConfigError && /symbolic link to a file outside/.test(error.message));
      const run = await runCli(['scan', '.', '--format', 'json'], { cwd: repo.path });
      assert.equal(run.code, 2);
      assert.doesNotMatch(run.stdout + run.stderr, /planted-secret-value/);
      // A link that stays inside the repository (one config shared by a monorepo) is followed.
      writeFileSync(join(repo.path, 'shared.yaml'), 'rules: {crypto-miner-workload: {enabled: false}}\n');
      mkdirSync(join(repo.path, 'team'));
      symlinkSync('../shared.yaml', join(repo.path, 'team', '.kfguard.yaml'));
      assert.equal(await findConfigFile(join(repo.path, 'team')), join(repo.path, 'team', '.kfguard.yaml'));
    } finally {
      repo.cleanup();
      elsewhere.cleanup();
    }
  });

  test('an explicit --config is resolved against the working directory and must exist', async () => {
    write('repo/apps/custom.yaml', 'rules: {crypto-miner-workload: {options: {poolDomains: [pool.example]}}}\n');
    const loaded = await loadConfig({ explicit: '../custom.yaml', cwd: deep, ...SHIPPED_RULES });
    assert.deepEqual(loaded.config.rules['crypto-miner-workload']?.options, { poolDomains: ['pool.example'] });
    await assert.rejects(loadConfig({ explicit: 'missing.yaml', cwd: deep, ...SHIPPED_RULES }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, 'missing.yaml: config file not found');
      return true;
    });
  });

  test('errors name the discovered file relative to the working directory', async () => {
    const nested = join(dir.path, 'bad', 'sub');
    mkdirSync(nested, { recursive: true });
    write('bad/.kfguard.yaml', 'rules: []\n');
    await assert.rejects(loadConfig({ cwd: nested, ...SHIPPED_RULES }), /^ConfigError: \.\.\/\.kfguard\.yaml: rules: expected a mapping, got a list$/);
  });
});

describe('kfguard scan with config (CLI)', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  dir.write('empty.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');

  test('--config FILE that does not exist exits 2 with a config error', async () => {
    const run = await runCli(['scan', '--config', 'nope.yaml', '.'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^kfguard: config error: nope\.yaml: config file not found\n/);
    assert.match(run.stderr, /hint: check the --config path/);
  });

  test('a KFGUARD_CONFIG file that does not exist exits 2 and the hint names KFGUARD_CONFIG', async () => {
    const run = await runCli(['scan', '.'], { cwd: dir.path, env: { PATH: process.env.PATH, KFGUARD_CONFIG: 'gone.yaml' } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^kfguard: config error: gone\.yaml: config file not found\n/);
    assert.match(run.stderr, /hint: check KFGUARD_CONFIG/);
    assert.doesNotMatch(run.stderr, /--config path/);
  });

  test('an invalid discovered config exits 2 and names the key path', async () => {
    const sub = join(dir.path, 'invalid');
    mkdirSync(sub);
    writeFileSync(join(sub, '.kfguard.yaml'), 'suppressions:\n  - {rule: "*", resource: "**", reason: r, until: tomorrow}\n');
    writeFileSync(join(sub, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    const run = await runCli(['scan', '.'], { cwd: sub });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /config error: \.kfguard\.yaml: suppressions\[0\]\.until: expected a date YYYY-MM-DD, got "tomorrow"/);
  });

  test('unknown rule ids in the config exit 2 with a hint', async () => {
    writeFileSync(join(dir.path, 'typo.yaml'), 'rules: {no-such-rule-anywhere: {enabled: false}}\n');
    const run = await runCli(['scan', '--config', 'typo.yaml', 'empty.yaml'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /rules\.no-such-rule-anywhere: unknown rule id "no-such-rule-anywhere"/);
    assert.match(run.stderr, /hint: run `kfguard rules`/);
  });

  test('a valid config lets the scan run', async () => {
    writeFileSync(join(dir.path, 'good.yaml'), 'rules: {image-registry-not-allowed: {options: {allowed: [registry.internal]}}}\n');
    const run = await runCli(['scan', '--config', 'good.yaml', 'empty.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { errors: unknown[] }).errors.length, 0);
  });
});

describe('--help of every command that discovers a config', () => {
  for (const command of ['scan', 'fix', 'snapshot', 'watch', 'audit', 'hunt', 'probe']) {
    test(`${command} names KFGUARD_CONFIG, both file names and where the search stops`, async () => {
      const run = await runCli([command, '--help']);
      assert.equal(run.code, 0, run.stderr);
      const text = run.stdout.replace(/\s+/g, ' ');
      for (const part of ['$KFGUARD_CONFIG', '.kfguard.yaml', '.kfguard.yml', 'up to the repository root', 'outside a repository, here only']) {
        assert.ok(text.includes(part), `${command} --help does not say "${part}"`);
      }
    });
  }
});
