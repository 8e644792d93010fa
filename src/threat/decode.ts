import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import type { Budget } from '../core/budget.js';

export type Encoding = 'base64' | 'hex' | 'gzip+base64';

export interface DecodedText {
  readonly encoding: Encoding;
  /** The encoded text as it appeared, shortened for evidence. */
  readonly sample: string;
  readonly text: string;
}

/** The part of the object's budget decoding draws from: decoded bytes, gzip output included. */
export type ByteAllowance = Pick<Budget, 'take' | 'remainingBytes'>;

/** Why decoding stopped before the end of a text, if it did: the byte budget, the run cap, or a layer cut to size. */
export type DecodeStop = 'bytes' | 'candidates' | 'length';

export interface DecodeResult {
  readonly decoded: DecodedText[];
  /** Everything that cut decoding short; empty when the whole text was examined. */
  readonly stops: readonly DecodeStop[];
}

const BASE64_RUN = /[A-Za-z0-9+/]{24,}={0,2}/g;
const ESCAPED_HEX_RUN = /(?:\\x[0-9a-fA-F]{2}){8,}/g;
const PLAIN_HEX_RUN = /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}){12,}(?![0-9a-fA-F])/g;
const MAX_CANDIDATES = 64;

/**
 * Finds base64, hex and gzip+base64 runs in `text` and returns those that decode to readable text.
 * Binary results (certificates, digests, keys) are dropped: they cannot hold a command line.
 */
export function decodeEmbedded(text: string, budget: ByteAllowance): DecodedText[] {
  return decodeEmbeddedText(text, budget).decoded;
}

/**
 * As `decodeEmbedded`, also saying what stopped it. A plain base64 or hex layer is decoded only up
 * to `maxLayerBytes`, the most of it a scan reads: one padded payload must not spend the byte
 * budget of the whole object on text nobody looks at.
 */
export function decodeEmbeddedText(text: string, budget: ByteAllowance, maxLayerBytes = Number.POSITIVE_INFINITY): DecodeResult {
  const decoded: DecodedText[] = [];
  const progress: DecodeProgress = { candidates: 0, capped: false, overBudget: false, clipped: false };
  for (const match of text.matchAll(BASE64_RUN)) {
    if (!mayDecodeAnother(progress, budget)) break;
    const run = match[0];
    if (run.replace(/=+$/, '').length % 4 === 1) continue;
    const whole = run.length <= base64Chars(maxLayerBytes) || isGzip(run);
    progress.clipped ||= !whole;
    // A run too large for what is left does not stop the search: a smaller payload may follow.
    const result = decodeBase64(whole ? run : run.slice(0, base64Chars(maxLayerBytes)), budget);
    if (result === 'over budget') progress.overBudget = true;
    else if (result) decoded.push(result);
  }
  for (const regex of [ESCAPED_HEX_RUN, PLAIN_HEX_RUN]) {
    for (const match of text.matchAll(regex)) {
      if (!mayDecodeAnother(progress, budget)) break;
      const digits = match[0].replace(/\\x/g, '');
      progress.clipped ||= digits.length > 2 * maxLayerBytes;
      const hex = digits.length > 2 * maxLayerBytes ? digits.slice(0, 2 * maxLayerBytes) : digits;
      if (!budget.take(hex.length / 2)) {
        progress.overBudget = true;
        break;
      }
      const readable = readableText(Buffer.from(hex, 'hex'));
      if (readable !== undefined) decoded.push({ encoding: 'hex', sample: shorten(match[0]), text: readable });
    }
  }
  const stops: DecodeStop[] = [];
  if (progress.capped) stops.push('candidates');
  if (progress.overBudget) stops.push('bytes');
  if (progress.clipped) stops.push('length');
  return { decoded, stops };
}

interface DecodeProgress {
  candidates: number;
  capped: boolean;
  overBudget: boolean;
  clipped: boolean;
}

function mayDecodeAnother(progress: DecodeProgress, budget: ByteAllowance): boolean {
  // A structural cap on decode passes per text, not a byte budget (choosing by suspicion is issue 15).
  if (++progress.candidates > MAX_CANDIDATES) progress.capped = true;
  else if (budget.remainingBytes <= 0) progress.overBudget = true;
  return !progress.capped && !progress.overBudget;
}

/** Base64 characters that decode to at most `bytes` bytes, in whole 4-character groups. */
function base64Chars(bytes: number): number {
  return 4 * Math.floor(bytes / 3);
}

/** Gzip must be inflated whole; only its output is bounded (by the byte budget). */
function isGzip(run: string): boolean {
  const head = Buffer.from(run.slice(0, 4), 'base64');
  return head[0] === 0x1f && head[1] === 0x8b;
}

function decodeBase64(run: string, budget: ByteAllowance): DecodedText | 'over budget' | undefined {
  const bytes = Buffer.from(run, 'base64');
  if (!budget.take(bytes.length)) return 'over budget';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(bytes, { maxOutputLength: Math.max(1, Math.min(budget.remainingBytes, bufferConstants.MAX_LENGTH)) });
    } catch (error) {
      // Output beyond the budget (a gzip bomb) is a budget stop; corrupt data is just not a payload.
      return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'over budget' : undefined;
    }
    if (!budget.take(inflated.length)) return 'over budget';
    const readable = readableText(inflated);
    return readable === undefined ? undefined : { encoding: 'gzip+base64', sample: shorten(run), text: readable };
  }
  const readable = readableText(bytes);
  return readable === undefined ? undefined : { encoding: 'base64', sample: shorten(run), text: readable };
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
