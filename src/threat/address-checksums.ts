import { createHash } from 'node:crypto';

/**
 * Checksums of wallet address encodings, so a string that only looks like an address (a random
 * base58 token, a typo'd example) is not taken for one. Each function answers "is this a valid
 * encoding", nothing more; the formats are in `wallets.ts`.
 */

const BECH32_ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function fiveBitValues(text: string): number[] | undefined {
  const values: number[] = [];
  for (const char of text) {
    const value = BECH32_ALPHABET.indexOf(char);
    if (value === -1) return undefined;
    values.push(value);
  }
  return values;
}

/** BIP-173 / BIP-350: `hrp1data`; returns `bech32` or `bech32m` when the checksum holds. */
export function bech32Variant(address: string): 'bech32' | 'bech32m' | undefined {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return undefined;
  const lower = address.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || lower.length - separator < 7 || lower.length > 90) return undefined;
  const data = fiveBitValues(lower.slice(separator + 1));
  if (!data) return undefined;
  const hrp = lower.slice(0, separator);
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  const generators = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let check = 1;
  for (const value of expanded) {
    const top = check >>> 25;
    check = (((check & 0x1ffffff) << 5) ^ value) >>> 0;
    generators.forEach((g, i) => {
      if ((top >>> i) & 1) check = (check ^ g) >>> 0;
    });
  }
  if (check === 1) return 'bech32';
  if (check === 0x2bc830a3) return 'bech32m';
  return undefined;
}

/** The first 5-bit value of a bech32 data part (a segwit witness version). */
export function bech32WitnessVersion(address: string): number | undefined {
  const lower = address.toLowerCase();
  return fiveBitValues(lower.charAt(lower.lastIndexOf('1') + 1))?.[0];
}

const CASHADDR_GENERATORS = [0x98f2bc8e61n, 0x79b76d99e2n, 0xf33e5fb3c4n, 0xae2eabe2a8n, 0x1e4f43e470n];

/** CashAddr (`prefix:payload`, 40-bit checksum), the encoding Kaspa and Nexa took from Bitcoin Cash. */
export function isCashAddr(address: string, prefix: string): boolean {
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return false;
  if (!lower.startsWith(`${prefix}:`)) return false;
  const data = fiveBitValues(lower.slice(prefix.length + 1));
  if (!data || data.length < 9) return false;
  let check = 1n;
  for (const value of [...[...prefix].map((c) => c.charCodeAt(0) & 31), 0, ...data]) {
    const top = check >> 35n;
    check = ((check & 0x07ffffffffn) << 5n) ^ BigInt(value);
    CASHADDR_GENERATORS.forEach((g, i) => {
      if ((top >> BigInt(i)) & 1n) check ^= g;
    });
  }
  return (check ^ 1n) === 0n;
}

/** Base58 (Bitcoin alphabet) to bytes, leading `1`s as zero bytes. */
export function base58Decode(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58_ALPHABET.indexOf(char);
    if (digit === -1) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  let zeros = 0;
  while (text[zeros] === '1') zeros++;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes]);
}

/** Base58Check: the last 4 bytes are the first 4 of SHA-256(SHA-256(the rest)). Returns the version byte. */
export function base58CheckVersion(address: string): number | undefined {
  const bytes = base58Decode(address);
  if (!bytes || bytes.length < 5) return undefined;
  const body = bytes.subarray(0, bytes.length - 4);
  const digest = createHash('sha256').update(createHash('sha256').update(body).digest()).digest();
  return digest.subarray(0, 4).equals(bytes.subarray(bytes.length - 4)) ? body[0] : undefined;
}

/** Ergo: base58 of `prefix ‖ content ‖ first 4 bytes of BLAKE2b-256(prefix ‖ content)`. Returns the prefix byte. */
export function ergoAddressPrefix(address: string): number | undefined {
  const bytes = base58Decode(address);
  if (!bytes || bytes.length < 5) return undefined;
  const body = bytes.subarray(0, bytes.length - 4);
  const digest = blake2b(body, 32);
  return digest.subarray(0, 4).every((b, i) => b === bytes[bytes.length - 4 + i]) ? body[0] : undefined;
}

const MASK64 = (1n << 64n) - 1n;
const BLAKE2B_IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n, 0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
] as const;

const rotr64 = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & MASK64;

/**
 * BLAKE2b (RFC 7693) with any output length: Node ships only the 64-byte variant, and a 32-byte
 * BLAKE2b is a different hash, not a truncation. Unkeyed, for short inputs (addresses).
 */
export function blake2b(input: Uint8Array, outputLength: number): Uint8Array {
  const h = BLAKE2B_IV.slice();
  h[0] = (h[0] as bigint) ^ 0x01010000n ^ BigInt(outputLength);
  const blocks = Math.max(1, Math.ceil(input.length / 128));
  for (let b = 0; b < blocks; b++) {
    const block = new Uint8Array(128);
    block.set(input.subarray(b * 128, b * 128 + 128));
    const m = Array.from({ length: 16 }, (_, i) => {
      let word = 0n;
      for (let j = 7; j >= 0; j--) word = (word << 8n) | BigInt(block[i * 8 + j] as number);
      return word;
    });
    const last = b === blocks - 1;
    const counter = BigInt(last ? input.length : (b + 1) * 128);
    const v = [...h, ...BLAKE2B_IV];
    v[12] = (v[12] as bigint) ^ counter;
    if (last) v[14] = (v[14] as bigint) ^ MASK64;
    const mix = (a: number, bb: number, c: number, d: number, x: bigint, y: bigint): void => {
      v[a] = ((v[a] as bigint) + (v[bb] as bigint) + x) & MASK64;
      v[d] = rotr64((v[d] as bigint) ^ (v[a] as bigint), 32n);
      v[c] = ((v[c] as bigint) + (v[d] as bigint)) & MASK64;
      v[bb] = rotr64((v[bb] as bigint) ^ (v[c] as bigint), 24n);
      v[a] = ((v[a] as bigint) + (v[bb] as bigint) + y) & MASK64;
      v[d] = rotr64((v[d] as bigint) ^ (v[a] as bigint), 16n);
      v[c] = ((v[c] as bigint) + (v[d] as bigint)) & MASK64;
      v[bb] = rotr64((v[bb] as bigint) ^ (v[c] as bigint), 63n);
    };
    for (let round = 0; round < 12; round++) {
      const s = SIGMA[round % 10] as readonly number[];
      const w = (i: number): bigint => m[s[i] as number] as bigint;
      mix(0, 4, 8, 12, w(0), w(1));
      mix(1, 5, 9, 13, w(2), w(3));
      mix(2, 6, 10, 14, w(4), w(5));
      mix(3, 7, 11, 15, w(6), w(7));
      mix(0, 5, 10, 15, w(8), w(9));
      mix(1, 6, 11, 12, w(10), w(11));
      mix(2, 7, 8, 13, w(12), w(13));
      mix(3, 4, 9, 14, w(14), w(15));
    }
    for (let i = 0; i < 8; i++) h[i] = (h[i] as bigint) ^ (v[i] as bigint) ^ (v[i + 8] as bigint);
  }
  const out = new Uint8Array(outputLength);
  for (let i = 0; i < outputLength; i++) out[i] = Number(((h[i >> 3] as bigint) >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}
