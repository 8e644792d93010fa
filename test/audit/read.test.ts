import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { auditRecords, type AuditRecord } from '../../src/audit/read/audit-records.js';
import { decompressed } from '../../src/audit/read/open-input.js';
import { auditEvent, jsonLines } from './events.js';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Buffer, size = 64 * 1024, maxEventBytes?: number): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  const limits = maxEventBytes === undefined ? undefined : { maxEventBytes };
  for await (const record of auditRecords(decompressed(chunked(bytes, size)), limits)) out.push(record);
  return out;
}

const summary = (records: readonly AuditRecord[]) => records.map((r) => (r.type === 'value' ? `${r.line}:${(r.value as { auditID: string }).auditID}` : r.type === 'skimmed' ? `${r.line}:~ ${r.verdict}` : `${r.line}:! ${r.reason}`));

const events = [1, 2, 3].map((i) => auditEvent({ verb: 'create', resource: 'pods', namespace: 'a', name: `p${i}`, auditID: `id-${i}`, requestObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, annotations: { note: 'a "quoted" {brace} [and] \\ back\nslash' } } } }));

describe('audit log reading', () => {
  test('JSON lines: blank and CRLF lines, a malformed line counted with its number', async () => {
    const text = `${JSON.stringify(events[0])}\r\n\n{"kind": oops\n${JSON.stringify(events[1])}\n${JSON.stringify(events[2])}`;
    assert.deepEqual(summary(await read(Buffer.from(text))), ['1:id-1', '3:! not valid JSON', '4:id-2', '5:id-3']);
  });

  test('an over-long line is skipped and reported, and later line numbers stay right', async () => {
    const long = JSON.stringify(auditEvent({ verb: 'create', resource: 'configmaps', auditID: 'long', requestObject: { data: { x: 'y'.repeat(5000) } } }));
    const text = `${JSON.stringify(events[0])}\n${long}\n${JSON.stringify(events[1])}\n`;
    assert.deepEqual(summary(await read(Buffer.from(text), 100, 2000)), ['1:id-1', '2:! line longer than 2000 bytes; skipped', '3:id-2']);
  });

  test('a pretty-printed EventList is read member by member, naming each member\'s line', async () => {
    const text = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: { resourceVersion: '' }, items: events }, null, 2);
    const records = await read(Buffer.from(text), 7);
    assert.deepEqual(records.map((r) => (r.type === 'value' ? (r.value as { auditID: string }).auditID : r.type === 'skimmed' ? r.verdict : r.reason)), ['id-1', 'id-2', 'id-3']);
    const lines = text.split('\n');
    for (const record of records) assert.equal(lines[record.line - 1]?.trim(), '{');
  });

  test('any chunking of the bytes gives the same records (plain, gzip, EventList)', async () => {
    const plain = Buffer.from(jsonLines(events));
    const list = Buffer.from(JSON.stringify({ kind: 'EventList', items: events }, null, 1));
    const expected = summary(await read(plain));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.constantFrom(plain, gzipSync(plain), list), async (size, bytes) => {
        const got = summary(await read(bytes, size)).map((s) => s.replace(/^\d+:/, ''));
        assert.deepEqual(got, expected.map((s) => s.replace(/^\d+:/, '')));
      }),
      { numRuns: 60 },
    );
  });

  test('a truncated EventList says so after the members it could read', async () => {
    const text = JSON.stringify({ kind: 'EventList', items: events }, null, 2);
    const cut = text.slice(0, text.lastIndexOf('"id-3"'));
    const records = await read(Buffer.from(cut));
    assert.deepEqual(records.filter((r) => r.type === 'value').length, 2);
    const last = records.at(-1);
    assert.match(last?.type === 'malformed' ? last.reason : '', /ends before its closing bracket/);
  });
});
