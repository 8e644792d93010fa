/**
 * The hostile-input growth as one row of `npm run bench` (issue 17): every class of
 * bench/hostile-inputs.ts (imported, so classes added there are measured here too) at 100 KB and
 * 1 MB, in this process. Reports the slowest class at 1 MB (target ≤ 1 s) and the largest rise in
 * time per MB from 100 KB to 1 MB (target: flat, ≤ FLAT_LIMIT×). `npm run bench:hostile` has the
 * full table with 10 KB and 10 MB.
 */
import { HOSTILE_CLASSES } from './hostile-inputs.js';
import { scanText } from './hostile-scan.js';

const KB100 = 100 * 1024;
const MB1 = 1024 * 1024;
/** Time per MB at 1 MB at most this many times that at 100 KB: above it, growth is not linear. */
export const FLAT_LIMIT = 1.5;
export const SECONDS_AT_1MB_LIMIT = 1;

export interface HostileRow {
  readonly classes: number;
  /** Classes whose generator means nothing at 1 MB (their maxBytes is lower): measured at their largest size only. */
  readonly skippedAt1Mb: readonly string[];
  readonly slowest: { readonly name: string; readonly seconds: number };
  readonly steepest: { readonly name: string; readonly ratio: number };
}

async function best(text: string, repeats: number): Promise<number> {
  let seconds = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) seconds = Math.min(seconds, (await scanText(text)).seconds);
  return seconds;
}

export async function hostileRow(): Promise<HostileRow> {
  await scanText(HOSTILE_CLASSES[0]!.generate(1024)); // warm-up: indicator data and rule compilation
  let slowest = { name: '', seconds: 0 };
  let steepest = { name: '', ratio: 0 };
  const skippedAt1Mb: string[] = [];
  for (const hostile of HOSTILE_CLASSES) {
    if (hostile.maxBytes < MB1) {
      skippedAt1Mb.push(hostile.name);
      continue;
    }
    const small = hostile.generate(KB100);
    const large = hostile.generate(MB1);
    const perMbSmall = (await best(small, 2)) / (small.length / MB1);
    const seconds = await best(large, 1);
    const ratio = seconds / (large.length / MB1) / perMbSmall;
    if (seconds > slowest.seconds) slowest = { name: hostile.name, seconds };
    if (ratio > steepest.ratio) steepest = { name: hostile.name, ratio };
  }
  return { classes: HOSTILE_CLASSES.length, skippedAt1Mb, slowest, steepest };
}

export const hostileRowPasses = (row: HostileRow): boolean => row.slowest.seconds <= SECONDS_AT_1MB_LIMIT && row.steepest.ratio <= FLAT_LIMIT;
