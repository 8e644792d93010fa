import { constants as bufferConstants } from 'node:buffer';
import { constants as zlibConstants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * The byte and text transforms droppers wrap payloads in, each as a shell tool or interpreter
 * would apply it. All are linear in their input; inflating is bounded by `maxOutput`.
 */

/** `rev`: reverses each line, as util-linux `rev` does (not the whole text). */
export function reverseLines(text: string): string {
  return text
    .split('\n')
    .map((line) => [...line].reverse().join(''))
    .join('\n');
}

/** Python `s[::-1]`: the whole string reversed, by code point. */
export function reverseText(text: string): string {
  return [...text].reverse().join('');
}

/** ROT13 of ASCII letters, as `tr 'A-Za-z' 'N-ZA-Mn-za-m'` or Python's `codecs.decode(s, 'rot13')`. */
export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const TR_CLASSES: Readonly<Record<string, string>> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  alnum: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  space: ' \t\n\r\v\f',
  blank: ' \t',
};

const TR_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', v: '\v', f: '\f', a: '\x07', b: '\b' };

/** Most characters a `tr` set expands to: real sets are at most a few hundred. */
const MAX_TR_SET = 4_096;

/** A `tr` SET operand expanded to its characters: ranges `a-z`, classes `[:lower:]`, escapes `\n` and `\NNN`. */
export function expandTrSet(set: string): string | undefined {
  const chars: string[] = [];
  let i = 0;
  const next = (): string | undefined => {
    const c = set[i];
    if (c === undefined) return undefined;
    if (c === '\\' && i + 1 < set.length) {
      const octal = /^[0-7]{1,3}/.exec(set.slice(i + 1, i + 4))?.[0];
      if (octal) {
        i += 1 + octal.length;
        return String.fromCharCode(parseInt(octal, 8));
      }
      const escaped = set[i + 1] as string;
      i += 2;
      return TR_ESCAPES[escaped] ?? escaped;
    }
    i += 1;
    return c;
  };
  while (i < set.length) {
    const klass = /^\[:([a-z]+):\]/.exec(set.slice(i, i + 10));
    if (klass) {
      const members = TR_CLASSES[klass[1] as string];
      if (members === undefined) return undefined;
      chars.push(...members);
      i += klass[0].length;
    } else {
      const from = next() as string;
      if (set[i] === '-' && i + 1 < set.length) {
        i += 1;
        const to = next() as string;
        const start = from.charCodeAt(0);
        const end = to.charCodeAt(0);
        if (end < start) return undefined;
        for (let code = start; code <= end; code++) chars.push(String.fromCharCode(code));
      } else chars.push(from);
    }
    if (chars.length > MAX_TR_SET) return undefined;
  }
  return chars.join('');
}

/**
 * `tr SET1 SET2` applied to `text`: each character of SET1 maps to the one at its position in SET2,
 * whose last character repeats when SET2 is shorter (GNU tr). Undefined for sets tr would refuse.
 */
export function translate(text: string, set1: string, set2: string): string | undefined {
  const from = expandTrSet(set1);
  const to = expandTrSet(set2);
  if (from === undefined || to === undefined || from === '' || to === '') return undefined;
  const map = new Map<string, string>();
  for (let i = 0; i < from.length; i++) map.set(from[i] as string, to[Math.min(i, to.length - 1)] as string);
  let out = '';
  for (const c of text) out += map.get(c) ?? c;
  return out;
}

/** Whether a `tr` mapping changes letters (a cipher), rather than only their case or spacing. */
export function isLetterCipher(set1: string, set2: string): boolean {
  const from = expandTrSet(set1);
  const to = expandTrSet(set2);
  if (from === undefined || to === undefined) return false;
  for (let i = 0; i < from.length; i++) {
    const a = from[i] as string;
    const b = to[Math.min(i, to.length - 1)] as string;
    if (/[A-Za-z]/.test(a) && a.toLowerCase() !== b.toLowerCase()) return true;
  }
  return false;
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (as `base32 -d` and Python's `b32decode`); padding optional. Undefined on a foreign character. */
export function decodeBase32(text: string): Buffer | undefined {
  const clean = text.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  const out = Buffer.alloc(Math.floor((clean.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const c of clean) {
    const digit = BASE32_ALPHABET.indexOf(c);
    if (digit === -1) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >>> bits) & 0xff;
    }
  }
  return out.subarray(0, index);
}

/** `%78%6d` and `+` as a form field would carry them; malformed escapes stay as written. */
export function decodePercent(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c === '+' ? ' ' : c, 'utf8'));
  }
  return Buffer.from(bytes);
}

export function decodeHex(text: string): Buffer {
  const digits = text.replace(/\\x|0x|[\s:]/gi, '');
  return Buffer.from(digits.length % 2 === 0 ? digits : digits.slice(0, -1), 'hex');
}

/** Base64 with or without padding, standard or URL-safe alphabet (`base64 -d`, `b64decode`, `urlsafe_b64decode`). */
export function decodeBase64(text: string): Buffer {
  // Node skips whitespace itself; only `=` inside the text (two runs joined) would stop it early.
  return Buffer.from(text, 'base64');
}

export type Compression = 'gzip' | 'zlib' | 'deflate';

/** Which compression `bytes` start with: gzip and zlib by their headers; raw deflate has none. */
export function compressionOf(bytes: Uint8Array): 'gzip' | 'zlib' | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  // zlib: CM 8 (deflate), window ≤ 32 KiB, and the header check (CMF·256 + FLG) divisible by 31.
  const cmf = bytes[0];
  const flg = bytes[1];
  if (cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0) return 'zlib';
  return undefined;
}

export type InflateResult = Buffer | 'too large' | undefined;

/**
 * Inflates `bytes` as `kind`, producing at most `maxOutput` bytes. 'too large' when the output
 * would exceed it (a bomb, or a payload beyond the budget); undefined for data that is not that
 * compression. A truncated stream yields what it holds, as `zcat` prints before its error.
 */
export function inflate(bytes: Buffer, kind: Compression, maxOutput: number): InflateResult {
  const options = { maxOutputLength: Math.max(1, Math.min(maxOutput, bufferConstants.MAX_LENGTH)), finishFlush: zlibConstants.Z_SYNC_FLUSH };
  try {
    if (kind === 'gzip') return gunzipSync(bytes, options);
    if (kind === 'zlib') return inflateSync(bytes, options);
    return inflateRawSync(bytes, options);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too large' : undefined;
  }
}
