import { timingSafeEqual } from 'node:crypto';
import { BoundedCache } from '../core/bounded-cache.js';
import { BLOWFISH_P, BLOWFISH_S } from './blowfish-constants.js';

/**
 * bcrypt verification (Provos & Mazières, "A Future-Adaptable Password Scheme", USENIX 1999,
 * https://www.usenix.org/legacy/events/usenix99/provos/provos.pdf). Node ships no bcrypt, and we
 * only ever need to test a hash against a handful of documented default passwords.
 */

/** Work factors above this are refused: a hostile manifest must not be able to stall a scan. */
export const MAX_BCRYPT_COST = 12;

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HASH_SHAPE = /^\$2[abxy]?\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;
const MAGIC = 'OrpheanBeholderScryDoubt';
const MAX_KEY_BYTES = 72;

export interface ParsedBcrypt {
  readonly cost: number;
  readonly salt: Uint8Array;
  readonly digest: string;
}

export function parseBcrypt(hash: string): ParsedBcrypt | undefined {
  const match = HASH_SHAPE.exec(hash.trim());
  if (!match) return undefined;
  const [, cost, salt, digest] = match;
  if (cost === undefined || salt === undefined || digest === undefined) return undefined;
  return { cost: Number(cost), salt: decodeRadix64(salt, 16), digest };
}

/**
 * Verdicts kept per process. A scan checks at most a few hashes against two passwords, so 256
 * entries keep every verdict of many scans (and all a prefetch computed ahead of the rule), while a
 * webhook fed endless distinct hashes stays at a few tens of kilobytes.
 */
export const BCRYPT_VERDICT_CACHE_SIZE = 256;
const verdicts = new BoundedCache<string, boolean>(BCRYPT_VERDICT_CACHE_SIZE);

/**
 * True when `hash` is the bcrypt hash of `password`. Undefined when the hash is malformed or its
 * cost is above MAX_BCRYPT_COST, so callers can say "could not check" instead of "no match".
 * Results are cached per (hash, password): the same Dex config is seen by several rules and sources.
 */
export function bcryptMatches(password: string, hash: string): boolean | undefined {
  const parsed = parseBcrypt(hash);
  if (!parsed || parsed.cost < 4 || parsed.cost > MAX_BCRYPT_COST) return undefined;
  const cacheKey = `${hash.trim()}\u0000${password}`;
  const cached = verdicts.get(cacheKey);
  if (cached !== undefined) return cached;
  const computed = Buffer.from(bcryptDigest(password, parsed.salt, parsed.cost));
  const expected = Buffer.from(parsed.digest);
  const verdict = computed.length === expected.length && timingSafeEqual(computed, expected);
  verdicts.set(cacheKey, verdict);
  return verdict;
}

/** Records a verdict computed elsewhere (a prefetch worker), so `bcryptMatches` need not recompute it. */
export function rememberBcryptVerdict(password: string, hash: string, verdict: boolean): void {
  verdicts.set(`${hash.trim()}\u0000${password}`, verdict);
}

/** The 31-character radix-64 digest bcrypt stores after the salt. */
export function bcryptDigest(password: string, salt: Uint8Array, cost: number): string {
  const keyWords = cyclicWords(keyBytes(password), 18);
  const saltWords = cyclicWords(salt, 4);
  const saltAsKey = cyclicWords(salt, 18);
  const state = new BlowfishState();
  state.expandKey(keyWords, saltWords);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    state.expandKey(keyWords);
    state.expandKey(saltAsKey);
  }
  const magic = Buffer.from(MAGIC, 'latin1');
  const text = new Uint32Array(6);
  for (let i = 0; i < 6; i++) text[i] = magic.readUInt32BE(i * 4);
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < 6; i += 2) state.encryptAt(text, i);
  }
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(text[i] as number, i * 4);
  // bcrypt keeps 23 of the 24 bytes, a historical quirk every implementation reproduces.
  return encodeRadix64(out.subarray(0, 23));
}

/** The password as bcrypt feeds it to Blowfish: UTF-8, NUL-terminated, at most 72 bytes. */
function keyBytes(password: string): Uint8Array {
  const bytes = Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from([0])]);
  return bytes.subarray(0, MAX_KEY_BYTES);
}

/** The first `count` big-endian 32-bit words of `bytes` repeated endlessly, as the key schedule reads keys. */
function cyclicWords(bytes: Uint8Array, count: number): Uint32Array {
  const words = new Uint32Array(count);
  let offset = 0;
  for (let w = 0; w < count; w++) {
    let word = 0;
    for (let i = 0; i < 4; i++) {
      word = ((word << 8) | (bytes[offset] as number)) >>> 0;
      offset = (offset + 1) % bytes.length;
    }
    words[w] = word;
  }
  return words;
}

/**
 * Blowfish state with the S-boxes in one flat Int32Array. The key schedule runs 2^cost times, so
 * the round function is written out with locals and 32-bit integer arithmetic only; every index is
 * masked into range, which makes the casts safe.
 */
class BlowfishState {
  private readonly p = Int32Array.from(BLOWFISH_P, (v) => v | 0);
  private readonly s = Int32Array.from(BLOWFISH_S.flat(), (v) => v | 0);
  private readonly block = new Int32Array(2);

  /**
   * Blowfish key schedule. With `salt`, bcrypt's salt words are mixed into every block before it
   * is encrypted (they cycle every 4 words, so index with `& 3`).
   */
  expandKey(keyWords: Uint32Array, salt?: Uint32Array): void {
    const p = this.p;
    const s = this.s;
    for (let i = 0; i < 18; i++) p[i] = (p[i] as number) ^ (keyWords[i] as number);
    let l = 0;
    let r = 0;
    const salted = salt !== undefined;
    for (let i = 0; i < 18 + 1024; i += 2) {
      if (salted) {
        l ^= (salt[i & 3] as number) | 0;
        r ^= (salt[(i + 1) & 3] as number) | 0;
      }
      for (let j = 0; j < 16; j += 2) {
        l ^= p[j] as number;
        r ^= ((((s[l >>> 24] as number) + (s[256 | ((l >>> 16) & 0xff)] as number)) ^ (s[512 | ((l >>> 8) & 0xff)] as number)) + (s[768 | (l & 0xff)] as number)) | 0;
        r ^= p[j + 1] as number;
        l ^= ((((s[r >>> 24] as number) + (s[256 | ((r >>> 16) & 0xff)] as number)) ^ (s[512 | ((r >>> 8) & 0xff)] as number)) + (s[768 | (r & 0xff)] as number)) | 0;
      }
      const nextLeft = r ^ (p[17] as number);
      r = l ^ (p[16] as number);
      l = nextLeft;
      if (i < 18) {
        p[i] = l;
        p[i + 1] = r;
      } else {
        s[i - 18] = l;
        s[i - 17] = r;
      }
    }
  }

  encryptAt(data: Uint32Array, at: number): void {
    const block = this.block;
    block[0] = (data[at] as number) | 0;
    block[1] = (data[at + 1] as number) | 0;
    this.encryptBlock(block);
    data[at] = (block[0] as number) >>> 0;
    data[at + 1] = (block[1] as number) >>> 0;
  }

  private encryptBlock(block: Int32Array): void {
    const p = this.p;
    const s = this.s;
    let l = block[0] as number;
    let r = block[1] as number;
    for (let j = 0; j < 16; j += 2) {
      l ^= p[j] as number;
      r ^= ((((s[l >>> 24] as number) + (s[256 | ((l >>> 16) & 0xff)] as number)) ^ (s[512 | ((l >>> 8) & 0xff)] as number)) + (s[768 | (l & 0xff)] as number)) | 0;
      r ^= p[j + 1] as number;
      l ^= ((((s[r >>> 24] as number) + (s[256 | ((r >>> 16) & 0xff)] as number)) ^ (s[512 | ((r >>> 8) & 0xff)] as number)) + (s[768 | (r & 0xff)] as number)) | 0;
    }
    block[0] = r ^ (p[17] as number);
    block[1] = l ^ (p[16] as number);
  }
}

function decodeRadix64(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let bits = 0;
  let buffer = 0;
  let written = 0;
  for (const ch of text) {
    buffer = (buffer << 6) | BCRYPT_ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (written < length) out[written++] = (buffer >>> bits) & 0xff;
    }
  }
  return out;
}

function encodeRadix64(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffffff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BCRYPT_ALPHABET[(buffer >>> bits) & 0x3f];
    }
  }
  if (bits > 0) out += BCRYPT_ALPHABET[(buffer << (6 - bits)) & 0x3f];
  return out;
}
