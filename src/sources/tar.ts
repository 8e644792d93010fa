import { SourceError } from '../core/errors.js';
import { Budget, MANIFEST_MEMBER, unsafeName, type ArchiveLimits, type ArchiveMember, type MemberProblem } from './archive-budget.js';

/**
 * Reads a tar stream the way Go's `archive/tar` does, because that is KFP's package reader: a
 * member this reader skipped, or named differently, would run in the cluster unseen.
 *
 * What Go does, and so what this does:
 * - each header's size (or a PAX `size` record) decides where the next header starts, except for
 *   header-only types (hard and symbolic links, devices, directories, FIFOs), whose size field Go
 *   ignores: the next header follows right after them, so bytes a directory's size seems to cover
 *   are read as members;
 * - a PAX `x` record set applies to the next entry only, a later record with the same key wins, and
 *   a second `x` header replaces the first; a GNU `L` long name wins over a PAX `path`;
 * - a PAX `g` global header is an entry of its own and changes no later entry's name (Python and
 *   GNU tar disagree: they rename later members with it, so its `path` also decides what is read);
 * - the ustar `prefix` field is joined to the name only for ustar/PAX/star headers, not GNU ones;
 * - checksums may be signed or unsigned; numbers are octal (padded with spaces or NULs) or base-256;
 * - one zero block ends the archive.
 */

const BLOCK = 512;
const MAX_TAR_METADATA_BYTES = 64 * 1024;
/** Go's isHeaderOnlyType: these carry no data whatever their size field says. */
const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6']);
const METADATA_TYPES = new Set(['x', 'g', 'L', 'K']);
const DIRECTORY = '5';
const GNU_SPARSE = 'S';

type TarFormat = 'ustar' | 'star' | 'gnu' | 'v7';

export function readTarMembers(display: string, tar: Buffer, limits: ArchiveLimits, members: ArchiveMember[], problems: MemberProblem[]): void {
  const budget = new Budget(display, limits);
  let offset = 0;
  let pax: ReadonlyMap<string, string> | undefined;
  let gnuLongName: string | undefined;
  // Python and GNU tar apply a global `path` to later members (Go does not): a member is read when
  // either reading names it a manifest, so neither can hide a pipeline from the other.
  let globalPath: string | undefined;
  for (;;) {
    if (offset >= tar.length) return;
    // Go's reader fails with "unexpected EOF" on a partial header block. Reading nothing from it
    // instead passed any short file (a damaged zip of a few hundred bytes) as an empty archive.
    if (offset + BLOCK > tar.length) throw new SourceError(`${display}: truncated tar archive (${tar.length - offset} byte(s) where a header block belongs at offset ${offset})`);
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) return;
    if (!validChecksum(header)) throw new SourceError(`${display}: corrupt tar header at offset ${offset}; not a tar archive`);
    const type = String.fromCharCode(header[156] ?? 0);
    const at = `tar header at offset ${offset}`;
    let size = tarNumber(display, header.subarray(124, 136), at);
    if (METADATA_TYPES.has(type)) {
      if (size > MAX_TAR_METADATA_BYTES) throw new SourceError(`${display}: oversized tar metadata record at offset ${offset}; refused`);
      const data = dataAt(display, tar, offset, size);
      offset = next(offset, size);
      if (type === 'x') pax = parsePax(display, data, at);
      else if (type === 'g') globalPath = parsePax(display, data, at).get('path') ?? globalPath;
      else if (type === 'L') gnuLongName = cString(data);
      continue;
    }
    let name = headerName(header);
    const paxPath = pax?.get('path');
    if (paxPath !== undefined) name = paxPath;
    const paxSize = pax?.get('size');
    if (paxSize !== undefined) size = paxDecimal(display, paxSize, at);
    if (gnuLongName !== undefined) name = gnuLongName;
    pax = undefined;
    gnuLongName = undefined;
    const dataSize = HEADER_ONLY_TYPES.has(type) ? 0 : size;
    budget.member(name, dataSize);
    const data = dataAt(display, tar, offset, dataSize);
    offset = next(offset, dataSize);
    if (type === DIRECTORY) continue;
    const unsafe = unsafeName(name);
    if (unsafe) {
      problems.push({ member: name, message: `${display}!${name}: ${unsafe}; member skipped` });
      continue;
    }
    if (HEADER_ONLY_TYPES.has(type)) {
      problems.push({ member: name, message: `${display}!${name}: links and special files are not followed; member skipped` });
      continue;
    }
    if (type === GNU_SPARSE) {
      problems.push({ member: name, message: `${display}!${name}: GNU sparse member not read` });
      continue;
    }
    // Regular files, and every type Go does not know, are read: Go hands their data to KFP.
    if (MANIFEST_MEMBER.test(name) || (globalPath !== undefined && MANIFEST_MEMBER.test(globalPath))) members.push({ name, bytes: Buffer.from(data) });
  }
}

function dataAt(display: string, tar: Buffer, offset: number, size: number): Buffer {
  const start = offset + BLOCK;
  if (start + size > tar.length) throw new SourceError(`${display}: truncated tar archive (member at offset ${offset} runs past the end)`);
  return tar.subarray(start, start + size);
}

function next(offset: number, size: number): number {
  return offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
}

function formatOf(header: Buffer): TarFormat {
  const magic = header.subarray(257, 263).toString('latin1');
  const version = header.subarray(263, 265).toString('latin1');
  if (magic === 'ustar\0') return header.subarray(508, 512).toString('latin1') === 'tar\0' ? 'star' : 'ustar';
  if (magic === 'ustar ' && version === ' \0') return 'gnu';
  return 'v7';
}

function headerName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const format = formatOf(header);
  // GNU headers keep access and change times where ustar keeps the prefix.
  const prefix = format === 'ustar' ? cString(header.subarray(345, 500)) : format === 'star' ? cString(header.subarray(345, 476)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function validChecksum(header: Buffer): boolean {
  let stored: number;
  try {
    stored = octal(header.subarray(148, 156));
  } catch {
    return false;
  }
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** Octal padded with spaces or NULs, or base-256 when the high bit is set (Go's parseNumeric). */
function tarNumber(display: string, field: Buffer, at: string): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    if (((field[0] ?? 0) & 0x40) !== 0) throw new SourceError(`${display}: negative size in ${at}`);
    let value = (field[0] ?? 0) & 0x7f;
    for (const byte of field.subarray(1)) {
      value = value * 256 + byte;
      if (value > Number.MAX_SAFE_INTEGER) throw new SourceError(`${display}: ${at} declares a huge member size; refused`);
    }
    return value;
  }
  try {
    return octal(field);
  } catch {
    throw new SourceError(`${display}: bad size in ${at}`);
  }
}

function octal(field: Buffer): number {
  const text = cString(field.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, ''));
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error('not octal');
  return parseInt(text, 8);
}

function paxDecimal(display: string, value: string, at: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new SourceError(`${display}: bad PAX size record before ${at}`);
  return Number(value);
}

/** `"<length> <key>=<value>\n"` records; a malformed one makes Go reject the archive, so it is refused. */
function parsePax(display: string, data: Buffer, at: string): Map<string, string> {
  const records = new Map<string, string>();
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const length = space > 0 ? Number(rest.subarray(0, space).toString('latin1')) : NaN;
    if (!Number.isInteger(length) || length < 5 || length > rest.length || rest[length - 1] !== 0x0a) {
      throw new SourceError(`${display}: malformed PAX record in ${at}`);
    }
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    rest = rest.subarray(length);
    const eq = record.indexOf('=');
    if (eq <= 0) throw new SourceError(`${display}: malformed PAX record in ${at}`);
    records.set(record.slice(0, eq), record.slice(eq + 1));
  }
  return records;
}

function cString(bytes: Buffer | string): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}
