/**
 * Splits a byte stream into lines on `\n` (dropping a trailing `\r`), counting every line so
 * errors can name it. A line longer than `maxLineBytes` is skipped to its end and reported, never
 * buffered: memory stays bounded by one line whatever the file's size.
 *
 * split2 is not used here: with a `maxLength` it either drops an over-long line without a word
 * (`skipOverflow`, which also shifts every later line number) or ends the whole stream, and a
 * malformed line must be counted with its number and the rest still read.
 */
export type SplitLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly oversized: true };

export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<SplitLine> {
  let line = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      line++;
      if (skipping) {
        skipping = false;
        yield { line, oversized: true };
      } else if (pendingBytes + newline - start > maxLineBytes) {
        yield { line, oversized: true };
      } else {
        const piece = chunk.subarray(start, newline);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        yield { line, text: textOf(bytes) };
      }
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
    }
    if (start < chunk.length && !skipping) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > maxLineBytes) {
        skipping = true;
        pending = [];
        pendingBytes = 0;
      } else {
        // Copied: the source may reuse its buffer for the next chunk.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  }
  if (skipping) yield { line: line + 1, oversized: true };
  else if (pendingBytes > 0) yield { line: line + 1, text: textOf(Buffer.concat(pending)) };
}

function textOf(bytes: Buffer): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  return bytes.toString('utf8', 0, end);
}
