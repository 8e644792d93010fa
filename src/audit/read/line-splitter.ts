import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines on `\n` (dropping a trailing `\r`), counting every line so
 * errors can name it. Each chunk is decoded once and cut with `indexOf`, so a line is a slice of
 * the chunk's text, not a copy. A line longer than `maxLineChars` is skipped to its end and
 * reported, never buffered: memory stays bounded by one line whatever the file's size.
 *
 * split2 is not used here: with a `maxLength` it either drops an over-long line without a word
 * (`skipOverflow`, which also shifts every later line number) or ends the whole stream, and a
 * malformed line must be counted with its number and the rest still read.
 */
export type SplitLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly oversized: true };

export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineChars: number): AsyncGenerator<SplitLine> {
  const decoder = new StringDecoder('utf8');
  let line = 0;
  let pending = '';
  let skipping = false;
  const finish = (text: string): SplitLine => {
    line++;
    return { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      if (skipping || pending.length + newline - start > maxLineChars) {
        skipping = false;
        line++;
        yield { line, oversized: true };
      } else yield finish(pending.length === 0 ? text.slice(start, newline) : pending + text.slice(start, newline));
      pending = '';
      start = newline + 1;
    }
    if (start < text.length && !skipping) {
      if (pending.length + text.length - start > maxLineChars) {
        skipping = true;
        pending = '';
      } else pending += text.slice(start);
    }
  }
  pending += decoder.end();
  if (skipping) yield { line: line + 1, oversized: true };
  else if (pending.length > 0) yield finish(pending);
}
