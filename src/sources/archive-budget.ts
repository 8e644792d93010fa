import { SourceError } from '../core/errors.js';
import { formatBytes } from './yaml-documents.js';

/** Limits and bookkeeping shared by the tar and zip readers. */

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

/** Members worth parsing: pipeline packages hold YAML or JSON. */
export const MANIFEST_MEMBER = /\.(?:ya?ml|json)$/i;

/** Names that could escape an extraction directory are refused, even though nothing is extracted. */
export function unsafeName(name: string): string | undefined {
  if (name === '') return 'empty member name';
  if (name.includes('\0')) return 'member name contains a NUL byte';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.startsWith('\\')) return 'absolute member path';
  if (name.split(/[\\/]/).includes('..')) return 'member path escapes the archive (..)';
  return undefined;
}

export class Budget {
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

/**
 * Members read before an archive turns out truncated, corrupt or over a limit are kept: their
 * findings stand, and the failure is reported as a problem of the archive.
 */
export function keepingWhatWasRead(read: (members: ArchiveMember[], problems: MemberProblem[]) => void): ArchiveContents {
  const members: ArchiveMember[] = [];
  const problems: MemberProblem[] = [];
  try {
    read(members, problems);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    problems.push({ member: '', message: error.message });
  }
  return { members, problems };
}

/** Refuses a member (or a whole gzip stream) that inflates more than `maxRatio` times its compressed size. */
export function checkRatio(display: string, member: string | undefined, inflated: number, compressed: number, limits: ArchiveLimits): void {
  if (inflated < limits.ratioFloorBytes) return;
  const ratio = inflated / Math.max(1, compressed);
  if (ratio > limits.maxRatio) {
    const where = member === undefined ? display : `${display}!${member}`;
    throw new SourceError(`${where}: compression ratio ${Math.round(ratio)}:1 is over the ${limits.maxRatio}:1 limit; refused as a possible decompression bomb`);
  }
}
