import assert from 'node:assert/strict';
import { StringDecoder } from 'node:string_decoder';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Utf8Decoder } from '../../src/audit/read/utf8-decoder.js';

/** Bytes cut at the given offsets. */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const end of [...at, bytes.length]) {
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  return chunks;
}

function decodeAll(decoder: { write(b: Buffer): string; end(): string }, chunks: readonly Buffer[]): string {
  return chunks.map((c) => decoder.write(c)).join('') + decoder.end();
}

// Mostly ASCII with multi-byte characters, lone continuation bytes and cut sequences mixed in.
const piece = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => Buffer.from(s)),
  fc.constantFrom('é', '€', '𝄞', 'ü', '中文').map((s) => Buffer.from(s)),
  fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => Buffer.from(a)),
);

describe('Utf8Decoder', () => {
  test('gives what StringDecoder gives, for any bytes cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 12 }), (pieces, offsets) => {
        const chunks = cut(Buffer.concat(pieces), offsets);
        assert.equal(decodeAll(new Utf8Decoder(), chunks), decodeAll(new StringDecoder('utf8'), chunks));
      }),
      { numRuns: 2000 },
    );
  });

  test('a character cut between an ASCII-free tail and an ASCII chunk is decoded as one', () => {
    const euro = Buffer.from('a€');
    const chunks = [euro.subarray(0, 2), euro.subarray(2), Buffer.from('bc')];
    assert.equal(decodeAll(new Utf8Decoder(), chunks), 'a€bc');
    // A sequence cut off and followed by ASCII is one replacement character, as StringDecoder has it.
    const broken = [Buffer.from([0x61, 0xe2, 0x82]), Buffer.from('xyz')];
    assert.equal(decodeAll(new Utf8Decoder(), broken), decodeAll(new StringDecoder('utf8'), broken));
  });
});
