import { gunzipSync } from 'node:zlib';

export type Encoding = 'base64' | 'hex' | 'gzip+base64';

export interface DecodedText {
  readonly encoding: Encoding;
  /** The encoded text as it appeared, shortened for evidence. */
  readonly sample: string;
  readonly text: string;
}

/** Caps decoding work per object: attacker-controlled input must not make a scan slow or huge. */
export class DecodeBudget {
  constructor(
    public remainingBytes: number = 1024 * 1024,
    readonly maxDepth: number = 3,
  ) {}

  take(bytes: number): boolean {
    if (bytes > this.remainingBytes) return false;
    this.remainingBytes -= bytes;
    return true;
  }
}

const BASE64_RUN = /[A-Za-z0-9+/]{24,}={0,2}/g;
const ESCAPED_HEX_RUN = /(?:\\x[0-9a-fA-F]{2}){8,}/g;
const PLAIN_HEX_RUN = /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}){12,}(?![0-9a-fA-F])/g;
const MAX_CANDIDATES = 64;

/**
 * Finds base64, hex and gzip+base64 runs in `text` and returns those that decode to readable text.
 * Binary results (certificates, digests, keys) are dropped: they cannot hold a command line.
 */
export function decodeEmbedded(text: string, budget: DecodeBudget): DecodedText[] {
  const found: DecodedText[] = [];
  let candidates = 0;
  for (const match of text.matchAll(BASE64_RUN)) {
    if (++candidates > MAX_CANDIDATES || budget.remainingBytes <= 0) break;
    const run = match[0];
    if (run.replace(/=+$/, '').length % 4 === 1) continue;
    const decoded = decodeBase64(run, budget);
    if (decoded) found.push(decoded);
  }
  for (const regex of [ESCAPED_HEX_RUN, PLAIN_HEX_RUN]) {
    for (const match of text.matchAll(regex)) {
      if (++candidates > MAX_CANDIDATES || budget.remainingBytes <= 0) break;
      const hex = match[0].replace(/\\x/g, '');
      if (!budget.take(hex.length / 2)) break;
      const readable = readableText(Buffer.from(hex, 'hex'));
      if (readable !== undefined) found.push({ encoding: 'hex', sample: shorten(match[0]), text: readable });
    }
  }
  return found;
}

function decodeBase64(run: string, budget: DecodeBudget): DecodedText | undefined {
  const bytes = Buffer.from(run, 'base64');
  if (!budget.take(bytes.length)) return undefined;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(bytes, { maxOutputLength: Math.max(1, budget.remainingBytes) });
    } catch {
      return undefined;
    }
    if (!budget.take(inflated.length)) return undefined;
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
