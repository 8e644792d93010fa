import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/core/types.js';
import { SCAN_LIMITS } from '../../src/threat/scan-queue.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { runCase } from '../../src/testing/rule-tester.js';

const SECRET_POOL = 'stratum+tcp://secret-pool.example.com:3333';
const SECRET_WALLET = '0x00000000000000000000000000000000DeaDBeef';

function podUsingSecret(volume: boolean): K8sObject[] {
  const secret: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'miner-conf', namespace: 'ml' },
    data: { 'config.json': Buffer.from(JSON.stringify({ 'donate-level': 0, pools: [{ url: SECRET_POOL, user: SECRET_WALLET }] })).toString('base64') },
  };
  const container = volume
    ? { name: 'w', image: 'ghcr.io/example/w:1', volumeMounts: [{ name: 'c', mountPath: '/c' }] }
    : { name: 'w', image: 'ghcr.io/example/w:1', env: [{ name: 'CONF', valueFrom: { secretKeyRef: { name: 'miner-conf', key: 'config.json' } } }] };
  const pod: K8sObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'w', namespace: 'ml' },
    spec: { containers: [container], ...(volume ? { volumes: [{ name: 'c', secret: { secretName: 'miner-conf' } }] } : {}) },
  };
  return [secret, pod];
}

describe('crypto-miner-workload evidence', () => {
  for (const volume of [true, false]) {
    it(`names the Secret and key but never prints its values (${volume ? 'volume' : 'secretKeyRef'})`, () => {
      const findings = runCase(cryptoMinerWorkload, { name: 'secret', objects: podUsingSecret(volume) });
      assert.equal(findings.length, 1);
      const [finding] = findings;
      assert.equal(finding?.severity, 'critical');
      const printed = JSON.stringify(finding);
      assert.ok(printed.includes('Secret ml/miner-conf key \\"config.json\\"'), printed);
      assert.ok(printed.includes('value not shown'));
      for (const value of [SECRET_POOL, 'secret-pool', SECRET_WALLET, 'DeaDBeef']) assert.ok(!printed.includes(value), `leaked ${value}`);
    });
  }

  it('names the decoded layer for nested encodings', () => {
    const inner = Buffer.from('./xmrig -o stratum+tcp://pool.example.com:3333').toString('base64');
    const outer = Buffer.from(`echo ${inner} | base64 -d | sh`).toString('base64');
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'nested' },
      spec: { containers: [{ name: 'c', image: 'alpine', command: ['sh', '-c', `echo ${outer} | base64 -d | sh`] }] },
    };
    const [finding] = runCase(cryptoMinerWorkload, { name: 'nested', objects: [pod] });
    assert.ok(finding?.evidence.some((e) => e.includes('Stratum URL') && e.includes('(base64 layer 2)')), finding?.evidence.join('\n'));
  });

  it(`follows ${SCAN_LIMITS.maxDepth} layers and stops after them, saying so`, () => {
    const wrap = (layers: number): K8sObject => {
      let payload = 'stratum+tcp://pool.example.com:3333';
      for (let i = 0; i < layers; i++) payload = `echo ${Buffer.from(payload).toString('base64')} | base64 -d | sh`;
      return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'deep' }, spec: { containers: [{ name: 'c', image: 'alpine', args: [payload] }] } };
    };
    const within = runCase(cryptoMinerWorkload, { name: 'within', objects: [wrap(SCAN_LIMITS.maxDepth)] }).flatMap((f) => f.evidence);
    assert.ok(within.some((e) => e.startsWith('Stratum URL') && e.includes(`base64 layer ${SCAN_LIMITS.maxDepth}`)), within.join('\n'));
    const beyond = runCase(cryptoMinerWorkload, { name: 'beyond', objects: [wrap(SCAN_LIMITS.maxDepth + 1)] }).flatMap((f) => f.evidence);
    assert.ok(!beyond.some((e) => e.startsWith('Stratum URL')), beyond.join('\n'));
    // The last layer read still holds the base64 form of "stratum+tcp://", and the cut is named.
    assert.ok(beyond.some((e) => e.includes('miner command-line string') && e.includes(`base64 layer ${SCAN_LIMITS.maxDepth}`)), beyond.join('\n'));
    assert.ok(beyond.some((e) => e.includes('not examined') || e.includes('cut short')), beyond.join('\n'));
  });
});

describe('crypto-miner-workload variable resolution and hex', () => {
  it('resolves ${VAR} in a shell script from the container env', () => {
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'vars' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'alpine',
            command: ['sh', '-c', '/opt/run --url "${P}" --user $W'],
            env: [
              { name: 'P', value: 'pool.example.com:3333' },
              { name: 'W', value: '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A' },
            ],
          },
        ],
      },
    };
    const [finding] = runCase(cryptoMinerWorkload, { name: 'vars', objects: [pod] });
    // A pool endpoint and a wallet on one command line is a miner whatever the binary is called.
    assert.equal(finding?.severity, 'critical');
    const evidence = finding?.evidence.join('\n') ?? '';
    assert.match(evidence, /miner command line \(pool endpoint and wallet\) "pool\.example\.com:3333 with a Monero wallet"/);
    assert.match(evidence, /wallet address "Monero 44AFFq5kSi…[^"]*" in container "c" command\[2\] \(after resolving \$\{P\} from env P, \$W from env W\)/);
    assert.match(evidence, /mining pool port with host "pool\.example\.com:3333"/);
  });

  it('a wallet in a plain env var alone is not evidence', () => {
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'dapp' },
      spec: { containers: [{ name: 'api', image: 'node:20', env: [{ name: 'WALLET_ADDRESS', value: '0x00000000000000000000000000000000DeaDBeef' }] }] },
    };
    assert.deepEqual(runCase(cryptoMinerWorkload, { name: 'dapp', objects: [pod] }), []);
  });

  it('decodes a hex-escaped payload', () => {
    const hex = [...Buffer.from('./xmrig -o stratum+tcp://pool.example.com:3333')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hex' }, spec: { containers: [{ name: 'c', image: 'alpine', args: [`printf '${hex}' | sh`] }] } };
    const [finding] = runCase(cryptoMinerWorkload, { name: 'hex', objects: [pod] });
    assert.equal(finding?.severity, 'critical');
    assert.ok(finding?.evidence.some((e) => e.startsWith('Stratum URL') && e.endsWith('(hex layer 1)')), finding?.evidence.join('\n'));
  });
});

describe('crypto-miner-workload indicator extensions from config', () => {
  const pod: K8sObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'custom' },
    spec: { containers: [{ name: 'c', image: 'registry.example.com/tools/hasher:2', command: ['/opt/hashd', '--endpoint', 'mine.corp-pool.example:443'] }] },
  };

  it('finds nothing with the shipped indicators', () => {
    assert.deepEqual(runCase(cryptoMinerWorkload, { name: 'plain', objects: [pod] }), []);
  });

  it('uses pool domains, binaries and images added in .kfguard.yaml', () => {
    const config = { rules: { 'crypto-miner-workload': { options: { minerBinaries: ['hashd'], poolDomains: ['corp-pool.example'], images: ['registry.example.com/tools/hasher'] } } } };
    const [finding] = runCase(cryptoMinerWorkload, { name: 'extended', objects: [pod], config });
    assert.equal(finding?.severity, 'critical');
    const evidence = finding?.evidence.join('\n') ?? '';
    for (const expected of ['known miner image', 'miner binary "hashd"', 'mining pool host "mine.corp-pool.example"']) assert.ok(evidence.includes(expected), evidence);
  });
});
