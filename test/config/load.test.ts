import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** What the CLI passes: every rule's id and options schema. */
const SHIPPED_RULES = { knownRuleIds: ALL_RULES.map((rule) => rule.meta.id), optionSchemas: optionSchemasOf(ALL_RULES) };

describe('config discovery and loading', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const deep = join(dir.path, 'repo', 'apps', 'ml');
  mkdirSync(deep, { recursive: true });
  const write = (relative: string, text: string): string => {
    const file = join(dir.path, relative);
    writeFileSync(file, text);
    return file;
  };

  test('walks up from the working directory and stops at the first file found', async () => {
    const outer = write('.kfguard.yaml', 'rules: {image-registry-not-allowed: {options: {allowed: [outer.example]}}}\n');
    const inner = write('repo/.kfguard.yaml', 'rules: {image-registry-not-allowed: {options: {allowed: [inner.example]}}}\n');
    assert.equal(await findConfigFile(deep), inner);
    const loaded = await loadConfig({ cwd: deep, ...SHIPPED_RULES });
    assert.equal(loaded.file, inner);
    assert.deepEqual(loaded.config.rules['image-registry-not-allowed']?.options, { allowed: ['inner.example'] });
    assert.equal(await findConfigFile(join(dir.path, 'repo', '..')), outer);
  });

  test('no file anywhere up the tree gives the defaults', async (t) => {
    const bare = tempDir();
    try {
      if ((await findConfigFile(dirname(bare.path))) !== undefined) return t.skip('a .kfguard.yaml exists above the temp directory');
      assert.deepEqual(await loadConfig({ cwd: bare.path, ...SHIPPED_RULES }), { config: DEFAULT_CONFIG, warnings: [] });
    } finally {
      bare.cleanup();
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
