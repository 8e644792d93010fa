// The audit reader reads files into two reused buffers (src/audit/read/file-chunks.ts): every
// consumer that holds bytes past the next chunk must copy them. These tests read with tiny buffers,
// so any byte kept by reference is overwritten many times over and shows as a wrong result.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { AuditRecordCutter, DEFAULT_RECORD_LIMITS, parsedRecords, type AuditRecord, type CutRecord } from '../../src/audit/read/audit-records.js';
import { reusedFileChunks, type FileChunkSizes } from '../../src/audit/read/file-chunks.js';
import { decompressed, fileChunks } from '../../src/audit/read/open-input.js';
import { firstEventTime } from '../../src/audit/read/first-time.js';
import { skimLine } from '../../src/audit/skim.js';
import { tempDir } from '../helpers/cli.js';
import { auditEvent, jsonLines } from './events.js';

const dir = tempDir('kfguard-file-chunks-');
after(() => dir.cleanup());
let files = 0;
function file(bytes: Buffer | string): string {
  const path = join(dir.path, `f${files++}`);
  writeFileSync(path, bytes);
  return path;
}

async function records(chunks: AsyncIterable<Buffer>): Promise<AuditRecord[]> {
  const cutter = new AuditRecordCutter({ ...DEFAULT_RECORD_LIMITS, skim: skimLine });
  const cuts: CutRecord[] = [];
  for await (const chunk of decompressed(chunks)) cutter.push(chunk, cuts);
  cutter.end(cuts);
  return cuts.flatMap((cut) => [...parsedRecords(cut)]);
}

async function* whole(bytes: Buffer): AsyncGenerator<Buffer> {
  yield Buffer.from(bytes);
}

const sizes = fc.record({ readBytes: fc.integer({ min: 1, max: 64 }), sliceBytes: fc.integer({ min: 1, max: 64 }) }) as fc.Arbitrary<FileChunkSizes>;

describe('reading a file into reused buffers', () => {
  test('the chunks, copied as they come, are the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), sizes, async (bytes, chunkSizes) => {
        const path = file(Buffer.from(bytes));
        const copies: Buffer[] = [];
        for await (const chunk of reusedFileChunks(path, chunkSizes)) {
          assert.ok(chunk.length > 0 && chunk.length <= chunkSizes.sliceBytes);
          copies.push(Buffer.from(chunk));
        }
        assert.deepEqual(Buffer.concat(copies), Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });

  test('a log read in tiny reads gives the records of the log read at once: JSON lines, a pretty EventList, gzip', async () => {
    const events = Array.from({ length: 6 }, (_, i) =>
      auditEvent({ verb: i % 2 === 0 ? 'create' : 'get', resource: 'pods', namespace: 'a', name: `p${i}`, requestObject: i % 2 === 0 ? { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, annotations: { note: 'é ü ✓ 🙂' } } } : undefined }),
    );
    const logs = [
      Buffer.from(`${jsonLines(events)}not json\n`),
      Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: events }, null, 2)),
      gzipSync(Buffer.from(jsonLines(events))),
    ];
    for (const log of logs) {
      const expected = await records(whole(log));
      assert.ok(expected.filter((r) => r.type === 'value').length >= 3, JSON.stringify(expected.map((r) => r.type)));
      const path = file(log);
      for (const chunkSizes of [{ readBytes: 1, sliceBytes: 1 }, { readBytes: 5, sliceBytes: 2 }, { readBytes: 7, sliceBytes: 7 }, { readBytes: 64, sliceBytes: 13 }, { readBytes: 1024, sliceBytes: 1024 }]) {
        assert.deepEqual(await records(reusedFileChunks(path, chunkSizes)), expected, JSON.stringify(chunkSizes));
      }
    }
  });

  test('stopping early closes the file', async () => {
    const path = file('x'.repeat(10_000));
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 20; i++) {
      for await (const chunk of reusedFileChunks(path, { readBytes: 100, sliceBytes: 10 })) {
        assert.equal(chunk.length, 10);
        break;
      }
    }
    assert.equal(open(), before);
  });

  // rev12 review: decompressed() read its source by hand, so a consumer stopping early never
  // returned it and the file stayed open until a collection closed it (DEP0137 on stderr). The
  // hunt's first-time peek at each of several logs stops early on every file.
  test('stopping early after decompressed closes the file: plain, gzip, and the first-time peek', async () => {
    const line = `${JSON.stringify({ kind: 'Event', requestReceivedTimestamp: '2026-01-05T10:00:00Z', pad: 'x'.repeat(100) })}\n`;
    const paths = [file(line.repeat(2)), file(gzipSync(line.repeat(2)))];
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    for (const path of paths) {
      for (let i = 0; i < 5; i++) {
        assert.equal(await firstEventTime(path), Date.parse('2026-01-05T10:00:00Z'));
        for await (const chunk of decompressed(fileChunks(path))) {
          assert.ok(chunk.length > 0);
          break;
        }
      }
    }
    // Closing is asynchronous (libuv's thread pool): wait for the descriptors to go, up to 5 s, as
    // a loaded CI machine may run the closes late; a leaked descriptor never goes, however long.
    for (let i = 0; i < 500 && open() !== before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(open(), before);
    // And without relying on a descriptor count: the source itself is returned.
    for (const log of [Buffer.from(line), gzipSync(line)]) {
      let returned = false;
      const source: AsyncIterable<Buffer> = {
        [Symbol.asyncIterator]: () => {
          let given = false;
          return {
            next: async () => (given ? { done: true, value: undefined } : ((given = true), { done: false, value: log })),
            return: async () => ((returned = true), { done: true, value: undefined }),
          };
        },
      };
      for await (const chunk of decompressed(source)) {
        assert.ok(chunk.length > 0);
        break;
      }
      assert.ok(returned, 'the source was not returned');
    }
  });
});
