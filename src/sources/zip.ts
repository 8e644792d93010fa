import { inflateRawSync } from 'node:zlib';
import { SourceError } from '../core/errors.js';
import { formatBytes } from './yaml-documents.js';
import { Budget, checkRatio, keepingWhatWasRead, MANIFEST_MEMBER, unsafeName, type ArchiveContents, type ArchiveLimits, type ArchiveMember, type MemberProblem } from './archive-budget.js';

/**
 * Reads a zip KFP package as Go's archive/zip does: from the central directory (zip64 records
 * included), each member's data located through its local header, stored or deflated, and inflated
 * no further than its declared size.
 */

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export function readZip(display: string, zip: Buffer, limits: ArchiveLimits): ArchiveContents {
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd === -1) throw new SourceError(`${display}: not a valid zip archive (no end of central directory)`);
  let count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  // Go reads the zip64 end record when a 32-bit field is saturated (KFP packages may be zip64).
  if (count === 0xffff || zip.readUInt32LE(eocd + 12) === 0xffffffff || offset === 0xffffffff) {
    const directory = zip64Directory(display, zip, eocd);
    if (directory) ({ count, offset } = directory);
  }
  return keepingWhatWasRead((members, problems) => readZipMembers(display, zip, limits, { count, offset }, members, problems));
}

const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_EXTRA_ID = 0x0001;

/** The zip64 end of central directory, found as Go's findDirectory64End finds it; undefined when there is none. */
function zip64Directory(display: string, zip: Buffer, eocd: number): { count: number; offset: number } | undefined {
  const locator = eocd - 20;
  if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR_SIGNATURE) return undefined;
  if (zip.readUInt32LE(locator + 4) !== 0 || zip.readUInt32LE(locator + 16) !== 1) return undefined;
  const end = safeNumber(zip.readBigUInt64LE(locator + 8));
  if (end === undefined || end + 56 > zip.length || zip.readUInt32LE(end) !== ZIP64_END_SIGNATURE) {
    throw new SourceError(`${display}: corrupt zip64 end of central directory`);
  }
  const count = safeNumber(zip.readBigUInt64LE(end + 32));
  const offset = safeNumber(zip.readBigUInt64LE(end + 48));
  if (count === undefined || offset === undefined) throw new SourceError(`${display}: corrupt zip64 end of central directory`);
  return { count, offset };
}

function safeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/**
 * Sizes and local offset of a central directory entry, from its zip64 extra field where the 32-bit
 * fields are saturated; in Go's order (size, compressed size, offset), each read only when needed.
 */
function zip64Fields(display: string, name: string, extra: Buffer, fields: { size: number; compressedSize: number; localOffset: number }): { size: number; compressedSize: number; localOffset: number } {
  let { size, compressedSize, localOffset } = fields;
  let needSize = size === 0xffffffff;
  let needCompressed = compressedSize === 0xffffffff;
  let needOffset = localOffset === 0xffffffff;
  if (!needSize && !needCompressed && !needOffset) return fields;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    const data = extra.subarray(at + 4, Math.min(extra.length, at + 4 + length));
    at += 4 + length;
    if (id !== ZIP64_EXTRA_ID) continue;
    let read = 0;
    const next = (): number => {
      if (read + 8 > data.length) throw new SourceError(`${display}!${name}: corrupt zip64 extra field`);
      const value = safeNumber(data.readBigUInt64LE(read));
      read += 8;
      if (value === undefined) throw new SourceError(`${display}!${name}: zip64 size or offset out of range`);
      return value;
    };
    if (needSize) [size, needSize] = [next(), false];
    if (needCompressed) [compressedSize, needCompressed] = [next(), false];
    if (needOffset) [localOffset, needOffset] = [next(), false];
  }
  // Go accepts a saturated uncompressed size without a zip64 field (an old zip32 file), nothing else.
  if (needCompressed || needOffset) throw new SourceError(`${display}!${name}: zip64 entry without its zip64 extra field`);
  return { size, compressedSize, localOffset };
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
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const next = offset + 46 + nameLength + extraLength + zip.readUInt16LE(offset + 32);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const extra = zip.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength);
    const { size, compressedSize, localOffset } = zip64Fields(display, name, extra, {
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localOffset: zip.readUInt32LE(offset + 42),
    });
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
