import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { readArchive } from '../../src/sources/archive.js';
import { MANIFEST_MEMBER } from '../../src/sources/archive-budget.js';

/**
 * Differential fuzzing of the tar reader against Python's tarfile, the oracle the archive tests
 * already use (Go is not installed here; see tar-go-semantics.test.ts for where Go and Python
 * differ on crafted headers, which this generator does not make). Python writes random archives,
 * in ustar, GNU and PAX formats, plain and gzipped, with long and non-ASCII names, directories,
 * symlinks and hard links among the files; then every regular member Python reads back must be
 * what kfguard reads, byte for byte, in order.
 */

const pythonAvailable = spawnSync('python3', ['-c', 'import tarfile']).status === 0;

interface MemberSpec {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'link';
  readonly data: string;
}

const segment = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/),
  fc.constantFrom('ünïcödé', '清单', 'with space', 'x'.repeat(60)),
);
const extension = fc.constantFrom('.yaml', '.yml', '.json', '.YAML', '.txt', '');
const memberName = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), extension).map(([parts, ext]) => `${parts.join('/')}${ext}`);
const member = fc.record({
  name: memberName,
  type: fc.constantFrom<MemberSpec['type']>('file', 'file', 'file', 'dir', 'symlink', 'link'),
  data: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', 'kind: Pod\n', 'x'.repeat(1500))),
});
const format = fc.constantFrom('USTAR_FORMAT', 'GNU_FORMAT', 'PAX_FORMAT');

/** Writes archive i of the spec list to DIR/i.tar(.gz), then reads each back. One process for all. */
const WRITE_AND_READ = `
import io, json, sys, tarfile
specs = json.load(open(sys.argv[1]))
results = []
for i, spec in enumerate(specs):
    path = "%s/%d.%s" % (sys.argv[2], i, "tar.gz" if spec["gzip"] else "tar")
    with tarfile.open(path, "w:gz" if spec["gzip"] else "w", format=getattr(tarfile, spec["format"])) as t:
        for m in spec["members"]:
            info = tarfile.TarInfo(m["name"])
            data = m["data"].encode()
            if m["type"] != "file":
                info.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "link": tarfile.LNKTYPE}[m["type"]]
                info.linkname = "" if m["type"] == "dir" else "target.yaml"
                data = b""
            info.size = len(data)
            try:
                t.addfile(info, io.BytesIO(data))
            except ValueError:
                pass  # ustar cannot hold the name: that member is simply not in the archive
    members, links = [], []
    with tarfile.open(path) as t:
        for m in t:
            if m.isreg():
                members.append({"name": m.name, "data": t.extractfile(m).read().hex()})
            elif m.issym() or m.islnk():
                links.append(m.name)
    results.append({"path": path, "members": members, "links": links})
print(json.dumps(results))
`;

describe('the tar reader agrees with Python tarfile', { skip: pythonAvailable ? false : 'python3 not installed' }, () => {
  const workdir = mkdtempSync(join(tmpdir(), 'kfguard-tar-fuzz-'));
  after(() => rmSync(workdir, { recursive: true, force: true }));

  test('every regular YAML/JSON member, its name and its bytes, in order; every link reported', () => {
    // Sampled up front so one Python process writes and reads them all; the seed a failure names
    // replays it with KFGUARD_FUZZ_SEED.
    const seed = Number(process.env.KFGUARD_FUZZ_SEED ?? Date.now());
    const specs = fc.sample(fc.record({ members: fc.array(member, { maxLength: 6 }), format, gzip: fc.boolean() }), { numRuns: 120, seed });
    const specFile = join(workdir, 'specs.json');
    writeFileSync(specFile, JSON.stringify(specs));
    const oracle = spawnSync('python3', ['-c', WRITE_AND_READ, specFile, workdir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(oracle.status, 0, `fast-check seed ${seed}: ${oracle.stderr}`);
    const results = JSON.parse(oracle.stdout) as { path: string; members: { name: string; data: string }[]; links: string[] }[];
    let compared = 0;
    results.forEach((read, i) => {
      const where = `fast-check seed ${seed}, archive ${i}: ${JSON.stringify(specs[i])}`;
      const expected = read.members.filter((m) => MANIFEST_MEMBER.test(m.name));
      if (expected.length > 0) compared++;
      const contents = readArchive(read.path, readFileSync(read.path));
      assert.deepEqual(contents.members.map((m) => ({ name: m.name, data: m.bytes.toString('hex') })), expected, where);
      // Links are never followed, and each one is reported, not dropped silently.
      assert.deepEqual(contents.problems.map((p) => p.member), read.links, where);
      assert.ok(contents.problems.every((p) => p.message.endsWith('links and special files are not followed; member skipped')), where);
    });
    assert.ok(compared > 30, `fast-check seed ${seed}: only ${compared} archives had a manifest member to compare`);
  });
});
