import { Utf8Decoder } from './utf8-decoder.js';

/**
 * Cuts a byte stream into lines on `\n` (dropping a trailing `\r`), counting every line so errors
 * can name it. Synchronous per chunk: a chunk is decoded once and cut with `indexOf`, and its lines
 * are handed back together, so a log of millions of lines costs one await per chunk, not per line.
 * A line longer than `maxLineChars` is skipped to its end and reported, never buffered: memory stays
 * bounded by one line whatever the file's size.
 *
 * split2 is not used here: with a `maxLength` it either drops an over-long line without a word
 * (`skipOverflow`, which also shifts every later line number) or ends the whole stream, and a
 * malformed line must be counted with its number and the rest still read.
 */
export type SplitLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly oversized: true };

export class LineCutter {
  private readonly decoder = new Utf8Decoder();
  private line = 0;
  private pending = '';
  private skipping = false;

  constructor(private readonly maxLineChars: number) {}

  push(chunk: Buffer, out: SplitLine[]): void {
    const text = this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      this.line++;
      if (this.skipping || this.pending.length + newline - start > this.maxLineChars) {
        this.skipping = false;
        out.push({ line: this.line, oversized: true });
      } else out.push({ line: this.line, text: trimCr(this.pending.length === 0 ? text.slice(start, newline) : this.pending + text.slice(start, newline)) });
      this.pending = '';
      start = newline + 1;
    }
    if (start < text.length && !this.skipping) {
      if (this.pending.length + text.length - start > this.maxLineChars) {
        this.skipping = true;
        this.pending = '';
      } else this.pending += text.slice(start);
    }
  }

  end(out: SplitLine[]): void {
    this.pending += this.decoder.end();
    if (this.skipping) out.push({ line: this.line + 1, oversized: true });
    else if (this.pending.length > 0) out.push({ line: this.line + 1, text: trimCr(this.pending) });
    this.pending = '';
  }
}

const trimCr = (text: string): string => (text.endsWith('\r') ? text.slice(0, -1) : text);
