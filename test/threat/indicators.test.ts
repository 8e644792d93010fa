import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileIndicators, imageRepository, indicatorsFor, loadIndicatorData } from '../../src/threat/indicators.js';
import { matchWallet, shortWallet } from '../../src/threat/wallets.js';
import { syntheticCryptonoteAddress } from './cryptonote-fixture.js';

describe('indicator data', () => {
  it('loads every shipped list, each entry with an https source', () => {
    const data = loadIndicatorData();
    for (const key of ['minerBinaries', 'images', 'poolDomains', 'stratumSchemes', 'strongFlags', 'commandLineSubstrings']) {
      assert.ok((data[key]?.length ?? 0) > 0, `${key} is empty`);
    }
    for (const entries of Object.values(data)) for (const entry of entries) assert.match(entry.source, /^https:\/\//);
    const indicators = indicatorsFor(undefined);
    assert.ok(indicators.minerBinaries.has('xmrig') && indicators.minerBinaries.has('ethminer'));
    assert.equal(indicators.stratumUrl.test('x stratum+tcp://pool.example.com:3333'), true);
    indicators.stratumUrl.lastIndex = 0;
  });

  it('rejects an entry without a source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-ioc-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nminerBinaries:\n  - { value: evilminer }\n');
      assert.throws(() => loadIndicatorData(dir), /needs a "source" https URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the config extensions', () => {
    const extended = compileIndicators(loadIndicatorData(), { minerBinaries: ['SuperMiner'], poolDomains: ['pool.example.com'], images: ['ghcr.io/bad/miner:1'], trustedImages: [] });
    assert.ok(extended.minerBinaries.has('superminer'));
    assert.ok(extended.poolDomains.includes('pool.example.com'));
    assert.ok(extended.images.has('ghcr.io/bad/miner'));
  });

  it('reduces image references to their repository', () => {
    assert.equal(imageRepository('docker.io/kannix/monero-miner:latest'), 'kannix/monero-miner');
    assert.equal(imageRepository('registry:5000/a/b:1@sha256:abc'), 'registry:5000/a/b');
    assert.equal(imageRepository('docker.io/library/busybox'), 'busybox');
  });
});

describe('wallet formats', () => {
  // The Monero General Fund donation address, https://www.getmonero.org/get-started/contributing/
  const monero = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
  it('recognises Monero, EVM, Bitcoin, Dero and unMineable logins', () => {
    assert.equal(matchWallet(monero)?.format, 'Monero');
    assert.equal(matchWallet(syntheticCryptonoteAddress('2a'))?.format, 'Monero');
    assert.equal(matchWallet(`${monero}.rig1`)?.format, 'Monero');
    assert.equal(matchWallet(syntheticCryptonoteAddress('13', 0x11, 72))?.format, 'Monero integrated');
    assert.equal(matchWallet('SHIB:0x00000000000000000000000000000000DeaDBeef.worker1')?.format, 'EVM (SHIB pool login)');
    // BIP-173's and BIP-350's own example addresses.
    assert.equal(matchWallet('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')?.format, 'Bitcoin');
    assert.equal(matchWallet('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')?.format, 'Bitcoin');
    assert.equal(matchWallet(`dero1${'q'.repeat(58)}`)?.format, 'Dero');
  });

  it('ignores user names, emails and short tokens', () => {
    for (const value of ['admin', 'worker1', 'user@example.com', '0x1234', 'postgres']) assert.equal(matchWallet(value), undefined, value);
  });

  it('shortens long wallets for evidence', () => {
    assert.equal(shortWallet(monero).length, 17);
  });
});
