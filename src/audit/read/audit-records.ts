import { Utf8Decoder } from './utf8-decoder.js';
import { EventListSplitter } from './event-list-splitter.js';
import { LineCutter, type SplitLine } from './line-splitter.js';

/** One line (or one `EventList` member) of an audit log: its parsed JSON, or why it could not be read. */
export type AuditRecord =
  /**
   * `text`: the JSON text the value was parsed from, for a JSON line holding one event (the line's
   * own string, decoded on its own: keeping it pins nothing else); not for EventList members.
   */
  | { readonly type: 'value'; readonly line: number; readonly value: unknown; readonly text?: string | undefined }
  /** An event line the skimmer vouched for without parsing it (see RecordLimits.skim). */
  | { readonly type: 'skimmed'; readonly line: number; readonly verdict: string }
  | { readonly type: 'malformed'; readonly line: number; readonly reason: string };

/**
 * What the cutter hands out: records, and texts still to parse. Parsing waits until the reader is
 * ready to judge the record, so a parsed event dies young instead of waiting, with a whole chunk's
 * worth of others, long enough to be promoted to the old generation (which made the peak RSS).
 */
export type CutRecord = AuditRecord | { readonly type: 'text'; readonly line: number; readonly text: string; readonly member: boolean };

/**
 * A cut record as records: a text parsed (a one-line EventList gives one record per member).
 * `parse` gives a text's JSON value, or undefined when it is not valid JSON; the hunt's leaves out
 * what it never reads (lean-parse.ts).
 */
export function* parsedRecords(cut: CutRecord, parse: (text: string) => { value: unknown; text?: string } | undefined = parseJson): Generator<AuditRecord> {
  if (cut.type !== 'text') {
    yield cut;
    return;
  }
  const parsed = parse(cut.text);
  if (parsed === undefined) {
    yield { type: 'malformed', line: cut.line, reason: 'not valid JSON' };
    return;
  }
  // A one-line EventList is still a list: each member is an event of that line.
  const record = parsed.value as { kind?: unknown; items?: unknown };
  if (!cut.member && record !== null && typeof record === 'object' && record.kind === 'EventList' && Array.isArray(record.items)) {
    for (const item of record.items as unknown[]) yield { type: 'value', line: cut.line, value: item };
  } else yield { type: 'value', line: cut.line, value: parsed.value, text: cut.member ? undefined : parsed.text };
}

export interface RecordLimits {
  /** One event's JSON text; the apiserver's own cap on a request body is 3 MiB, objects logged twice fit. */
  readonly maxEventBytes: number;
  /**
   * Reads a JSON line's text before it is parsed, and names it when it need not be (the hunt's
   * `skimLine`); the line is then handed on as `skimmed`, unparsed. JSON lines only.
   */
  readonly skim?: (text: string) => string | undefined;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxEventBytes: 16 * 1024 * 1024 };

/**
 * Turns the bytes of an audit log into records, whichever layout it has: JSON lines (what
 * `--audit-log-path` writes, one Event per line) or an `EventList` (what the webhook backend posts
 * and what people save from it), pretty-printed or not. The layout is decided by the first line:
 * a line that is a whole JSON value means JSON lines, a line that opens an object and stops means a
 * pretty-printed document, read member by member. Synchronous per chunk.
 */
export class AuditRecordCutter {
  private layout: 'lines' | 'document' | undefined;
  private head: Buffer[] = [];
  private headBytes = 0;
  private readonly lines: LineCutter;
  private readonly splitter: EventListSplitter;
  private readonly decoder = new Utf8Decoder();
  private members = 0;
  private readonly pieces: SplitLine[] = [];

  constructor(private readonly limits: RecordLimits = DEFAULT_RECORD_LIMITS) {
    this.lines = new LineCutter(limits.maxEventBytes);
    this.splitter = new EventListSplitter({ maxMemberBytes: limits.maxEventBytes });
  }

  push(chunk: Buffer, out: CutRecord[]): void {
    if (this.layout === undefined) {
      // Copied: a reader may reuse a chunk's memory once it has been pushed (file-chunks.ts).
      this.head.push(Buffer.from(chunk));
      this.headBytes += chunk.length;
      this.layout = layoutOf(Buffer.concat(this.head), this.headBytes > this.limits.maxEventBytes);
      if (this.layout === undefined) return;
      const head = Buffer.concat(this.head);
      this.head = [];
      this.feed(head, out);
      return;
    }
    this.feed(chunk, out);
  }

  end(out: CutRecord[]): void {
    if (this.layout === undefined) {
      this.layout = 'lines';
      this.feed(Buffer.concat(this.head), out);
    }
    if (this.layout === 'lines') {
      this.lines.end(this.pieces);
      this.linesToRecords(out);
      return;
    }
    this.membersToRecords(this.decoder.end(), out);
    if (this.splitter.unterminated) out.push({ type: 'malformed', line: this.splitter.lineCount, reason: 'the document ends before its closing bracket (truncated?)' });
    else if (this.members === 0) out.push({ type: 'malformed', line: 1, reason: 'a JSON document with no `items` list: not an audit EventList' });
  }

  private feed(chunk: Buffer, out: CutRecord[]): void {
    if (this.layout === 'lines') {
      this.lines.push(chunk, this.pieces);
      this.linesToRecords(out);
    } else this.membersToRecords(this.decoder.write(chunk), out);
  }

  private linesToRecords(out: CutRecord[]): void {
    for (const piece of this.pieces) {
      if ('oversized' in piece) {
        out.push({ type: 'malformed', line: piece.line, reason: `line longer than ${sizeOf(this.limits.maxEventBytes)}; skipped` });
        continue;
      }
      if (piece.text.trim() === '') continue;
      const verdict = this.limits.skim?.(piece.text);
      if (verdict !== undefined) {
        out.push({ type: 'skimmed', line: piece.line, verdict });
        continue;
      }
      out.push({ type: 'text', line: piece.line, text: piece.text, member: false });
    }
    this.pieces.length = 0;
  }

  private membersToRecords(text: string, out: CutRecord[]): void {
    for (const piece of this.splitter.push(text)) {
      this.members++;
      if ('oversized' in piece) out.push({ type: 'malformed', line: piece.oversized.line, reason: `event longer than ${sizeOf(this.limits.maxEventBytes)}; skipped` });
      else if ('scalar' in piece) out.push({ type: 'malformed', line: piece.scalar.line, reason: 'an EventList member that is not an object' });
      else out.push({ type: 'text', line: piece.member.line, text: piece.member.text, member: true });
    }
  }
}

/** The records of a log, one at a time (for callers that want an iterator; the hunt takes them per chunk). */
export async function* auditRecords(chunks: AsyncIterable<Buffer>, limits: RecordLimits = DEFAULT_RECORD_LIMITS): AsyncGenerator<AuditRecord> {
  const cutter = new AuditRecordCutter(limits);
  const out: CutRecord[] = [];
  for await (const chunk of chunks) {
    cutter.push(chunk, out);
    for (const cut of out.splice(0)) yield* parsedRecords(cut);
  }
  cutter.end(out);
  for (const cut of out) yield* parsedRecords(cut);
}

/**
 * A one-line EventList (what `kubectl get --raw` or a webhook capture saves) opens with its kind;
 * one longer than a line may be is read member by member, each within the event cap, rather than
 * dropped whole. An Event line never starts so, so JSON lines are never taken for one.
 */
const ONE_LINE_LIST = /^\s*\{\s*"(?:kind"\s*:\s*"EventList"|apiVersion"\s*:\s*"audit\.k8s\.io\/v1"\s*,\s*"kind"\s*:\s*"EventList")/;

function layoutOf(head: Buffer, headIsLong: boolean): 'lines' | 'document' | undefined {
  const newline = head.indexOf(10);
  if (newline === -1) return headIsLong ? (ONE_LINE_LIST.test(head.subarray(0, 256).toString('latin1')) ? 'document' : 'lines') : undefined;
  const first = head.subarray(0, newline).toString('utf8').trim();
  if (first === '') {
    // Blank leading lines say nothing; look at the first line with content.
    const rest = head.subarray(newline + 1);
    return rest.length === 0 ? undefined : layoutOf(rest, headIsLong);
  }
  return /[{[,:]$/.test(first) && first.startsWith('{') ? 'document' : 'lines';
}

/** Parse errors are not quoted: V8's messages repeat part of the input, which may hold a secret. */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}
