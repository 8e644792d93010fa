import assert from 'node:assert/strict';
import { StringDecoder } from 'node:string_decoder';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LineCutter, type SplitLine } from '../../src/audit/read/line-splitter.js';

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

function cutLines(chunks: readonly Buffer[], maxLineBytes = 1 << 20): SplitLine[] {
  const cutter = new LineCutter(maxLineBytes);
  const out: SplitLine[] = [];
  for (const chunk of chunks) cutter.push(chunk, out);
  cutter.end(out);
  return out;
}

/** What reading the whole stream with StringDecoder and splitting its text gives (the reader before lines were decoded one by one). */
function reference(chunks: readonly Buffer[]): SplitLine[] {
  const decoder = new StringDecoder('utf8');
  const text = chunks.map((c) => decoder.write(c)).join('') + decoder.end();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => ({ line: i + 1, text: line.endsWith('\r') ? line.slice(0, -1) : line }));
}

// Mostly ASCII with newlines, CRs, multi-byte characters, lone continuation bytes and cut sequences mixed in.
const piece = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => Buffer.from(s)),
  fc.constantFrom('\n', '\r\n', '\n\n', 'é', '€', '𝄞', '中文').map((s) => Buffer.from(s)),
  fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => Buffer.from(a)),
);

describe('LineCutter', () => {
  test('gives the lines of the stream decoded whole, for any bytes cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (pieces, offsets) => {
        const chunks = cut(Buffer.concat(pieces), offsets);
        assert.deepEqual(cutLines(chunks), reference(chunks));
      }),
      { numRuns: 3000 },
    );
  });

  test('a character cut by a chunk end inside a line is decoded as one', () => {
    const bytes = Buffer.from('{"a":"€"}\n{"b":"𝄞"}\n');
    for (let at = 1; at < bytes.length; at++) {
      assert.deepEqual(cutLines([bytes.subarray(0, at), bytes.subarray(at)]), [{ line: 1, text: '{"a":"€"}' }, { line: 2, text: '{"b":"𝄞"}' }]);
    }
  });

  test('an over-long line is reported by number, in bytes, wherever chunks cut it', () => {
    const bytes = Buffer.from(`short\n${'é'.repeat(6)}\nlast`);
    for (let size = 1; size <= bytes.length; size++) {
      const chunks = cut(bytes, Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => (i + 1) * size));
      // 'é' is two bytes: twelve bytes are over a ten-byte limit, though six characters are not.
      assert.deepEqual(cutLines(chunks, 10), [{ line: 1, text: 'short' }, { line: 2, oversized: true }, { line: 3, text: 'last' }]);
    }
  });

  test('a chunk over 1 MB (where a chunk-wide string would be external memory) gives each line whole', () => {
    const line = `{"kind":"Event","x":"${'a'.repeat(200)}"}`;
    const chunk = Buffer.from(`${line}\n`.repeat(6000));
    const lines = cutLines([chunk]);
    assert.equal(lines.length, 6000);
    for (const l of lines) assert.equal('text' in l ? l.text : undefined, line);
  });
});
