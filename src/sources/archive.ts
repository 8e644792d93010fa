import { gunzipSync, inflateRawSync } from 'node:zlib';
import { SourceError } from '../core/errors.js';
import { formatBytes } from './yaml-documents.js';

/**
 * Reads KFP pipeline packages (`.tar.gz`, `.tgz`, `.tar`, `.zip`) with bounded extraction. Tar and
 * zip are parsed here (no dependency); nothing is written to disk, and links are never followed.
 */

export interface ArchiveLimits {
  readonly maxMembers: number;
  readonly maxMemberBytes: number;
  readonly maxTotalBytes: number;
  /** Inflated ÷ compressed; checked once the inflated size passes `ratioFloorBytes`. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxMembers: 1000,
  maxMemberBytes: 32 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export interface ArchiveMember {
  readonly name: string;
  readonly bytes: Buffer;
}

export interface MemberProblem {
  readonly member: string;
  readonly message: string;
}

export interface ArchiveContents {
  readonly members: ArchiveMember[];
  /** Members refused one by one (unsafe names, links); the rest of the archive is still read. */
  readonly problems: MemberProblem[];
}

const ARCHIVE_SUFFIXES = ['.tar.gz', '.tgz', '.tar', '.zip'];
/** Members worth parsing: pipeline packages hold YAML or JSON. */
const MANIFEST_MEMBER = /\.(?:ya?ml|json)$/i;

export function isArchivePath(path: string): boolean {
  const lower = path.toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** Reads an archive's YAML/JSON members. Throws `SourceError` naming the archive (and member) when it is hostile or broken. */
export function readArchive(display: string, bytes: Buffer, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): ArchiveContents {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return readZip(display, bytes, limits);
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x06054b50) return { members: [], problems: [] };
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return readTar(display, gunzipBounded(display, bytes, limits), limits);
  return readTar(display, bytes, limits);
}

function gunzipBounded(display: string, bytes: Buffer, limits: ArchiveLimits): Buffer {
  // Room for tar headers and padding on top of the member budget.
  const cap = limits.maxTotalBytes + (limits.maxMembers + 2) * 1024;
  let inflated: Buffer;
  try {
    inflated = gunzipSync(bytes, { maxOutputLength: cap });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new SourceError(`${display}: archive inflates to more than ${formatBytes(cap)}; refused as a possible decompression bomb`);
    }
    throw new SourceError(`${display}: not a valid gzip archive (${(error as Error).message})`);
  }
  checkRatio(display, undefined, inflated.length, bytes.length, limits);
  return inflated;
}

function checkRatio(display: string, member: string | undefined, inflated: number, compressed: number, limits: ArchiveLimits): void {
  if (inflated < limits.ratioFloorBytes) return;
  const ratio = inflated / Math.max(1, compressed);
  if (ratio > limits.maxRatio) {
    const where = member === undefined ? display : `${display}!${member}`;
    throw new SourceError(`${where}: compression ratio ${Math.round(ratio)}:1 is over the ${limits.maxRatio}:1 limit; refused as a possible decompression bomb`);
  }
}

/** Names that could escape an extraction directory are refused, even though nothing is extracted. */
function unsafeName(name: string): string | undefined {
  if (name === '') return 'empty member name';
  if (name.includes('\0')) return 'member name contains a NUL byte';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.startsWith('\\')) return 'absolute member path';
  if (name.split(/[\\/]/).includes('..')) return 'member path escapes the archive (..)';
  return undefined;
}

class Budget {
  private members = 0;
  private total = 0;
  constructor(
    private readonly display: string,
    private readonly limits: ArchiveLimits,
  ) {}

  member(name: string, size: number): void {
    if (++this.members > this.limits.maxMembers) {
      throw new SourceError(`${this.display}: more than ${this.limits.maxMembers} members (at ${name}); refused`);
    }
    if (size > this.limits.maxMemberBytes) {
      throw new SourceError(`${this.display}!${name}: member is ${formatBytes(size)}, over the ${formatBytes(this.limits.maxMemberBytes)} limit per member`);
    }
    this.total += size;
    if (this.total > this.limits.maxTotalBytes) {
      throw new SourceError(`${this.display}!${name}: archive content passes ${formatBytes(this.limits.maxTotalBytes)} in total; refused`);
    }
  }
}

const BLOCK = 512;
const MAX_TAR_METADATA_BYTES = 64 * 1024;

/**
 * Members read before an archive turns out truncated, corrupt or over a limit are kept: their
 * findings stand, and the failure is reported as a problem of the archive.
 */
function keepingWhatWasRead(members: ArchiveMember[], problems: MemberProblem[], read: () => void): ArchiveContents {
  try {
    read();
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    problems.push({ member: '', message: error.message });
  }
  return { members, problems };
}

function readTar(display: string, tar: Buffer, limits: ArchiveLimits): ArchiveContents {
  const members: ArchiveMember[] = [];
  const problems: MemberProblem[] = [];
  return keepingWhatWasRead(members, problems, () => readTarMembers(display, tar, limits, members, problems));
}

function readTarMembers(display: string, tar: Buffer, limits: ArchiveLimits, members: ArchiveMember[], problems: MemberProblem[]): void {
  const budget = new Budget(display, limits);
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!validChecksum(header)) throw new SourceError(`${display}: corrupt tar header at offset ${offset}; not a tar archive`);
    const type = String.fromCharCode(header[156] ?? 0);
    const size = tarSize(display, header, offset);
    const isMetadata = type === 'L' || type === 'x' || type === 'g';
    const name = isMetadata ? '' : (longName ?? tarName(header));
    if (isMetadata && size > MAX_TAR_METADATA_BYTES) throw new SourceError(`${display}: oversized tar metadata record at offset ${offset}; refused`);
    if (!isMetadata) budget.member(name, size);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new SourceError(`${display}: truncated tar archive (member at offset ${offset} runs past the end)`);
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') longName = cString(data);
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1] ?? longName;
    if (isMetadata) continue;
    longName = undefined;
    if (type === '5') continue;
    const unsafe = unsafeName(name);
    if (unsafe) {
      problems.push({ member: name, message: `${display}!${name}: ${unsafe}; member skipped` });
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') {
      problems.push({ member: name, message: `${display}!${name}: links and special files are not followed; member skipped` });
      continue;
    }
    if (MANIFEST_MEMBER.test(name)) members.push({ name, bytes: Buffer.from(data) });
  }
}

function validChecksum(header: Buffer): boolean {
  const stored = parseInt(cString(header.subarray(148, 156)).trim() || 'NaN', 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return stored === sum;
}

function tarSize(display: string, header: Buffer, offset: number): number {
  if (((header[124] ?? 0) & 0x80) !== 0) {
    throw new SourceError(`${display}: tar member at offset ${offset} uses a binary size field (huge member); refused`);
  }
  const size = parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
  if (!Number.isFinite(size) || size < 0) throw new SourceError(`${display}: bad size in tar header at offset ${offset}`);
  return size;
}

function tarName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul === -1 ? bytes.length : nul).toString('utf8');
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

function readZip(display: string, zip: Buffer, limits: ArchiveLimits): ArchiveContents {
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd === -1) throw new SourceError(`${display}: not a valid zip archive (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new SourceError(`${display}: zip64 archives are not supported`);
  const members: ArchiveMember[] = [];
  const problems: MemberProblem[] = [];
  return keepingWhatWasRead(members, problems, () => readZipMembers(display, zip, limits, { count, offset }, members, problems));
}

function readZipMembers(
  display: string,
  zip: Buffer,
  limits: ArchiveLimits,
  directory: { count: number; offset: number },
  members: ArchiveMember[],
  problems: MemberProblem[],
): void {
  const { count } = directory;
  let { offset } = directory;
  const budget = new Budget(display, limits);
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_SIGNATURE) {
      throw new SourceError(`${display}: corrupt zip central directory (entry ${i})`);
    }
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const next = offset + 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    offset = next;
    budget.member(name, size);
    if (name.endsWith('/')) continue;
    const unsafe = unsafeName(name);
    if (unsafe) {
      problems.push({ member: name, message: `${display}!${name}: ${unsafe}; member skipped` });
      continue;
    }
    if (!MANIFEST_MEMBER.test(name)) continue;
    if ((flags & 1) !== 0) {
      problems.push({ member: name, message: `${display}!${name}: encrypted member; skipped` });
      continue;
    }
    const data = localData(display, zip, localOffset, compressedSize, name);
    members.push({ name, bytes: inflateMember(display, name, data, method, size, limits) });
  }
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) if (zip.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  return -1;
}

function localData(display: string, zip: Buffer, offset: number, compressedSize: number, name: string): Buffer {
  if (offset + 30 > zip.length || zip.readUInt32LE(offset) !== LOCAL_SIGNATURE) {
    throw new SourceError(`${display}!${name}: corrupt zip local header`);
  }
  const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
  if (start + compressedSize > zip.length) throw new SourceError(`${display}!${name}: truncated zip member`);
  return zip.subarray(start, start + compressedSize);
}

function inflateMember(display: string, name: string, data: Buffer, method: number, declaredSize: number, limits: ArchiveLimits): Buffer {
  if (method === 0) return Buffer.from(data);
  if (method !== 8) throw new SourceError(`${display}!${name}: unsupported zip compression method ${method}`);
  // Trust no header: inflate at most the declared size (already within the per-member limit), plus one byte to notice a lie.
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(data, { maxOutputLength: Math.min(declaredSize, limits.maxMemberBytes) + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new SourceError(`${display}!${name}: inflates past its declared ${formatBytes(declaredSize)}; refused as a possible decompression bomb`);
    }
    throw new SourceError(`${display}!${name}: corrupt deflate data (${(error as Error).message})`);
  }
  if (inflated.length > declaredSize) {
    throw new SourceError(`${display}!${name}: inflates past its declared ${formatBytes(declaredSize)}; refused as a possible decompression bomb`);
  }
  checkRatio(display, name, inflated.length, data.length, limits);
  return inflated;
}
