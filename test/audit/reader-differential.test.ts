// Issue 12 review: the audit reader reads files into two reused 1 MiB buffers handed on in 64 KiB
// slices (src/audit/read/file-chunks.ts); a string or Buffer view that outlived its chunk would be
// read corrupted. Differential: the same generated log read by `kfguard audit`'s reader from the
// file, and line by line through `readline` (every line in memory of its own), must give the same
// judged events, findings, errors and counts. Lines are sized to straddle the 64 KiB and 1 MiB
// boundaries, hold multi-byte characters that the boundaries cut, end in CRLF or not, exceed the
// event cap, and come plain, gzipped, or as several gzip members.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { createGunzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { AuditDetection, EventContext } from '../../src/audit/detection.js';
import { AUDIT_DETECTIONS } from '../../src/audit/detections/index.js';
import { huntAuditLogs } from '../../src/audit/hunt-logs.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { tempDir } from '../helpers/cli.js';
import { auditEvent } from './events.js';

const dir = tempDir('kfguard-reader-differential-');
after(() => dir.cleanup());
let files = 0;

const KIB64 = 64 * 1024;
const MIB = 1024 * 1024;
const threatRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit') && rule.meta.category === 'threat');
const CHARS = ['a', 'é', '✓', '🙂'] as const;

/** Every event the hunt judges, as its auditID and a digest of the object it judged. */
function recorder(seen: string[]): AuditDetection {
  return {
    meta: { id: 'test-recorder', title: 'records', severity: 'info', category: 'threat', description: '', rationale: '', remediation: '', references: [], mitre: [] },
    start: () => (context: EventContext) => {
      seen.push(`${context.event.auditID} ${context.event.verb} ${createHash('sha256').update(JSON.stringify(context.after ?? null)).digest('hex')}`);
      return [];
    },
  } as unknown as AuditDetection;
}

interface LineSpec {
  readonly kind: 'create' | 'miner' | 'get' | 'malformed' | 'blank';
  readonly pad: number;
  readonly char: (typeof CHARS)[number];
  readonly crlf: boolean;
}

let ids = 0;
function lineOf(spec: LineSpec): string {
  const id = `00000000-0000-4000-9000-${String(++ids).padStart(12, '0')}`;
  const pad = 'x'.repeat(spec.pad % 7) + spec.char.repeat(Math.ceil(spec.pad / Buffer.byteLength(spec.char)));
  const name = `p${ids}`;
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a', annotations: { pad } }, spec: { containers: [{ name: 'm', image }] } });
  const text =
    spec.kind === 'blank'
      ? ''
      : spec.kind === 'malformed'
        ? `{"kind":"Event","broken":"${pad}`
        : JSON.stringify(
            auditEvent({ auditID: id, verb: spec.kind === 'get' ? 'get' : 'create', resource: 'pods', namespace: 'a', name, requestObject: spec.kind === 'get' ? undefined : pod(spec.kind === 'miner' ? 'xmrig/xmrig:latest' : 'python:3.12'), userAgent: `agent ${pad.slice(0, 40)}` }),
          );
  return `${text}${spec.crlf ? '\r\n' : '\n'}`;
}

/** The log's lines as `readline` gives them, each in a buffer of its own. */
async function* readlineChunks(path: string, gzip: boolean): AsyncGenerator<Buffer> {
  const input = createReadStream(path);
  const lines = createInterface({ input: gzip ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  for await (const line of lines) yield Buffer.from(`${line}\n`);
}

type Layout = 'plain' | 'gzip' | 'members' | 'eventlist';

/** Events judged over a whole property: a generator that gave nothing to judge would prove nothing. */
let judgedInAll = 0;

async function compare(lines: readonly string[], layout: Layout, maxEventBytes: number, split = 0.5): Promise<void> {
  // An EventList saved pretty-printed (its members read by the document splitter, decoded as a stream).
  const text =
    layout === 'eventlist'
      ? JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: lines.filter((line) => line.startsWith('{"kind":"Event","apiVersion"')).map((line) => JSON.parse(line) as unknown) }, null, 2)
      : lines.join('');
  const cut = Math.floor(lines.length * split);
  const bytes =
    layout === 'plain' || layout === 'eventlist' ? Buffer.from(text) : layout === 'gzip' ? gzipSync(text) : Buffer.concat([gzipSync(lines.slice(0, cut).join('')), gzipSync(lines.slice(cut).join(''))]);
  const path = join(dir.path, `log${files++}`);
  writeFileSync(path, bytes);
  const run = async (input: Parameters<typeof huntAuditLogs>[0][number]) => {
    const seen: string[] = [];
    const result = await huntAuditLogs([input], { rules: threatRules, detections: [recorder(seen), ...AUDIT_DETECTIONS], maxEventBytes });
    return { seen, findings: result.findings.filter((f) => f.ruleId !== 'test-recorder'), errors: result.errors, stats: result.stats, warnings: result.warnings };
  };
  const reader = await run({ path, display: 'log' });
  const expected = await run({ chunks: readlineChunks(path, layout === 'gzip' || layout === 'members'), display: 'log' });
  judgedInAll += expected.seen.length;
  assert.deepEqual(reader.seen, expected.seen, `${layout}: judged events differ`);
  assert.deepEqual(reader.findings, expected.findings, `${layout}: findings differ`);
  assert.deepEqual(reader.errors, expected.errors, `${layout}: errors differ`);
  assert.deepEqual(reader.stats, expected.stats, `${layout}: counts differ`);
  assert.deepEqual(reader.warnings, expected.warnings, `${layout}: warnings differ`);
}

/** A line of exactly `bytes` bytes (with its line end), its last characters `char`s: so a boundary can cut one. */
function lineOfLength(bytes: number, char: (typeof CHARS)[number], crlf: boolean): string {
  const base = lineOf({ kind: 'create', pad: 0, char: 'a', crlf });
  const width = Buffer.byteLength(char);
  // Padding goes inside the annotation value: `"pad":""` → `"pad":"xxx…🙂🙂"`.
  const room = bytes - Buffer.byteLength(base);
  assert.ok(room >= 0);
  const tail = char.repeat(Math.floor(Math.min(room, 12) / width));
  const line = base.replace('"pad":""', `"pad":"${'y'.repeat(room - Buffer.byteLength(tail))}${tail}"`);
  assert.equal(Buffer.byteLength(line), bytes);
  return line;
}

describe('the audit reader against readline', () => {
  test('a line end, a CR or a multi-byte character exactly at a 64 KiB or 1 MiB boundary', async () => {
    judgedInAll = 0;
    // Past 1 MiB + a few slices, the first buffer has been read into again while a line is still
    // open: a view kept of it (the layout check's head, a cut line's start) reads the new bytes.
    for (const boundary of [KIB64, MIB, MIB + KIB64, 2 * MIB, 2 * MIB + 3 * KIB64]) {
      for (let delta = -4; delta <= 4; delta++) {
        // Each width of character, and CRLF, cut at each offset around the boundary.
        for (const [char, crlf] of [['🙂', delta % 2 === 0], [delta & 1 ? '✓' : 'é', delta % 2 !== 0]] as const) {
          const first = lineOfLength(boundary + delta, char, crlf);
          const lines = [first, lineOf({ kind: 'miner', pad: 30, char: '🙂', crlf: !crlf }), lineOf({ kind: 'get', pad: 3, char: 'é', crlf })];
          await compare(lines, 'plain', 16 * MIB);
        }
      }
    }
  });

  test('generated logs, random line sizes straddling the boundaries, plain, gzip, multi-member gzip and a pretty EventList, with and without lines over the cap', async () => {
    const size = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 3000 }) },
      { weight: 3, arbitrary: fc.integer({ min: KIB64 - 1500, max: KIB64 + 1500 }) },
      { weight: 1, arbitrary: fc.integer({ min: MIB - 1500, max: MIB + 1500 }) },
      { weight: 1, arbitrary: fc.integer({ min: MIB, max: 2 * MIB + 4 * KIB64 }) },
    );
    const spec: fc.Arbitrary<LineSpec> = fc.record({
      kind: fc.constantFrom('create', 'create', 'miner', 'get', 'get', 'malformed', 'blank'),
      pad: size,
      char: fc.constantFrom(...CHARS),
      crlf: fc.boolean(),
    });
    judgedInAll = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 16 }),
        fc.constantFrom<Layout>('plain', 'plain', 'gzip', 'members', 'eventlist'),
        fc.constantFrom(16 * MIB, 70_000, 1_100_000, 2 * MIB),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        async (specs, layout, maxEventBytes, split, lastLineEnd) => {
          const lines = specs.map(lineOf);
          // The last line may end without a line end.
          if (!lastLineEnd) lines[lines.length - 1] = (lines[lines.length - 1] as string).replace(/\r?\n$/, '');
          await compare(lines, layout, maxEventBytes, split);
        },
      ),
      { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 30) },
    );
    assert.ok(judgedInAll > 0, 'no event was judged in any generated log');
  });
});
