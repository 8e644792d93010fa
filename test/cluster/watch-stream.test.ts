// The watch stream's line reader: events split across chunks, many events in one chunk, blank
// lines, and what is left after the last newline, against a plain HTTP server writing chunks as
// told (no TLS needed for the framing; the protocol parts are covered by fake-watch.test.ts).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Connection } from '../../src/sources/cluster/connection.js';
import { watchStream, type WatchEvent } from '../../src/sources/cluster/watch-stream.js';

const event = (i: number): string => JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', metadata: { name: `p-${i}`, note: 'x'.repeat(i % 7) } } });

describe('watch stream framing', () => {
  let server: Server;
  let chunks: string[] = [];
  let connection: Connection;
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Each chunk its own write, flushed apart, so the client sees these boundaries.
      const queue = [...chunks];
      const next = (): void => {
        const chunk = queue.shift();
        if (chunk === undefined) return void res.end();
        res.write(chunk, () => setTimeout(next, 2));
      };
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    connection = { server: `http://127.0.0.1:${port}`, context: 'test', kubeConfig: { applyToHTTPSOptions: async () => {} } } as unknown as Connection;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const read = async (): Promise<string[]> => {
    const names: string[] = [];
    const onEvent = (e: WatchEvent): void => void names.push((e.object as { metadata: { name: string } }).metadata.name);
    await watchStream(connection, '/api/v1/pods', { query: {}, signal: new AbortController().signal, idleTimeoutMs: 5_000, onEvent });
    return names;
  };

  test('every event once, in order, however the bytes are cut', async () => {
    const text = Array.from({ length: 200 }, (_, i) => event(i)).join('\n') + '\n';
    for (const size of [1, 7, 64, 1_000, text.length]) {
      chunks = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
      assert.deepEqual(await read(), Array.from({ length: 200 }, (_, i) => `p-${i}`), `chunks of ${size}`);
    }
  });

  test('blank lines are skipped and a line split after its newline is whole', async () => {
    chunks = [`${event(1)}\n\n`, `\n${event(2)}`, `\n${event(3)}\n`, `  \n${event(4)}\n`];
    assert.deepEqual(await read(), ['p-1', 'p-2', 'p-3', 'p-4']);
  });
});
