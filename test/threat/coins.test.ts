import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { base58CheckVersion, bech32Variant, blake2b, ergoAddressPrefix, isCashAddr } from '../../src/threat/address-checksums.js';
import { dropperHostOf, fetchesOnlyTrustedInstallers, isTrustedInstaller } from '../../src/threat/droppers.js';
import { judgeImage } from '../../src/threat/images.js';
import { compileIndicators, indicatorsFor, loadIndicatorData } from '../../src/threat/indicators.js';
import { compromisedPins, packagePins } from '../../src/threat/packages.js';
import { matchWallet } from '../../src/threat/wallets.js';
import { syntheticCryptonoteAddress, ZEPHYR_PREFIX } from './cryptonote-fixture.js';

// Address vectors are the encodings' own documentation examples (kaspad util/doc.go, the Ergo
// address docs, BIP-173/350) or were encoded for this test; none is anyone's wallet.
const KASPA = 'kaspa:qqj9fg59mptxkr9j0y53j5mwurcmda5mtza9n6v9pm9uj8h0wgk6uma5pvumr';
const ERGO = '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA';
const RAVENCOIN = 'R9HYbyjwGhXadSQbYp8LBkHUkpmtDr4vo3';
const NEXA = 'nexa:nqqqwrs4rs3j5vfc8ary64zmvf5hqam7skxf8x4p8ulpj0d2';

/** The same string with one character swapped for another of its alphabet: a typo'd look-alike. */
function flipLast(address: string): string {
  const last = address.at(-1) as string;
  return address.slice(0, -1) + (last === 'q' ? 'p' : last === '2' ? '3' : last === 'A' ? 'B' : last === '3' ? '4' : 'q');
}

describe('address checksums', () => {
  it('computes BLAKE2b as RFC 7693 does (agrees with Node at 64 bytes)', () => {
    for (const text of ['', 'abc', 'x'.repeat(129), 'y'.repeat(256)]) {
      assert.equal(Buffer.from(blake2b(Buffer.from(text), 64)).toString('hex'), createHash('blake2b512').update(text).digest('hex'));
    }
  });

  it('verifies documented Ergo, Kaspa and segwit addresses and refuses one-character look-alikes', () => {
    assert.equal(ergoAddressPrefix(ERGO), 0x01);
    assert.equal(ergoAddressPrefix('3WvsT2Gm4EpsM9Pg18PdY6XyhNNMqXDsvJTbbf6ihLvAmSb7u5RN'), 0x11);
    assert.equal(ergoAddressPrefix(flipLast(ERGO)), undefined);
    assert.ok(isCashAddr(KASPA, 'kaspa'));
    assert.ok(isCashAddr('kaspa:qqfgqp8l9l90zwetj84k2jcac2m8falvvyy8xjtnhd', 'kaspa'));
    assert.ok(!isCashAddr(flipLast(KASPA), 'kaspa'));
    assert.ok(!isCashAddr(KASPA.replace('kaspa:', 'nexa:'), 'nexa'), 'the prefix is part of the checksum');
    assert.equal(bech32Variant('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'), 'bech32');
    assert.equal(bech32Variant('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'), 'bech32m');
    assert.equal(bech32Variant('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp'), undefined);
    assert.equal(base58CheckVersion('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'), 0);
    assert.equal(base58CheckVersion(RAVENCOIN), 60);
    assert.equal(base58CheckVersion(flipLast(RAVENCOIN)), undefined);
  });
});

describe('wallet formats of the coins mined now', () => {
  it('recognises each format in a pool login', () => {
    const cases: [string, string][] = [
      [`${KASPA}.rig1`, 'Kaspa'],
      [NEXA, 'Nexa'],
      [`${RAVENCOIN}.gpu0`, 'Ravencoin'],
      [ERGO, 'Ergo'],
      [syntheticCryptonoteAddress(ZEPHYR_PREFIX), 'Zephyr'],
      [`Zx${'A'.repeat(95)}`, 'Zano'],
      ['a'.repeat(64), 'Iron Fish'],
      ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.worker', 'Bitcoin'],
    ];
    for (const [login, format] of cases) assert.equal(matchWallet(login)?.format, format, login);
    // Plain hex is also a contract, a key or a digest: it never makes a command line a miner on its own.
    assert.equal(matchWallet(KASPA)?.distinctive, true);
    assert.equal(matchWallet('a'.repeat(64))?.distinctive, false);
    assert.equal(matchWallet('0x00000000000000000000000000000000DeaDBeef')?.distinctive, false);
  });

  it('refuses look-alikes whose checksum fails, and ordinary tokens', () => {
    const lookAlikes = [
      flipLast(KASPA),
      flipLast(NEXA),
      flipLast(RAVENCOIN),
      flipLast(ERGO),
      'bc1qexampleexampleexampleexamplexyz',
      '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
      // a 34-character base58 token starting with R (a Redis key, a ticket id)
      'RaNdomTokenRaNdomTokenRaNdomTokenX',
      'kaspa:notanaddress',
      'ZEPHYR',
      `ZEPHYR${'2'.repeat(92)}`,
      'A'.repeat(64),
    ];
    for (const value of lookAlikes) assert.equal(matchWallet(value), undefined, value);
  });
});

describe('pool endpoints', () => {
  it('covers every listed TLS endpoint, 443 included, by a pool domain', () => {
    const data = loadIndicatorData();
    const indicators = indicatorsFor(undefined);
    const endpoints = (data.poolTlsEndpoints ?? []).flatMap((e) => e.values);
    assert.ok(endpoints.some((e) => e.endsWith(':443')));
    for (const endpoint of endpoints) {
      const host = endpoint.slice(0, endpoint.lastIndexOf(':'));
      assert.ok(indicators.poolDomains.some((d) => host === d || host.endsWith(`.${d}`)), endpoint);
    }
    for (const pool of ['kas.herominers.com', 'rvn.woolypooly.com', 'kawpow.eu.mine.zergpool.com', 'xmr.kryptex.network', 'erg.2miners.com', 'kaspa.k1pool.com', 'xmr-eu1.nanopool.org', 'xmrpool.eu', 'monerohash.com', 'zephyr.miningocean.org', 'community-pools.mysrv.cloud']) {
      assert.ok(indicators.poolDomains.some((d) => pool === d || pool.endsWith(`.${d}`)), pool);
    }
  });
});

describe('images that say what they are', () => {
  const indicators = indicatorsFor(undefined);
  it('names miners by whole words of the repository path', () => {
    for (const image of ['someone/xmrig:6.21', 'ghcr.io/x/lolminer-cuda:1.88', 'docker.io/u/monero-miner', 'quay.io/a/srbminer-multi@sha256:abc', 'registry.example.com:5000/team/gpu_miner:v2', 'u/xmr-stak']) {
      assert.equal(judgeImage(image, indicators)?.kind, 'miner-image-name', image);
    }
    assert.equal(judgeImage('docker.io/kannix/monero-miner:latest', indicators)?.kind, 'known-miner-image');
  });

  it('leaves look-alike names alone', () => {
    for (const image of ['minio/minio:RELEASE.2024', 'determinedai/determined-master:0.30', 'minerl/minerl:1.0', 'oracle/logminer:19', 'team/log-miner:1', 'apache/text-miner:2', 'org/data-mining-pipeline:3', 'miner.registry.example.com/app:1']) {
      assert.equal(judgeImage(image, indicators), undefined, image);
    }
  });

  it('lets the user trust an image', () => {
    const trusting = compileIndicators(loadIndicatorData(), { trustedImages: ['someone/xmrig'] });
    assert.equal(judgeImage('someone/xmrig:6.21', trusting), undefined);
  });
});

describe('compromised packages', () => {
  it('reads pins the way pip, conda and npm read them', () => {
    assert.deepEqual(packagePins('pip install -q "Ultralytics[export]==8.3.41" torch'), [{ name: 'ultralytics', version: '8.3.41', ecosystem: 'pypi' }]);
    assert.deepEqual(packagePins('npm i @scope/pkg@1.2.3'), [{ name: '@scope/pkg', version: '1.2.3', ecosystem: 'npm' }]);
    assert.deepEqual(packagePins('conda install -y ultralytics=8.3.42'), [{ name: 'ultralytics', version: '8.3.42', ecosystem: 'conda' }]);
  });

  it('finds listed versions only when pinned exactly', () => {
    const hits = (text: string): string[] => compromisedPins(text).map(({ entry, pin }) => `${entry.name}@${pin.version}`);
    assert.deepEqual(hits('pip install ultralytics==8.3.41'), ['ultralytics@8.3.41']);
    assert.deepEqual(hits('numpy==1.26.4\nultralytics == 8.3.46\n'), ['ultralytics@8.3.46']);
    assert.deepEqual(hits("packages_to_install=['ultralytics===8.3.45']"), ['ultralytics@8.3.45']);
    assert.deepEqual(hits('npm install ua-parser-js@0.7.29'), ['ua-parser-js@0.7.29']);
    for (const clean of ['pip install ultralytics==8.3.40', 'pip install "ultralytics>=8.3.41"', 'pip install ultralytics==8.3.410', 'pip install my-ultralytics==8.3.41', 'npm i ua-parser-js@0.7.30', 'see https://example.com/ultralytics==8.3.41']) {
      assert.deepEqual(hits(clean), [], clean);
    }
  });
});

describe('droppers', () => {
  const indicators = indicatorsFor(undefined);
  it('names the host a dropper came from', () => {
    assert.equal(dropperHostOf('https://pastebin.com/raw/AbCd', indicators)?.label, 'paste site');
    assert.equal(dropperHostOf('https://ipfs.io/ipfs/bafy/x.sh', indicators)?.label, 'IPFS gateway');
    assert.equal(dropperHostOf('http://abc123.oast.fun/x', indicators)?.label, 'out-of-band callback host');
    assert.equal(dropperHostOf('https://files.catbox.moe/x.bin', indicators)?.label, 'anonymous file host');
    assert.equal(dropperHostOf('https://notpastebin.com/raw/x', indicators), undefined);
    assert.equal(dropperHostOf('https://github.com/org/repo/releases/x.tar.gz', indicators), undefined);
  });

  it('trusts a well-known installer only from its own project domain', () => {
    for (const url of ['https://astral.sh/uv/install.sh', 'https://get.docker.com', 'https://pixi.sh/install.sh', 'https://raw.githubusercontent.com/aquasecurity/trivy/main/contrib/install.sh', 'https://github.com/conda-forge/miniforge/releases/latest/download/Miniforge3-Linux-x86_64.sh']) {
      assert.ok(isTrustedInstaller(url, indicators), url);
    }
    for (const url of ['https://get.docker.com.evil.example/x', 'http://get.docker.com', 'https://astral.sh.evil.example/uv/install.sh', 'https://raw.githubusercontent.com/attacker/trivy/main/contrib/install.sh', 'https://pastebin.com/raw/astral.sh/uv/']) {
      assert.ok(!isTrustedInstaller(url, indicators), url);
    }
    assert.ok(fetchesOnlyTrustedInstallers(['curl', '-LsSf', 'https://astral.sh/uv/install.sh'], indicators));
    assert.ok(!fetchesOnlyTrustedInstallers(['curl', 'https://astral.sh/uv/install.sh', 'https://pastebin.com/raw/x'], indicators));
  });
});
