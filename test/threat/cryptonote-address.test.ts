import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3';
import { cryptonoteBase58Decode, hasCryptonoteChecksum } from '../../src/threat/cryptonote-address.js';
import { matchWallet } from '../../src/threat/wallets.js';
import { syntheticCryptonoteAddress, ZEPHYR_PREFIX } from './cryptonote-fixture.js';

// The Monero General Fund donation address, published at https://www.getmonero.org/get-started/contributing/
const MONERO = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';

/** Changes one character in the middle of the key part (not the prefix), keeping the alphabet. */
function flipAt(address: string, index: number): string {
  const c = address[index] === 'A' ? 'B' : 'A';
  return address.slice(0, index) + c + address.slice(index + 1);
}

describe('CryptoNote address checksums (Keccak-256)', () => {
  it('uses Keccak-256, not SHA3-256 (they differ in padding)', () => {
    assert.equal(Buffer.from(keccak_256(new Uint8Array())).toString('hex'), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  });

  it('accepts a published Monero address and refuses it with one character changed', () => {
    assert.equal(cryptonoteBase58Decode(MONERO)?.length, 69);
    assert.equal(hasCryptonoteChecksum(MONERO), true);
    assert.equal(matchWallet(MONERO)?.format, 'Monero');
    for (const index of [5, 40, 90]) {
      assert.equal(hasCryptonoteChecksum(flipAt(MONERO, index)), false, `flipped at ${index}`);
      assert.equal(matchWallet(flipAt(MONERO, index)), undefined, `flipped at ${index}`);
    }
  });

  it('checks Zephyr addresses with their five-byte prefix', () => {
    const zephyr = syntheticCryptonoteAddress(ZEPHYR_PREFIX);
    assert.match(zephyr, /^ZEPHYR/);
    assert.equal(matchWallet(zephyr)?.format, 'Zephyr');
    assert.equal(matchWallet(flipAt(zephyr, 50)), undefined);
  });

  it('refuses what is not CryptoNote base58', () => {
    assert.equal(cryptonoteBase58Decode('0OIl'), undefined);
    // A last block of 4 characters holds no whole number of bytes.
    assert.equal(cryptonoteBase58Decode('1111'), undefined);
    assert.equal(hasCryptonoteChecksum(`4${'1'.repeat(94)}`), false);
  });
});
