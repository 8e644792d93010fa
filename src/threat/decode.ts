import type { Budget } from '../core/budget.js';
import { compressionOf, decodeBase32, decodeBase64, decodeHex, decodePercent, inflate, type Compression } from './decoders/codecs.js';
import { base64Runs, escapedHexRuns, hexRuns, octalRuns, type Run } from './decoders/runs.js';
import { suspicionOf } from './decoders/suspicion.js';

/**
 * Encoded runs embedded in any text: base64 (and what it wraps: gzip, zlib, raw deflate), base32,
 * hex, `\x`/octal escapes and percent-encoding. Candidates are decoded most suspicious first
 * (piped into a shell, an argument of a decoder, high entropy), so ordinary long words cannot use
 * up the work a real payload needs; what could not be decoded is reported as a stop.
 */

/** The layers a text went through, in the order they were undone: `base64`, `base64 → zlib`, `python [::-1] → rot13`. */
export type Encoding = string;

export interface DecodedText {
  readonly encoding: Encoding;
  /** The encoded text as it appeared, shortened for evidence. */
  readonly sample: string;
  readonly text: string;
}

/** The part of the object's budget decoding draws from: decoded bytes, inflated output included. */
export type ByteAllowance = Pick<Budget, 'take' | 'remainingBytes'>;

/** Why decoding stopped before the end of a text, if it did: the byte budget, the run cap, or a layer cut to size. */
export type DecodeStop = 'bytes' | 'candidates' | 'length';

export interface DecodeResult {
  readonly decoded: DecodedText[];
  /** Everything that cut decoding short; empty when the whole text was examined. */
  readonly stops: readonly DecodeStop[];
}

type RunKind = 'base64' | 'hex' | 'escaped-hex' | 'octal' | 'percent';

interface Candidate {
  readonly kind: RunKind;
  readonly run: string;
  readonly index: number;
  readonly score: number;
}

/**
 * Starts at a `%`, so a long run without one is never retried from each of its characters. Plain
 * stretches between escapes may be as long as a wallet (`-u%20<95 letters>%20--donate-level…`):
 * a shorter bound cut the command into pieces no one of which showed the wallet or the flags.
 */
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2}[^%\s"'`<>|;&]{0,128}){4,}/g;

function runsOf(kind: RunKind, text: string): Run[] {
  switch (kind) {
    case 'base64':
      return base64Runs(text);
    case 'hex':
      return hexRuns(text);
    case 'escaped-hex':
      return text.includes('\\x') ? escapedHexRuns(text) : [];
    case 'octal':
      return text.includes('\\') ? octalRuns(text) : [];
    case 'percent':
      return text.includes('%') ? [...text.matchAll(PERCENT_RUN)].map((m) => ({ index: m.index ?? 0, text: withPlainPrefix(text, m.index ?? 0, m[0]) })) : [];
  }
}

const RUN_KINDS: readonly RunKind[] = ['base64', 'escaped-hex', 'hex', 'octal', 'percent'];

/**
 * Full decodes per text. Runs whose first bytes are binary (digests, keys, certificates, words
 * that happen to be base64 letters) are dropped after a 48-character look and do not count.
 */
export const MAX_DECODES = 256;
/** Characters decoded to look at a run's first bytes before decoding all of it. */
const HEAD_CHARS = 48;

export function decodeEmbedded(text: string, budget: ByteAllowance): DecodedText[] {
  return decodeEmbeddedText(text, budget).decoded;
}

/**
 * Every encoded run of `text` that decodes to readable text, most suspicious first. A layer is
 * decoded up to `maxLayerBytes` (a `length` stop beyond it): one padded payload must not spend
 * the byte budget of the whole object.
 */
export function decodeEmbeddedText(text: string, budget: ByteAllowance, maxLayerBytes = Number.POSITIVE_INFINITY): DecodeResult {
  const decoded: DecodedText[] = [];
  const stops = new Set<DecodeStop>();
  const seen = new Set<string>();
  let decodes = 0;
  for (const candidate of candidatesOf(text)) {
    const key = `${candidate.kind}:${candidate.run}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (budget.remainingBytes <= 0) {
      stops.add('bytes');
      break;
    }
    const attempt = decodeCandidate(candidate, budget, maxLayerBytes);
    if (attempt === 'skipped') continue;
    if (++decodes > MAX_DECODES) {
      stops.add('candidates');
      break;
    }
    if (attempt === 'over budget') stops.add('bytes');
    else if (attempt !== undefined) {
      if (attempt.clipped) stops.add('length');
      decoded.push(attempt.decoded);
    }
  }
  return { decoded, stops: (['candidates', 'bytes', 'length'] as const).filter((s) => stops.has(s)) };
}

/** Every run of every kind, most suspicious first; equal scores keep the order of the text. */
function candidatesOf(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const kind of RUN_KINDS) {
    for (const { index, text: run } of runsOf(kind, text)) {
      if (kind === 'base64' && (run.length - trailingPads(run)) % 4 === 1 && !/^[A-Z2-7]+=*$/.test(run)) continue;
      found.push({ kind, run, index, score: suspicionOf(text, index, run) });
    }
  }
  return found.sort((a, b) => b.score - a.score || a.index - b.index);
}

function trailingPads(run: string): number {
  let pads = 0;
  while (run.charCodeAt(run.length - 1 - pads) === 61) pads++;
  return pads;
}

/** `xm%72ig`: the plain characters before the first escape belong to the same word. */
function withPlainPrefix(text: string, index: number, run: string): string {
  let start = index;
  // Only the characters just before the escape; the scan back is bounded, so many runs stay linear.
  while (start > 0 && index - start < 64 && /[A-Za-z0-9._~+\-/:]/.test(text[start - 1] as string)) start--;
  return text.slice(start, index) + run;
}

type Attempt = { decoded: DecodedText; clipped: boolean } | 'over budget' | 'skipped' | undefined;

function decodeCandidate(candidate: Candidate, budget: ByteAllowance, maxLayerBytes: number): Attempt {
  const { kind, run } = candidate;
  switch (kind) {
    case 'base64':
      return decodeBase64Run(run, budget, maxLayerBytes);
    case 'hex':
    case 'escaped-hex':
      return plainLayer('hex', run, decodeHex(clipChars(run, 2 * maxLayerBytes, kind === 'escaped-hex' ? 4 : 2)), budget, run.length > (kind === 'escaped-hex' ? 4 : 2) * maxLayerBytes);
    case 'octal':
      return plainLayer('octal escapes', run, decodeOctalEscapes(run), budget, false);
    case 'percent':
      return plainLayer('percent-encoding', run, decodePercent(run), budget, false);
  }
}

function clipChars(run: string, max: number, unit: number): string {
  if (!Number.isFinite(max) || run.length <= max) return run;
  return run.slice(0, Math.floor(max / unit) * unit);
}

function decodeOctalEscapes(run: string): Buffer {
  return Buffer.from(run.split('\\').filter((part) => part !== '').map((digits) => parseInt(digits, 8) & 0xff));
}

function plainLayer(encoding: string, run: string, bytes: Buffer, budget: ByteAllowance, clipped: boolean): Attempt {
  if (!looksReadable(bytes.subarray(0, HEAD_CHARS))) return 'skipped';
  if (!budget.take(bytes.length)) return 'over budget';
  const text = readableText(bytes);
  return text === undefined ? undefined : { decoded: { encoding, sample: shorten(run), text }, clipped };
}

function decodeBase64Run(run: string, budget: ByteAllowance, maxLayerBytes: number): Attempt {
  const head = decodeBase64(run.slice(0, HEAD_CHARS));
  const compression = compressionOf(head);
  if (compression) return inflateLayer(run, compression, 'base64', budget);
  if (looksReadable(head)) {
    const limit = base64Chars(maxLayerBytes);
    const clipped = run.length > limit;
    const plain = plainLayer('base64', run, decodeBase64(clipped ? run.slice(0, limit) : run), budget, clipped);
    // Deflate output of text is mostly printable bytes and high bytes, so a head can look readable when the whole is not.
    if (typeof plain === 'object' || plain === 'over budget') return plain;
  }
  // Uppercase letters and 2–7 only: base32 (`base32 -d`, `b32decode`) reads it where base64 saw noise.
  if (/^[A-Z2-7]+=*$/.test(run)) {
    const bytes = decodeBase32(run);
    if (bytes && looksReadable(bytes.subarray(0, HEAD_CHARS))) return plainLayer('base32', run, bytes, budget, false);
  }
  // Raw deflate has no header: a stream whose first bytes inflate to readable text is one.
  const rawHead = inflate(decodeBase64(run.slice(0, 4 * 64)), 'deflate', 256);
  if (rawHead instanceof Buffer && rawHead.length >= 6 && looksReadable(rawHead)) return inflateLayer(run, 'deflate', 'base64', budget);
  return 'skipped';
}

/** A compressed layer must be inflated whole; only its output is bounded (by the byte budget). */
function inflateLayer(run: string, compression: Compression, outer: string, budget: ByteAllowance): Attempt {
  const bytes = decodeBase64(run);
  if (!budget.take(bytes.length)) return 'over budget';
  const inflated = inflate(bytes, compression, budget.remainingBytes);
  // Output beyond the budget (a bomb) is a budget stop; corrupt data is just not a payload.
  if (inflated === 'too large') return 'over budget';
  if (inflated === undefined || !budget.take(inflated.length)) return inflated === undefined ? undefined : 'over budget';
  const text = readableText(inflated);
  const encoding = `${outer} → ${compression}`;
  return text === undefined ? undefined : { decoded: { encoding, sample: shorten(run), text }, clipped: false };
}

/** Base64 characters that decode to at most `bytes` bytes, in whole 4-character groups. */
function base64Chars(bytes: number): number {
  return Number.isFinite(bytes) ? 4 * Math.floor(bytes / 3) : Number.POSITIVE_INFINITY;
}

/** A cheap look at the first decoded bytes: printable enough to be worth decoding the rest. */
function looksReadable(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let printable = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x09 || byte === 0x0d || byte >= 0x80) printable++;
  }
  return printable / head.length >= 0.9;
}

/** The bytes as text when nearly all of them are printable; undefined for binary data. */
export function readableText(bytes: Buffer): string | undefined {
  if (bytes.length < 6) return undefined;
  let printable = 0;
  for (const byte of bytes) {
    if (byte === 0) return undefined;
    if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x09 || byte === 0x0d || byte >= 0x80) printable++;
  }
  if (printable / bytes.length < 0.97) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}

export function shorten(text: string, max = 48): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
