import { isAscii } from 'node:buffer';

/**
 * Cuts a byte stream into lines on `\n` (dropping a trailing `\r`), counting every line so errors
 * can name it. Synchronous per chunk: a chunk is cut with `indexOf` on its bytes and its lines are
 * handed back together, so a log of millions of lines costs one await per chunk, not per line.
 * A line longer than `maxLineBytes` is skipped to its end and reported, never buffered: memory stays
 * bounded by one line whatever the file's size.
 *
 * Each line is decoded on its own, from the chunk's bytes, never as a slice of a decoded chunk: a
 * slice keeps its whole chunk's string alive, and Node makes the string of a chunk over about
 * 1 MB (its `EXTERN_APEX`) an external string in malloc'd memory, which V8 frees only at its
 * external-memory limit. Reading 1 MiB chunks that way held 40–50 MB of dead chunk text at the
 * peak (docs/benchmarks.md, "Audit logs", fourth round). A line is ASCII when its chunk is (checked
 * once per chunk), then read as Latin-1, the same text at a fraction of UTF-8 decoding's cost;
 * otherwise it is decoded as UTF-8. `\n` never occurs inside a UTF-8 sequence and ends any broken
 * one, so decoding line by line gives the text decoding the whole stream would.
 *
 * split2 is not used here: with a `maxLength` it either drops an over-long line without a word
 * (`skipOverflow`, which also shifts every later line number) or ends the whole stream, and a
 * malformed line must be counted with its number and the rest still read.
 */
export type SplitLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly oversized: true };

export class LineCutter {
  private line = 0;
  /** The start of a line cut by a chunk's end, copied (a caller may reuse its chunk's memory). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer, out: SplitLine[]): void {
    const ascii = isAscii(chunk);
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      this.line++;
      if (this.skipping || this.pendingBytes + newline - start > this.maxLineBytes) {
        this.skipping = false;
        out.push({ line: this.line, oversized: true });
      } else if (this.pendingBytes === 0) out.push({ line: this.line, text: decodeLine(chunk, start, newline, ascii) });
      else {
        const joined = Buffer.concat([...this.pending, chunk.subarray(start, newline)]);
        out.push({ line: this.line, text: decodeLine(joined, 0, joined.length, isAscii(joined)) });
      }
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
    }
    if (start < chunk.length && !this.skipping) {
      if (this.pendingBytes + chunk.length - start > this.maxLineBytes) {
        this.skipping = true;
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        this.pending.push(Buffer.from(chunk.subarray(start)));
        this.pendingBytes += chunk.length - start;
      }
    }
  }

  end(out: SplitLine[]): void {
    if (this.skipping) out.push({ line: this.line + 1, oversized: true });
    else if (this.pendingBytes > 0) {
      const rest = Buffer.concat(this.pending);
      out.push({ line: this.line + 1, text: decodeLine(rest, 0, rest.length, isAscii(rest)) });
    }
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** The text of `bytes[start, end)`, without a trailing `\r`. */
function decodeLine(bytes: Buffer, start: number, end: number, ascii: boolean): string {
  const last = end > start && bytes[end - 1] === 13 ? end - 1 : end;
  return bytes.toString(ascii ? 'latin1' : 'utf8', start, last);
}
