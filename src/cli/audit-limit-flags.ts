import { constants } from 'node:buffer';
import type { AuditHuntLimits } from '../audit/hunt-log.js';
import { UsageError } from '../core/errors.js';
import { sizeInBytes } from './size-flag.js';

/** What `kfguard audit` reads as budgets: the hunt's limits and the longest event a log may hold. */
export type AuditLimitFlags = Partial<AuditHuntLimits> & { readonly maxEventBytes?: number };

interface LimitFlag {
  readonly flag: string;
  readonly key: keyof AuditHuntLimits | 'maxEventBytes';
  readonly unit: 'count' | 'size';
  /**
   * The least value that still does the limit's job. A count of 0 remembered auditIDs, tracked
   * objects or kept findings would not narrow the hunt but blind it without a word; a byte budget of
   * 0 keeps nothing, and what that leaves unjudged is said in the findings and coverage, as over
   * any budget. An event under 1 KiB cannot hold a pod.
   */
  readonly least: number;
  /**
   * The most that still does the limit's job. An event is decoded to one string before it is
   * parsed: a line longer than V8's longest string (2^29 - 24 characters, a byte at least each)
   * could not be, and the error ended the reading of the whole file instead of skipping the line.
   */
  readonly most?: number;
}

export const AUDIT_LIMIT_FLAGS: readonly LimitFlag[] = [
  { flag: 'max-event-size', key: 'maxEventBytes', unit: 'size', least: 1024, most: constants.MAX_STRING_LENGTH },
  { flag: 'max-remembered-ids', key: 'maxRememberedIds', unit: 'count', least: 1 },
  { flag: 'max-tracked-objects', key: 'maxTrackedObjects', unit: 'count', least: 1 },
  { flag: 'max-tracked-pods', key: 'maxTrackedPods', unit: 'count', least: 1 },
  { flag: 'max-config-bytes', key: 'maxConfigBytes', unit: 'size', least: 0 },
  { flag: 'max-workload-bytes', key: 'maxWorkloadBytes', unit: 'size', least: 0 },
  { flag: 'max-pod-state-bytes', key: 'maxPodStateBytes', unit: 'size', least: 0 },
  { flag: 'max-config-reader-bytes', key: 'maxConfigReaderBytes', unit: 'size', least: 0 },
  { flag: 'max-findings', key: 'maxFindings', unit: 'count', least: 1 },
  { flag: 'max-listed-errors', key: 'maxListedErrors', unit: 'count', least: 0 },
];

/** The `parseArgs` options of the flags above. */
export const AUDIT_LIMIT_OPTIONS = Object.fromEntries(AUDIT_LIMIT_FLAGS.map(({ flag }) => [flag, { type: 'string' as const }])) as Record<string, { readonly type: 'string' }>;

/** The limits given on the command line; a value that is not one is a usage error naming its flag. */
export function auditLimitsOf(values: Readonly<Record<string, unknown>>): AuditLimitFlags {
  const limits: Record<string, number> = {};
  for (const { flag, key, unit, least, most } of AUDIT_LIMIT_FLAGS) {
    const given = values[flag];
    if (typeof given !== 'string') continue;
    const value = unit === 'size' ? sizeInBytes(given) : /^\d+$/.test(given.trim()) ? Number(given) : undefined;
    if (value === undefined || !Number.isSafeInteger(value) || value < least || (most !== undefined && value > most)) {
      const what = unit === 'size' ? 'a number of bytes or a size such as 16MB' : 'a whole number';
      const bytes = unit === 'size' ? ' bytes' : '';
      const bounds = [least > 0 ? `at least ${least}${bytes}` : undefined, most !== undefined ? `at most ${most}${bytes}, the longest string Node holds` : undefined].filter((bound) => bound !== undefined);
      throw new UsageError(`invalid --${flag} "${given}"`, `use ${what}${bounds.length > 0 ? ` (${bounds.join(', ')})` : ''}`);
    }
    limits[key] = value;
  }
  return limits as AuditLimitFlags;
}
