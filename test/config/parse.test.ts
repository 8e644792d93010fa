import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { ConfigError } from '../../src/core/errors.js';
import { optionSchemasOf } from '../../src/core/rule-options.js';
import { ALL_RULES } from '../../src/rules/index.js';

const KNOWN = ['kubeflow-dashboard-exposed', 'container-privileged', 'miner-pool-domain'];

function parse(text: string) {
  return parseConfig(text, '.kfguard.yaml', KNOWN, optionSchemasOf(ALL_RULES));
}

function configErrorOf(text: string): ConfigError {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('parseConfig', () => {
  test('an empty file gives the defaults', () => {
    assert.deepEqual(parse(''), DEFAULT_CONFIG);
    assert.deepEqual(parse('# only a comment\n'), DEFAULT_CONFIG);
  });

  test('reads every section', () => {
    const config = parse(`
rules:
  container-privileged: {enabled: false}
  kubeflow-dashboard-exposed: {severity: critical}
suppressions:
  - rule: miner-pool-domain
    resource: "research/*/xmrig-*"
    reason: honeypot
    until: 2026-12-31
  - {rule: "*", resource: "sandbox/**", reason: throwaway namespace}
indicators:
  minerBinaries: [t-rex]
  poolDomains: [pool.example.org]
  images: [evil/miner]
  trustedImages: [registry.internal/xmrig-exporter]
registries:
  allowed: [registry.internal, ghcr.io/kubeflow]
`);
    assert.deepEqual(config, {
      rules: {
        'container-privileged': { enabled: false },
        'kubeflow-dashboard-exposed': { severity: 'critical' },
        'crypto-miner-workload': { options: { minerBinaries: ['t-rex'], poolDomains: ['pool.example.org'], images: ['evil/miner'], trustedImages: ['registry.internal/xmrig-exporter'] } },
        'image-registry-not-allowed': { options: { allowed: ['registry.internal', 'ghcr.io/kubeflow'] } },
      },
      suppressions: [
        { rule: 'miner-pool-domain', resource: 'research/*/xmrig-*', reason: 'honeypot', until: '2026-12-31' },
        { rule: '*', resource: 'sandbox/**', reason: 'throwaway namespace' },
      ],
      lists: {},
    });
  });

  test('a bad severity names the key path, the choices and the value', () => {
    const error = configErrorOf('rules:\n  container-privileged:\n    severity: urgent\n');
    assert.equal(error.message, '.kfguard.yaml: rules.container-privileged.severity: expected one of critical|high|medium|low|info, got "urgent"');
  });

  test('unknown keys are errors that list the allowed keys', () => {
    assert.equal(
      configErrorOf('rule: {}\n').message,
      '.kfguard.yaml: rule: unknown key, expected one of rules, suppressions, lists, ignoreHorizonDays, liveInlineIgnores, indicators, registries, webhook',
    );
    assert.equal(
      configErrorOf('indicators: {poolDomain: [x]}\n').message,
      '.kfguard.yaml: indicators.poolDomain: unknown key, expected one of minerBinaries, poolDomains, images, trustedImages',
    );
    assert.match(configErrorOf('suppressions: [{rule: "*", resource: "**", reason: r, expires: 2026-01-01}]').message, /suppressions\[0\]\.expires: unknown key, expected one of rule, resource, reason, until/);
  });

  test('wrong types say what was expected and what was found', () => {
    assert.equal(configErrorOf('rules:\n  container-privileged: {enabled: "no"}\n').message, '.kfguard.yaml: rules.container-privileged.enabled: expected a boolean, got "no"');
    assert.equal(configErrorOf('indicators: {poolDomains: pool.example.org}\n').message, '.kfguard.yaml: indicators.poolDomains: expected a list, got "pool.example.org"');
    assert.equal(configErrorOf('registries: {allowed: [1]}\n').message, '.kfguard.yaml: registries.allowed[0]: expected a string, got 1');
    assert.equal(configErrorOf('- a\n- b\n').message, '.kfguard.yaml: (top level): expected a mapping, got a list');
  });

  test('suppressions need a reason, and until must be a real date', () => {
    assert.equal(
      configErrorOf('suppressions: [{rule: "*", resource: "**"}]').message,
      '.kfguard.yaml: suppressions[0].reason: missing, expected a string',
    );
    assert.equal(
      configErrorOf('suppressions: [{rule: "*", resource: "**", reason: "  "}]').message,
      '.kfguard.yaml: suppressions[0].reason: expected a non-empty reason, got "  "',
    );
    assert.equal(
      configErrorOf('suppressions: [{rule: "*", resource: "**", reason: r, until: 2026-02-30}]').message,
      '.kfguard.yaml: suppressions[0].until: expected a date YYYY-MM-DD, got "2026-02-30"',
    );
  });

  test('several problems are reported together', () => {
    const lines = configErrorOf('rules: {container-privileged: {severity: bad}}\nregistries: {allowed: nope}\n').message.split('\n');
    assert.equal(lines.length, 2);
  });

  test('unknown rule ids are errors with the nearest known ids', () => {
    const error = configErrorOf('rules:\n  container-privileged-x: {enabled: false}\nsuppressions: [{rule: kubeflow-dashbord-exposed, resource: "**", reason: r}]\n');
    assert.equal(
      error.message,
      [
        '.kfguard.yaml: rules.container-privileged-x: unknown rule id "container-privileged-x" (did you mean container-privileged?)',
        '  .kfguard.yaml: suppressions[0].rule: unknown rule id "kubeflow-dashbord-exposed" (did you mean kubeflow-dashboard-exposed?)',
      ].join('\n'),
    );
    assert.match(error.hint ?? '', /kfguard rules/);
    assert.match(configErrorOf('rules: {zzz: {}}').message, /unknown rule id "zzz"$/);
  });

  test('YAML syntax errors give file, line and column', () => {
    assert.match(configErrorOf('rules:\n  a: [unclosed\n').message, /^\.kfguard\.yaml:\d+:\d+: invalid YAML: /);
    assert.match(configErrorOf('rules: {}\nrules: {}\n').message, /^\.kfguard\.yaml:2:1: invalid YAML: Map keys must be unique$/);
  });

  test('more than one YAML document is an error', () => {
    assert.match(configErrorOf('rules: {}\n---\nrules: {}\n').message, /expected one YAML document, found 2/);
  });
});
