import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiError } from './api-client.js';
import type { Connection } from './connection.js';

/** One line of a watch stream, as the API server sends it. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: unknown;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** A single event larger than this ends the stream: one object must not take the memory of a cluster. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;

export interface WatchStreamOptions {
  readonly query: Record<string, string>;
  readonly signal: AbortSignal;
  /** No byte for this long (bookmarks included) means the connection is dead. */
  readonly idleTimeoutMs: number;
  readonly onEvent: (event: WatchEvent) => void;
}

/**
 * Opens one watch (`?watch=1`) and hands each JSON line to `onEvent` as it arrives. Resolves when
 * the server ends the stream (its `timeoutSeconds`), rejects on an HTTP error, a dropped or idle
 * connection, or a line that is not a watch event. Plain node:https for the same reason as
 * `ApiClient`: events carry the wire form, not client-node's typed models.
 */
export async function watchStream(connection: Connection, path: string, options: WatchStreamOptions): Promise<void> {
  const url = new URL(`${connection.server.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries({ ...options.query, watch: '1' })) url.searchParams.set(key, value);
  const requestOptions: RequestOptions = { headers: { accept: 'application/json' } };
  await connection.kubeConfig.applyToHTTPSOptions(requestOptions);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const req = request(url, { ...requestOptions, method: 'GET', signal: options.signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.length < 64 && chunks.push(chunk));
        res.on('end', () => finish(statusError(status, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', (error) => finish(error));
        return;
      }
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        // Lines are cut from where the last one ended, and what is left is kept once per chunk:
        // cutting the rest off after each line made a new string per event.
        let start = 0;
        let newline: number;
        while ((newline = pending.indexOf('\n', start)) !== -1) {
          const line = pending.slice(start, newline).trim();
          start = newline + 1;
          if (line === '') continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            req.destroy(new Error(`${url.pathname}: a watch line is not JSON`));
            return;
          }
          if (!EVENT_TYPES.has(event?.type)) {
            req.destroy(new Error(`${url.pathname}: unknown watch event type ${JSON.stringify(String(event?.type)).slice(0, 40)}`));
            return;
          }
          options.onEvent(event);
        }
        if (start > 0) pending = pending.slice(start);
        if (pending.length > MAX_EVENT_BYTES) req.destroy(new Error(`${url.pathname}: a watch event is larger than ${MAX_EVENT_BYTES} bytes`));
      });
      res.on('end', () => finish());
      res.on('error', (error) => finish(error));
      res.on('aborted', () => finish(new Error(`${url.pathname}: the watch connection dropped`)));
    });
    req.setTimeout(options.idleTimeoutMs, () => req.destroy(new Error(`${url.pathname}: nothing received for ${Math.round(options.idleTimeoutMs / 1000)} s`)));
    req.on('error', (error) => finish(error));
    req.on('close', () => finish(options.signal.aborted ? undefined : new Error(`${url.pathname}: the watch connection closed`)));
    const onAbort = (): void => finish();
    options.signal.addEventListener('abort', onAbort);
    req.end();
  });
}

function statusError(status: number, text: string): ApiError {
  let body: { reason?: string; message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not a Status: the first line of the text says enough.
  }
  return new ApiError(status, body.reason ?? `HTTP ${status}`, (body.message ?? text.slice(0, 200)).split('\n')[0]!);
}
