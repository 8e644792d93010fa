import { isUtf8 } from 'node:buffer';

export type DecodeResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly message: string; readonly line?: number; readonly column?: number };

const BINARY_PROBE_BYTES = 8192;

/** Turns file bytes into text, refusing binary data and invalid UTF-8 with a position. */
export function decodeText(bytes: Buffer): DecodeResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    // kubectl reads files through unicode.BOMOverride (k8s.io/cli-runtime resource/visitor.go):
    // a UTF-16 byte-order mark makes it decode the file as UTF-16, unpaired halves and an odd last
    // byte as U+FFFD, so kfguard reads it the same way.
    const text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2));
    if (text.slice(0, BINARY_PROBE_BYTES).includes('\0')) return { ok: false, message: 'binary file (NUL character in UTF-16 text); expected YAML or JSON text' };
    return { ok: true, text };
  }
  const probe = bytes.subarray(0, BINARY_PROBE_BYTES);
  const nul = probe.indexOf(0);
  if (nul !== -1) {
    return { ok: false, message: `binary file (NUL byte at offset ${nul}); expected YAML or JSON text` };
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8Offset(bytes);
    const { line, column } = lineColumnOfByte(bytes, offset);
    return {
      ok: false,
      message: `invalid UTF-8 (byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset})`,
      line,
      column,
    };
  }
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch {
    // Only reachable past V8's string limit, which the file size limit keeps inputs under.
    return { ok: false, message: `too large to decode (${bytes.length} bytes)` };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

function firstInvalidUtf8Offset(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const width = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (width === 0 || i + width > bytes.length) return i;
    if (!isUtf8(bytes.subarray(i, i + width))) return i;
    i += width;
  }
  return 0;
}

function lineColumnOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Converts a string offset to a 1-based line and column. */
export function lineColumnOfOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
