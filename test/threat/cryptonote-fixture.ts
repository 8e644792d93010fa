import { keccak_256 } from '@noble/hashes/sha3';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const CHARS_FOR_BYTES = [0, 2, 3, 5, 6, 7, 9, 10, 11];

/** CryptoNote base58 (8-byte blocks as 11 characters), written independently of the decoder under test. */
function encode(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; at += 8) {
    const block = bytes.subarray(at, at + 8);
    let value = 0n;
    for (const byte of block) value = (value << 8n) | BigInt(byte);
    let chars = '';
    for (let i = 0; i < (CHARS_FOR_BYTES[block.length] as number); i++) {
      chars = ALPHABET[Number(value % 58n)] + chars;
      value /= 58n;
    }
    out += chars;
  }
  return out;
}

/**
 * A synthetic CryptoNote address: `prefix ‖ 64 key bytes ‖ Keccak-256 checksum`. Zephyr's standard
 * prefix is varint 0xc0b1f4a062 (it encodes to "ZEPHYR…"); Monero's are 0x12 ("4…"), 0x2a (subaddress
 * "8…") and 0x13 (integrated, 8 more bytes of payment id). The keys are a fixed fill, not a wallet.
 */
export function syntheticCryptonoteAddress(prefixHex: string, fill = 0x11, keyBytes = 64): string {
  const body = Buffer.concat([Buffer.from(prefixHex, 'hex'), Buffer.alloc(keyBytes, fill)]);
  return encode(Buffer.concat([body, Buffer.from(keccak_256(body).subarray(0, 4))]));
}

export const ZEPHYR_PREFIX = 'c0b1f4a062';
