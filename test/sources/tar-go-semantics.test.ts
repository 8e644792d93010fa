import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readArchive } from '../../src/sources/archive.js';
import { runCli } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tools.js';

/**
 * Tar is read as Go's archive/tar (KFP's package reader) reads it. Go is not installed here, so
 * Python's tarfile and GNU tar stand in: for each crafted archive, the names and contents kfguard
 * reads must match what each oracle lists.
 */

const workdir = mkdtempSync(join(tmpdir(), 'kfguard-tar-'));
after(() => rmSync(workdir, { recursive: true, force: true }));

const MINER = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: m\n    image: alpine\n    command: [xmrig, -o, "stratum+tcp://pool.example.com:3333"]\n';
const DECOY = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: decoy}\n';

function header(name: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(type, 156);
  block.write('ustar\u000000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const pad = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const entry = (name: string, data: string, type = '0'): Buffer => Buffer.concat([header(name, Buffer.byteLength(data), type), pad(Buffer.from(data))]);
const END = Buffer.alloc(1024);

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return `${length}${body}`;
}
function pax(records: readonly [string, string][]): Buffer {
  const data = records.map(([key, value]) => paxRecord(key, value)).join('');
  return Buffer.concat([header('PaxHeaders/x', Buffer.byteLength(data), 'x'), pad(Buffer.from(data))]);
}

interface Member {
  name: string;
  data: string;
}

/** What Python's tarfile reads: every regular member and its bytes. */
function pythonMembers(path: string): Member[] {
  const script = [
    'import json, sys, tarfile',
    'out = []',
    'with tarfile.open(sys.argv[1]) as t:',
    '    for m in t:',
    '        if m.isreg(): out.append({"name": m.name, "data": t.extractfile(m).read().decode()})',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as Member[];
}

/** What GNU tar lists, with each listed regular member's bytes (`-xO`). */
function gnuTarMembers(path: string): Member[] {
  const listing = execFileSync('tar', ['-tvf', path], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return listing
    .filter((line) => line.startsWith('-'))
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .map((name) => ({ name, data: execFileSync('tar', ['-xOf', path, name], { encoding: 'utf8' }) }));
}

function kfguardMembers(path: string, bytes: Buffer): Member[] {
  const contents = readArchive(path, bytes);
  assert.deepEqual(contents.problems, []);
  return contents.members.map((m) => ({ name: m.name, data: m.bytes.toString('utf8') }));
}

function check(name: string, bytes: Buffer, expected: Member[]): void {
  const path = join(workdir, name);
  writeFileSync(path, bytes);
  const ours = kfguardMembers(path, bytes);
  assert.deepEqual(ours, expected, 'kfguard');
  if (!missingPython) assert.deepEqual(pythonMembers(path), expected, 'python tarfile');
  if (!missingTar) assert.deepEqual(gnuTarMembers(path), expected, 'GNU tar');
}

// kfguard's reading is always checked against Go's; the two other readers where they are installed.
const missingPython = skipWithout('python3');
const missingTar = skipWithout('tar');

describe('tar read as Go archive/tar reads it', () => {
  it('is also compared with Python tarfile', { skip: missingPython }, () => {});
  it('is also compared with GNU tar', { skip: missingTar }, () => {});
  it('reads the members hidden in the bytes a directory entry claims as its size', () => {
    const hidden = entry('pipeline.yaml', MINER);
    const dir = header('pkg/', hidden.length, '5');
    check('dir-size.tar', Buffer.concat([dir, hidden, entry('decoy.yaml', DECOY), END]), [
      { name: 'pipeline.yaml', data: MINER },
      { name: 'decoy.yaml', data: DECOY },
    ]);
  });

  it('applies the last of two PAX path records', () => {
    const bytes = Buffer.concat([pax([['path', 'decoy.txt'], ['path', 'pipeline.yaml']]), entry('plain.txt', MINER), END]);
    check('pax-two-paths.tar', bytes, [{ name: 'pipeline.yaml', data: MINER }]);
  });

  it('lets a PAX size record decide where the data ends', () => {
    const hidden = entry('pipeline.yaml', MINER);
    // The header says 0 bytes; the PAX size covers a whole embedded member, which is then data.
    const bytes = Buffer.concat([pax([['size', String(hidden.length)]]), header('outer.yaml', 0, '0'), hidden, END]);
    check('pax-size.tar', bytes, [{ name: 'outer.yaml', data: hidden.toString('utf8') }]);
  });

  it('keeps Go\'s name under a PAX global path, and reads a member that path makes a manifest', () => {
    const global = (path: string): Buffer => {
      const data = paxRecord('path', path);
      return Buffer.concat([header('GlobalHead', data.length, 'g'), pad(Buffer.from(data))]);
    };
    const goNamed = Buffer.concat([global('decoy.txt'), entry('pipeline.yaml', MINER), END]);
    const path = join(workdir, 'pax-global.tar');
    writeFileSync(path, goNamed);
    assert.deepEqual(kfguardMembers(path, goNamed), [{ name: 'pipeline.yaml', data: MINER }]);
    // The oracles disagree with Go here: they rename the member after the global record.
    if (!missingPython) assert.deepEqual(pythonMembers(path), [{ name: 'decoy.txt', data: MINER }]);
    if (!missingTar) assert.deepEqual(gnuTarMembers(path), [{ name: 'decoy.txt', data: MINER }]);
    const posixNamed = Buffer.concat([global('pipeline.yaml'), entry('plain.txt', MINER), END]);
    writeFileSync(path, posixNamed);
    assert.deepEqual(kfguardMembers(path, posixNamed), [{ name: 'plain.txt', data: MINER }]);
    if (!missingPython) assert.deepEqual(pythonMembers(path), [{ name: 'pipeline.yaml', data: MINER }]);
  });

  it('judges every copy of a member name that appears twice, whichever one a reader keeps', async () => {
    // Python's tarfile and GNU tar list both; a reader taking the first runs the miner, one keeping the last does not.
    const benignLast = MINER.replace('command: [xmrig, -o, "stratum+tcp://pool.example.com:3333"]', 'command: [sleep, "1"]');
    for (const [label, members] of [
      ['miner first', [MINER, benignLast]],
      ['miner last', [benignLast, MINER]],
    ] as const) {
      const bytes = Buffer.concat([entry('pipeline.yaml', members[0]), entry('pipeline.yaml', members[1]), END]);
      const path = join(workdir, `dup-${label.replace(' ', '-')}.tar`);
      writeFileSync(path, bytes);
      if (!missingPython) assert.equal(pythonMembers(path).length, 2, label);
      const run = await runCli(['scan', path, '--format', 'json', '--fail-on', 'low']);
      const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings;
      assert.ok(findings.some((f) => f.ruleId === 'crypto-miner-workload'), `${label}: ${run.stdout.slice(0, 400)}`);
      assert.equal(run.code, 1, label);
    }
  });
});
