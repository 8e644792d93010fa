/**
 * What "RSS flat over the changes" means in the watch bench (issue 11), so that every run says the
 * same thing: the RSS sampled at each tenth of the changes, the samples from 40% to 100% (after the
 * first passes over the objects, when a flat heap has nothing left to grow into) each within ±5% of
 * their mean, and their least-squares trend under 1% of that mean per tenth (a slow climb inside
 * the band is not flat either). The peak over the synced figure is said apart: what the churn adds.
 */
export interface Flatness {
  readonly flat: boolean;
  /** Largest distance of a late sample from the late mean, in percent of it. */
  readonly bandPercent: number;
  /** Least-squares slope of the late samples, percent of their mean per tenth. */
  readonly trendPercent: number;
  /** Highest sample over the first (synced), in percent. */
  readonly peakOverSyncedPercent: number;
}

export const FLAT_BAND_PERCENT = 5;
export const FLAT_TREND_PERCENT = 1;

/** `tenths`: RSS at 0%, 10% … 100% of the changes (11 samples). */
export function rssFlatness(tenths: readonly number[]): Flatness {
  if (tenths.length !== 11) throw new Error(`expected 11 samples (0% … 100%), got ${tenths.length}`);
  const late = tenths.slice(4);
  const mean = late.reduce((a, b) => a + b, 0) / late.length;
  const bandPercent = (Math.max(...late.map((v) => Math.abs(v - mean))) / mean) * 100;
  const xs = late.map((_, i) => i);
  const xMean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const slope = xs.reduce((s, x, i) => s + (x - xMean) * (late[i]! - mean), 0) / xs.reduce((s, x) => s + (x - xMean) ** 2, 0);
  const trendPercent = (slope / mean) * 100;
  const peakOverSyncedPercent = ((Math.max(...tenths) - tenths[0]!) / tenths[0]!) * 100;
  return { flat: bandPercent <= FLAT_BAND_PERCENT && trendPercent < FLAT_TREND_PERCENT, bandPercent, trendPercent, peakOverSyncedPercent };
}
