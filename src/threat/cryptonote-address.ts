import { keccak_256 } from '@noble/hashes/sha3';

/**
 * CryptoNote addresses (Monero, Zephyr, Zano): base58 in blocks of 8 bytes written as 11
 * characters (the last block shorter), over `varint prefix ‖ keys ‖ 4-byte checksum`, where the
 * checksum is the start of Keccak-256 (the original Keccak padding, not SHA3-256) of what precedes
 * it. Keccak comes from @noble/hashes: Node 20's OpenSSL 3.0 has SHA3 but not Keccak-256.
 * https://monerodocs.org/cryptography/base58/ and https://monerodocs.org/public-address/standard-address/
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const FULL_BLOCK_CHARS = 11;
/** Characters of an encoded block → bytes it holds (index = characters). */
const BYTES_FOR_CHARS = [0, -1, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8];

function decodeBlock(block: string, size: number, out: Uint8Array, at: number): boolean {
  let value = 0n;
  for (const char of block) {
    const digit = ALPHABET.indexOf(char);
    if (digit === -1) return false;
    value = value * 58n + BigInt(digit);
  }
  if (value >> BigInt(size * 8) !== 0n) return false;
  for (let i = size - 1; i >= 0; i--) {
    out[at + i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return true;
}

/** The bytes a CryptoNote base58 string encodes, or undefined when it is no valid encoding. */
export function cryptonoteBase58Decode(text: string): Uint8Array | undefined {
  const fullBlocks = Math.floor(text.length / FULL_BLOCK_CHARS);
  const lastChars = text.length % FULL_BLOCK_CHARS;
  const lastBytes = BYTES_FOR_CHARS[lastChars] ?? -1;
  if (lastBytes === -1) return undefined;
  const out = new Uint8Array(fullBlocks * 8 + lastBytes);
  for (let b = 0; b < fullBlocks; b++) {
    if (!decodeBlock(text.slice(b * FULL_BLOCK_CHARS, (b + 1) * FULL_BLOCK_CHARS), 8, out, b * 8)) return undefined;
  }
  if (lastChars > 0 && !decodeBlock(text.slice(fullBlocks * FULL_BLOCK_CHARS), lastBytes, out, fullBlocks * 8)) return undefined;
  return out;
}

/** True when the address decodes and its last 4 bytes are the Keccak-256 checksum of the rest. */
export function hasCryptonoteChecksum(address: string): boolean {
  const bytes = cryptonoteBase58Decode(address);
  if (bytes === undefined || bytes.length < 5) return false;
  const body = bytes.subarray(0, bytes.length - 4);
  const digest = keccak_256(body);
  return bytes.subarray(bytes.length - 4).every((byte, i) => byte === digest[i]);
}
