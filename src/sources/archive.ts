import { gunzipSync } from 'node:zlib';
import { SourceError } from '../core/errors.js';
import { formatBytes } from './yaml-documents.js';
import { checkRatio, DEFAULT_ARCHIVE_LIMITS, keepingWhatWasRead, type ArchiveContents, type ArchiveLimits } from './archive-budget.js';
import { readTarMembers } from './tar.js';
import { readZip } from './zip.js';

/**
 * Reads KFP pipeline packages (`.tar.gz`, `.tgz`, `.tar`, `.zip`) with bounded extraction. Tar
 * (`tar.ts`) and zip (`zip.ts`) are parsed as Go's archive/tar and archive/zip parse them, since KFP reads
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
  // A zip starts with a member's local header, or, when it has no members, with its (zip64) end record.
  if (bytes.length >= 4 && ZIP_STARTS.has(bytes.readUInt32LE(0))) return readZip(display, bytes, limits);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return readTar(display, gunzipBounded(display, bytes, limits), limits);
  return readTar(display, bytes, limits);
}

const ZIP_STARTS = new Set([0x04034b50, 0x06054b50, 0x06064b50]);

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


function readTar(display: string, tar: Buffer, limits: ArchiveLimits): ArchiveContents {
  return keepingWhatWasRead((members, problems) => readTarMembers(display, tar, limits, members, problems));
}
