import { stat } from 'node:fs/promises';
import { errorMessage } from '../core/errors.js';
import { AuditHunt, type AuditHuntOptions, type AuditHuntResult } from './hunt-log.js';
import { AuditRecordCutter, DEFAULT_RECORD_LIMITS, parsedRecords, type CutRecord } from './read/audit-records.js';
import { HeapPacer } from './read/heap-pacer.js';
import { parseAuditLine } from './read/lean-parse.js';
import { firstEventTime } from './read/first-time.js';
import { decompressed, fileChunks } from './read/open-input.js';
import { skimLine } from './skim.js';

/**
 * Input read between forced full collections (each a stop-the-world mark of the whole heap). On
 * the 1 GB bench log, one run each at load 4 with the reused read buffers: every 64 MiB peaked at
 * 183–184 MB, every 128 MiB at 200 MB and every 256 MiB at 232 MB, against the 200 MB target; never
 * forcing one peaked at 240 MB (docs/benchmarks.md, "Audit logs", ninth round and after).
 */
const FULL_COLLECTION_EVERY = 64 * 1024 * 1024;

/** An audit log to read: a file, or a stream (stdin) named for messages. */
export type AuditInput = { readonly path: string; readonly display: string } | { readonly chunks: AsyncIterable<Buffer>; readonly display: string };

/**
 * Reads each log in turn, streaming (plain or gzip, JSON lines or EventList), into one hunt, so
 * state and de-duplication carry across rotated files given in order. A log that cannot be read,
 * or breaks off, is an input error naming it; what was read before stays judged.
 */
/** `maxEventBytes`: the longest event (line or EventList member) read; a longer one is reported and skipped. */
export async function huntAuditLogs(given: readonly AuditInput[], options: AuditHuntOptions & { readonly maxEventBytes?: number }): Promise<AuditHuntResult> {
  const hunt = new AuditHunt(options);
  const pacer = new HeapPacer(FULL_COLLECTION_EVERY);
  const { inputs, reordered } = await inTimeOrder(given);
  for (const input of inputs) {
    let lastLine = 0;
    try {
      if ('path' in input) {
        const info = await stat(input.path);
        if (!info.isFile()) throw new Error(info.isDirectory() ? 'is a directory; give the log files' : 'is not a regular file');
      }
      const chunks = 'path' in input ? fileChunks(input.path) : input.chunks;
      // One await per chunk; the records of a chunk are judged synchronously.
      // Reads no detection looks at are counted from their first fields, unparsed.
      const cutter = new AuditRecordCutter({ maxEventBytes: options.maxEventBytes ?? DEFAULT_RECORD_LIMITS.maxEventBytes, skim: skimLine });
      const records: CutRecord[] = [];
      const judge = (): void => {
        for (const cut of records) {
          lastLine = cut.line;
          // Parsed one at a time, just before it is judged, without what the hunt never reads.
          for (const record of parsedRecords(cut, parseAuditLine)) hunt.feed(record, input.display);
        }
        records.length = 0;
      };
      for await (const chunk of decompressed(chunks)) {
        cutter.push(chunk, records);
        judge();
        pacer.read(chunk.length);
      }
      cutter.end(records);
      judge();
    } catch (error) {
      hunt.inputError({ file: input.display, ...(lastLine > 0 ? { line: lastLine } : {}), message: readFailure(error) });
    }
  }
  const result = hunt.result();
  if (reordered) result.warnings.push(`logs read in the order of their first event, not as given: ${inputs.map((input) => input.display).join(', ')}`);
  return result;
}

/**
 * The files in the order of their first event's time (a stable sort; stdin, which cannot be
 * peeked at, and files whose first time cannot be read keep their place among the others).
 */
async function inTimeOrder(given: readonly AuditInput[]): Promise<{ inputs: AuditInput[]; reordered: boolean }> {
  const files = given.map((input, index) => ({ input, index })).filter(({ input }) => 'path' in input);
  if (files.length < 2) return { inputs: [...given], reordered: false };
  const times = await Promise.all(files.map(({ input }) => ('path' in input ? firstEventTime(input.path) : undefined)));
  const timed = files.map((file, i) => ({ ...file, time: times[i] })).filter((file): file is typeof file & { time: number } => file.time !== undefined);
  const slots = timed.map((file) => file.index);
  const sorted = [...timed].sort((a, b) => a.time - b.time || a.index - b.index);
  const inputs = [...given];
  sorted.forEach((file, i) => {
    inputs[slots[i] as number] = file.input;
  });
  return { inputs, reordered: inputs.some((input, i) => input !== given[i]) };
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return `gzip data is corrupt or truncated; reading stopped after the last whole line (${errorMessage(error)})`;
  return `could not be read: ${errorMessage(error)}`;
}
