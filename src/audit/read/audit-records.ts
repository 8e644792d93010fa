import { StringDecoder } from 'node:string_decoder';
import { EventListSplitter } from './event-list-splitter.js';
import { splitLines } from './line-splitter.js';

/** One line (or one `EventList` member) of an audit log: its parsed JSON, or why it could not be read. */
export type AuditRecord =
  | { readonly type: 'value'; readonly line: number; readonly value: unknown }
  | { readonly type: 'malformed'; readonly line: number; readonly reason: string };

export interface RecordLimits {
  /** One event's JSON text; the apiserver's own cap on a request body is 3 MiB, objects logged twice fit. */
  readonly maxEventBytes: number;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxEventBytes: 16 * 1024 * 1024 };

/**
 * The records of an audit log, whichever layout it has: JSON lines (what `--audit-log-path`
 * writes, one Event per line) or an `EventList` (what the webhook backend posts and what people
 * save from it), pretty-printed or not. The layout is decided by the first line: a line that is a
 * whole JSON value means JSON lines, a line that opens an object and stops means a pretty-printed
 * document, read member by member.
 */
export async function* auditRecords(chunks: AsyncIterable<Buffer>, limits: RecordLimits = DEFAULT_RECORD_LIMITS): AsyncGenerator<AuditRecord> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let layout: 'lines' | 'document' | undefined;
  let headBytes = 0;
  while (layout === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
    layout = layoutOf(Buffer.concat(head), headBytes > limits.maxEventBytes);
  }
  const replay = async function* (): AsyncGenerator<Buffer> {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  if (layout === 'document') yield* documentRecords(replay(), limits);
  else yield* lineRecords(replay(), limits);
}

function layoutOf(head: Buffer, headIsLong: boolean): 'lines' | 'document' | undefined {
  const newline = head.indexOf(10);
  if (newline === -1) return headIsLong ? 'lines' : undefined;
  const first = head.subarray(0, newline).toString('utf8').trim();
  if (first === '') {
    // Blank leading lines say nothing; look at the first line with content.
    const rest = head.subarray(newline + 1);
    return rest.length === 0 ? undefined : layoutOf(rest, headIsLong);
  }
  return /[{[,:]$/.test(first) && first.startsWith('{') ? 'document' : 'lines';
}

async function* lineRecords(chunks: AsyncIterable<Buffer>, limits: RecordLimits): AsyncGenerator<AuditRecord> {
  for await (const piece of splitLines(chunks, limits.maxEventBytes)) {
    if ('oversized' in piece) {
      yield { type: 'malformed', line: piece.line, reason: `line longer than ${megabytes(limits.maxEventBytes)}; skipped` };
      continue;
    }
    if (piece.text.trim() === '') continue;
    const parsed = parseJson(piece.text);
    if (parsed === undefined) {
      yield { type: 'malformed', line: piece.line, reason: 'not valid JSON' };
      continue;
    }
    // A one-line EventList is still a list: each member is an event of that line.
    const record = parsed.value as { kind?: unknown; items?: unknown };
    if (record !== null && typeof record === 'object' && record.kind === 'EventList' && Array.isArray(record.items)) {
      for (const item of record.items as unknown[]) yield { type: 'value', line: piece.line, value: item };
    } else yield { type: 'value', line: piece.line, value: parsed.value };
  }
}

async function* documentRecords(chunks: AsyncIterable<Buffer>, limits: RecordLimits): AsyncGenerator<AuditRecord> {
  const splitter = new EventListSplitter({ maxMemberBytes: limits.maxEventBytes });
  const decoder = new StringDecoder('utf8');
  let members = 0;
  const take = function* (text: string): Generator<AuditRecord> {
    for (const out of splitter.push(text)) {
      members++;
      if ('oversized' in out) yield { type: 'malformed', line: out.oversized.line, reason: `event longer than ${megabytes(limits.maxEventBytes)}; skipped` };
      else {
        const parsed = parseJson(out.member.text);
        if (parsed === undefined) yield { type: 'malformed', line: out.member.line, reason: 'not valid JSON' };
        else yield { type: 'value', line: out.member.line, value: parsed.value };
      }
    }
  };
  for await (const chunk of chunks) yield* take(decoder.write(chunk));
  yield* take(decoder.end());
  if (splitter.unterminated) yield { type: 'malformed', line: splitter.lineCount, reason: 'the document ends before its closing bracket (truncated?)' };
  else if (members === 0) yield { type: 'malformed', line: 1, reason: 'a JSON document with no `items` list: not an audit EventList' };
}

/** Parse errors are not quoted: V8's messages repeat part of the input, which may hold a secret. */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${bytes} bytes`;
}
