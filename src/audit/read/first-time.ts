import { decompressed, fileChunks } from './open-input.js';

/** How far into a log the first event's time is looked for; its first event is rarely this long. */
const PEEK_BYTES = 4 * 1024 * 1024;
const RECEIVED = /"requestReceivedTimestamp"\s*:\s*"([^"\\]+)"/;

/**
 * The time of a log's first event (its `requestReceivedTimestamp`), read from its first bytes,
 * gunzipped when need be; undefined when none is found there. Rotated logs are named newest-first
 * or by the time they were cut, and a shell glob sorts `audit.log` after `audit-2026-…log.gz`:
 * the hunt reads them in the order of this time, so state and verdicts follow the events' order.
 */
export async function firstEventTime(path: string): Promise<number | undefined> {
  let text = '';
  try {
    for await (const chunk of decompressed(fileChunks(path))) {
      text += chunk.toString('utf8');
      const match = RECEIVED.exec(text);
      if (match) {
        const time = Date.parse(match[1] as string);
        return Number.isFinite(time) ? time : undefined;
      }
      if (text.length >= PEEK_BYTES) return undefined;
    }
  } catch {
    // Unreadable here is unreadable when the hunt reads it, which reports it.
  }
  return undefined;
}
