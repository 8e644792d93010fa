import { durationMs } from '../audit/duration.js';
import { UsageError } from '../core/errors.js';

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`/`--until`: an RFC 3339 time (`2026-01-05T10:00:00Z`, or a date) or an age before now
 * (`90m`, `36h`, `7d`). Milliseconds since the epoch.
 */
export function parseTimeFlag(flag: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const age = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (age) return now - Number(age[1]) * (UNITS[age[2] as string] as number);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const time = Date.parse(value);
    if (Number.isFinite(time)) return time;
  }
  throw new UsageError(`invalid ${flag} "${value}"`, 'use an RFC 3339 time such as 2026-01-05T10:00:00Z, a date, or an age such as 90m, 36h, 7d');
}

/** `--burst-window 10m` in milliseconds. */
export function parseDurationFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = durationMs(value);
  if (ms === undefined) throw new UsageError(`invalid ${flag} "${value}"`, 'use a duration such as 90s, 10m, 2h');
  return ms;
}

export function parseCountFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 2) throw new UsageError(`invalid ${flag} "${value}"`, 'use a whole number of at least 2');
  return Number(value);
}
