import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { SourceError } from '../../src/core/errors.js';
import { readArchive, type ArchiveContents } from '../../src/sources/archive.js';

/**
 * Differential fuzzing of the zip reader (KFP packages) against Python's zipfile, which, like Go's
 * archive/zip that KFP uses, reads the central directory and checks each member's CRC. Python
 * writes random archives: stored and deflated members, directories, duplicate names, data
 * descriptors (written as to a pipe), zip64 local headers, and zip64 central directories and end
 * records; then the same archives are truncated and
 * have bytes overwritten. The reader must never throw anything but a SourceError and never hang;
 * on a well-formed archive it must read exactly the manifest members Python reads, in order; on a
 * damaged one it may read less only by reporting a problem, and what it reads must be what Python
 * reads for that member.
 */

const pythonAvailable = spawnSync('python3', ['-c', 'import zipfile']).status === 0;

interface Spec {
  readonly members: { name: string; data: string; deflate: boolean; dir: boolean }[];
  readonly descriptors: boolean;
  /** `local`: zip64 local headers only; `full`: zip64 central directory entries and end records too. */
  readonly zip64: 'none' | 'local' | 'full';
}

interface OracleRead {
  readonly path: string;
  /** The archive could not be opened at all. */
  readonly refused: boolean;
  /** Every manifest member in central-directory order, with its bytes, or null when reading it failed. */
  readonly members: { name: string; data: string | null }[];
}

const segment = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,9}$/), fc.constantFrom('ünïcödé', '清单', 'with space'));
const memberName = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.constantFrom('.yaml', '.yml', '.json', '.JSON', '.txt', ''));
const spec: fc.Arbitrary<Spec> = fc.record({
  members: fc.array(
    fc.record({
      name: memberName.map(([parts, ext]) => `${parts.join('/')}${ext}`),
      data: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', 'kind: Pod\nmetadata: {name: a}\n', 'x'.repeat(3000))),
      deflate: fc.boolean(),
      // One member in ten a directory, drawn by fast-check (not Math.random) so the seed replays it.
      dir: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 9, arbitrary: fc.constant(false) }),
    }),
    { maxLength: 5 },
  ),
  descriptors: fc.boolean(),
  zip64: fc.constantFrom<Spec['zip64']>('none', 'local', 'full'),
}).map((s) => {
  // Duplicate names: repeat one member's name with other bytes, as zipfile allows (with a warning).
  const first = s.members[0];
  return first && s.members.length > 2 ? { ...s, members: [...s.members, { ...first, data: `${first.data}-again` }] } : s;
});

interface Damage {
  readonly truncateAt: number | undefined;
  readonly writes: readonly [number, number][];
}

/** Damage to an archive: cut it short, overwrite bytes. Positions are fractions of the length. */
const damage: fc.Arbitrary<Damage> = fc.record({
  truncateAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  writes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
});

const WRITE = `
import io, json, sys, warnings, zipfile
warnings.simplefilter("ignore")
class Pipe(io.RawIOBase):
    def __init__(self, f): self.f = f
    def writable(self): return True
    def write(self, b): return self.f.write(b)
specs = json.load(open(sys.argv[1]))
LIMITS = (zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT)
for i, spec in enumerate(specs):
    path = "%s/%d.zip" % (sys.argv[2], i)
    # Below every real size, these limits make zipfile write zip64 fields and end records for everything.
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = (-1, -1) if spec["zip64"] == "full" else LIMITS
    with open(path, "wb") as out:
        target = Pipe(out) if spec["descriptors"] else out
        with zipfile.ZipFile(target, "w") as z:
            for m in spec["members"]:
                name = m["name"] + ("/" if m["dir"] else "")
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED if m["deflate"] else zipfile.ZIP_STORED
                with z.open(info, "w", force_zip64=spec["zip64"] != "none") as f:
                    if not m["dir"]:
                        f.write(m["data"].encode())
`;

const READ = `
import json, re, sys, warnings, zipfile
warnings.simplefilter("ignore")
manifest = re.compile(r"\\.(?:ya?ml|json)$", re.I)
results = []
for path in sys.argv[1:]:
    try:
        z = zipfile.ZipFile(path)
        infos = z.infolist()
    except Exception:
        results.append({"path": path, "refused": True, "members": []})
        continue
    members = []
    for info in infos:
        if info.is_dir() or not manifest.search(info.filename):
            continue
        try:
            members.append({"name": info.filename, "data": z.read(info).hex()})
        except Exception:
            members.append({"name": info.filename, "data": None})
    results.append({"path": path, "refused": False, "members": members})
print(json.dumps(results))
`;

function oracle(paths: readonly string[]): OracleRead[] {
  const run = spawnSync('python3', ['-c', READ, ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as OracleRead[];
}

/** kfguard's reading, with a thrown SourceError as an archive-level problem (anything else fails the test). */
function kfguard(path: string): ArchiveContents {
  try {
    return readArchive(path, readFileSync(path));
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    return { members: [], problems: [{ member: '', message: error.message }] };
  }
}

function damaged(bytes: Buffer, change: Damage): Buffer {
  const out = Buffer.from(change.truncateAt === undefined ? bytes : bytes.subarray(0, Math.floor(change.truncateAt * bytes.length)));
  for (const [at, value] of change.writes) if (out.length > 0) out[Math.min(out.length - 1, Math.floor(at * out.length))] = value;
  return out;
}

describe('the zip reader agrees with Python zipfile', { skip: pythonAvailable ? false : 'python3 not installed' }, () => {
  const workdir = mkdtempSync(join(tmpdir(), 'kfguard-zip-fuzz-'));
  after(() => rmSync(workdir, { recursive: true, force: true }));
  // KFGUARD_FUZZ_SEED replays the seed a failure names.
  const seed = Number(process.env.KFGUARD_FUZZ_SEED ?? Date.now());
  const specs = fc.sample(spec, { numRuns: 150, seed });
  const specFile = join(workdir, 'specs.json');
  writeFileSync(specFile, JSON.stringify(specs));
  const written = pythonAvailable ? spawnSync('python3', ['-c', WRITE, specFile, workdir], { encoding: 'utf8' }) : undefined;
  const paths = specs.map((_, i) => join(workdir, `${i}.zip`));

  test('well-formed archives: the same manifest members, names and bytes, in order', () => {
    assert.equal(written?.status, 0, `fast-check seed ${seed}: ${written?.stderr}`);
    let compared = 0;
    let descriptors = 0;
    let zip64 = 0;
    oracle(paths).forEach((read, i) => {
      const where = `fast-check seed ${seed}, archive ${i}: ${JSON.stringify(specs[i])}`;
      assert.equal(read.refused, false, where);
      const contents = kfguard(read.path);
      assert.deepEqual(contents.problems, [], where);
      assert.deepEqual(contents.members.map((m) => ({ name: m.name, data: m.bytes.toString('hex') })), read.members, where);
      if (read.members.length > 0) {
        compared++;
        if (specs[i]?.descriptors) descriptors++;
        if (specs[i]?.zip64 === 'full') zip64++;
      }
    });
    assert.ok(compared > 40 && descriptors > 10 && zip64 > 10, `fast-check seed ${seed}: compared ${compared} archives, ${descriptors} with data descriptors, ${zip64} zip64`);
  });

  test('damaged archives: no crash, and nothing Python reads is read differently or dropped in silence', () => {
    const changes = fc.sample(damage, { numRuns: specs.length, seed: seed + 1 });
    const damagedPaths = paths.map((path, i) => {
      const target = join(workdir, `${i}-damaged.zip`);
      writeFileSync(target, damaged(readFileSync(path), changes[i] as Damage));
      return target;
    });
    oracle(damagedPaths).forEach((read, i) => {
      const where = `fast-check seed ${seed}, archive ${i}, damage ${JSON.stringify(changes[i])}`;
      const contents = kfguard(read.path);
      const expected = read.members.filter((m) => m.data !== null);
      for (const member of contents.members) {
        const theirs = read.members.filter((m) => m.name === member.name);
        // Where Python read the member (its CRC holds), the bytes must be the same.
        if (theirs.some((m) => m.data !== null)) assert.ok(theirs.some((m) => m.data === member.bytes.toString('hex')), `${member.name} differs: ${where}`);
      }
      if (contents.problems.length === 0) {
        const ours = contents.members.map((m) => `${m.name}\0${m.bytes.toString('hex')}`);
        for (const m of expected) assert.ok(ours.includes(`${m.name}\0${m.data}`), `${m.name} read by Python, silently missed: ${where}`);
      }
    });
  });
});
