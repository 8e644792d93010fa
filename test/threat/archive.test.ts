import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { DEFAULT_ARCHIVE_LIMITS, isArchivePath, readArchive } from '../../src/sources/archive.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { skipWithout } from '../helpers/tools.js';

const PIPELINE = `# PIPELINE DEFINITION
# Name: tiny
deploymentSpec:
  executors:
    exec-hello:
      container:
        image: python:3.11
        command: [python, -c, "print('hello')"]
pipelineInfo:
  name: tiny
root:
  dag: {}
schemaVersion: 2.1.0
`;

const workdir = mkdtempSync(join(tmpdir(), 'kfguard-archive-'));
after(() => rmSync(workdir, { recursive: true, force: true }));

async function collect(path: string) {
  return collectManifests({ paths: [path], cwd: workdir, readStdin: () => Promise.resolve(Buffer.alloc(0)) });
}

/** A ustar header; `size` may be larger than the data that follows (a lying or truncated archive). */
function tarHeader(name: string, size: number, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\u000000', 257, 'latin1');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

function tarOf(members: readonly { name: string; data: string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { name, data } of members) {
    const bytes = Buffer.from(data);
    parts.push(tarHeader(name, bytes.length), bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A one-member zip whose headers may declare a different size than the data really inflates to. */
function zipOf(name: string, content: Buffer, declaredSize = content.length): Buffer {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(content), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

/** The archive's problems as one text; reading must not throw. */
function problemsOf(read: () => { problems: readonly { message: string }[] }): string {
  return read()
    .problems.map((p) => p.message)
    .join('\n');
}

describe('archive reader', () => {
  it('recognises archive names', () => {
    assert.ok(isArchivePath('pipeline.tar.gz'));
    assert.ok(isArchivePath('PIPELINE.TGZ'));
    assert.ok(isArchivePath('pkg.zip'));
    assert.ok(!isArchivePath('pipeline.yaml'));
  });

  it('reads a real .tar.gz pipeline package made by tar(1)', { skip: skipWithout('tar') }, async () => {
    const src = join(workdir, 'pkg-src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'pipeline.yaml'), PIPELINE);
    writeFileSync(join(src, 'README.txt'), 'not a manifest');
    const archive = join(workdir, 'pipeline.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', src, 'pipeline.yaml', 'README.txt']);
    const result = await collect(archive);
    assert.deepEqual(result.errors, []);
    assert.equal(result.objects.length, 1);
    const [scanned] = result.objects;
    assert.equal(scanned?.object.kind, 'PipelineSpec');
    assert.equal(scanned?.origin.archiveMember, 'pipeline.yaml');
    assert.equal(scanned?.origin.file, 'pipeline.tar.gz!pipeline.yaml');
    assert.equal(result.stats.documents, 1);
  });

  it('reads a .zip package made by zip(1), and archives found in a directory walk', { skip: skipWithout('zip') }, async () => {
    const dir = join(workdir, 'walk');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(workdir, 'pipeline.yaml'), PIPELINE);
    execFileSync('zip', ['-q', join(dir, 'pkg.zip'), 'pipeline.yaml'], { cwd: workdir });
    writeFileSync(join(dir, 'compiled-pipeline'), PIPELINE);
    const result = await collect(dir);
    assert.deepEqual(result.errors, []);
    const files = result.objects.map((o) => o.origin.file).sort();
    assert.deepEqual(files, ['walk/compiled-pipeline', 'walk/pkg.zip!pipeline.yaml']);
  });

  it('refuses a zip bomb with a clear error naming archive and member', async () => {
    const bomb = join(workdir, 'bomb.zip');
    writeFileSync(bomb, zipOf('pipeline.yaml', Buffer.alloc(DEFAULT_ARCHIVE_LIMITS.maxMemberBytes + 1024 * 1024)));
    const result = await collect(bomb);
    assert.equal(result.objects.length, 0);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]?.file, 'bomb.zip!pipeline.yaml');
    assert.match(result.errors[0]?.message ?? '', /over the .* limit per member/);
  });

  it('refuses a zip member that inflates past its declared size', () => {
    const lying = zipOf('pipeline.yaml', Buffer.alloc(4096, 0x61), 100);
    assert.match(problemsOf(() => readArchive('lying.zip', lying)), /lying\.zip!pipeline\.yaml: inflates past its declared/);
  });

  it('refuses a high compression ratio even within the size limits', () => {
    const limits = { ...DEFAULT_ARCHIVE_LIMITS, ratioFloorBytes: 64 * 1024 };
    const dense = zipOf('pipeline.yaml', Buffer.alloc(512 * 1024, 0x20));
    assert.match(problemsOf(() => readArchive('dense.zip', dense, limits)), /dense\.zip!pipeline\.yaml: compression ratio \d+:1 is over/);
    const gz = gzipSync(tarOf([{ name: 'pipeline.yaml', data: ' '.repeat(512 * 1024) }]));
    assert.throws(() => readArchive('dense.tgz', gz, limits), /dense\.tgz: compression ratio/);
  });

  it('refuses a tar member claiming a huge size without reading it', async () => {
    const huge = Buffer.concat([tarHeader('model.yaml', 0o77777777777), Buffer.alloc(1024)]);
    const path = join(workdir, 'huge.tar.gz');
    writeFileSync(path, gzipSync(huge));
    const result = await collect(path);
    assert.equal(result.objects.length, 0);
    assert.equal(result.errors[0]?.file, 'huge.tar.gz!model.yaml');
    assert.match(result.errors[0]?.message ?? '', /over the .* limit per member/);
  });

  it('skips path-traversal and absolute member names but reads the rest', async () => {
    const tar = tarOf([
      { name: '../../etc/evil.yaml', data: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: evil}\n' },
      { name: '/abs.yaml', data: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: abs}\n' },
      { name: 'ok.yaml', data: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n' },
    ]);
    const path = join(workdir, 'traversal.tgz');
    writeFileSync(path, gzipSync(tar));
    const result = await collect(path);
    assert.deepEqual(result.objects.map((o) => o.object.metadata?.name), ['ok']);
    assert.deepEqual(result.errors.map((e) => e.file), ['traversal.tgz!../../etc/evil.yaml', 'traversal.tgz!/abs.yaml']);
    assert.match(result.errors[0]?.message ?? '', /escapes the archive/);
  });

  it('reports corrupt and truncated archives instead of crashing', () => {
    assert.throws(() => readArchive('junk.tgz', Buffer.from([0x1f, 0x8b, 1, 2, 3])), /junk\.tgz: not a valid gzip archive/);
    assert.match(problemsOf(() => readArchive('junk.tar', Buffer.alloc(1024, 0x41))), /junk\.tar: corrupt tar header/);
    const truncated = tarOf([{ name: 'a.yaml', data: 'x'.repeat(2000) }]).subarray(0, 1024);
    assert.match(problemsOf(() => readArchive('cut.tar', truncated)), /cut\.tar: truncated tar archive/);
    assert.throws(() => readArchive('cut.zip', zipOf('a.yaml', Buffer.from('x')).subarray(0, 40)), /cut\.zip: not a valid zip/);
  });

  it('caps the member count', () => {
    const many = tarOf(Array.from({ length: 5 }, (_, i) => ({ name: `m${i}.yaml`, data: 'a: 1\n' })));
    const capped = readArchive('many.tar', many, { ...DEFAULT_ARCHIVE_LIMITS, maxMembers: 3 });
    assert.match(capped.problems.map((p) => p.message).join('\n'), /many\.tar: more than 3 members/);
    assert.equal(capped.members.length, 3, 'members read before the cap are kept');
  });

  it('keeps the members read before an archive turns out truncated', () => {
    const good = tarOf([{ name: 'good.yaml', data: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n' }]);
    const cut = tarOf([{ name: 'late.yaml', data: 'x'.repeat(2000) }]).subarray(0, 1024);
    const trailing = Buffer.concat([good.subarray(0, good.length - 1024), cut]);
    const contents = readArchive('mixed.tar', trailing);
    assert.deepEqual(contents.members.map((m) => m.name), ['good.yaml']);
    assert.match(contents.problems.map((p) => p.message).join('\n'), /mixed\.tar: truncated tar archive/);
  });
});
