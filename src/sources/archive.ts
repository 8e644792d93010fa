import { gunzipSync, inflateRawSync } from 'node:zlib';
import { SourceError } from '../core/errors.js';
import { formatBytes } from './yaml-documents.js';
import {
  Budget,
  DEFAULT_ARCHIVE_LIMITS,
  keepingWhatWasRead,
  MANIFEST_MEMBER,
  unsafeName,
  type ArchiveContents,
  type ArchiveLimits,
  type ArchiveMember,
  type MemberProblem,
} from './archive-budget.js';
import { readTarMembers } from './tar.js';

/**
 * Reads KFP pipeline packages (`.tar.gz`, `.tgz`, `.tar`, `.zip`) with bounded extraction. Tar
 * (`tar.ts`) and zip are parsed as Go's archive/tar and archive/zip parse them, since KFP reads
 * packages with those; nothing is written to disk, and links are never followed.
 */

export { DEFAULT_ARCHIVE_LIMITS, type ArchiveContents, type ArchiveLimits, type ArchiveMember, type MemberProblem } from './archive-budget.js';

const ARCHIVE_SUFFIXES = ['.tar.gz', '.tgz', '.tar', '.zip'];
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

function readTar(display: string, tar: Buffer, limits: ArchiveLimits): ArchiveContents {
  return keepingWhatWasRead((members, problems) => readTarMembers(display, tar, limits, members, problems));
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
  return keepingWhatWasRead((members, problems) => readZipMembers(display, zip, limits, { count, offset }, members, problems));
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
