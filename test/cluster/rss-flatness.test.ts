import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rssFlatness } from '../../bench/rss-flatness.js';

// The bench's verdict on "RSS flat over the changes" (issue 11), on runs recorded in docs/benchmarks.md.
describe('the watch bench says whether RSS is flat', () => {
  test('a climb inside the band is not flat: the trend counts', () => {
    // Scale 0.3, 60,000 changes (h-watchrss, A2): every late sample within ±5%, still rising.
    const verdict = rssFlatness([226, 239, 253, 265, 271, 278, 279, 286, 287, 290, 294]);
    assert.ok(verdict.bandPercent <= 5);
    assert.ok(verdict.trendPercent > 1);
    assert.equal(verdict.flat, false);
  });

  test('a level run is flat, and its growth over synced is still said', () => {
    // Scale 0.3, 200,000 changes (h-watchrss2): level from the second tenth on.
    const verdict = rssFlatness([228, 271, 282, 286, 285, 286, 286, 286, 297, 289, 292]);
    assert.equal(verdict.flat, true);
    assert.equal(Math.round(verdict.peakOverSyncedPercent), 30);
  });

  test('a sawtooth wider than the band is not flat, however level on average', () => {
    const verdict = rssFlatness([227, 240, 254, 265, 273, 228, 260, 269, 274, 279, 228]);
    assert.ok(Math.abs(verdict.trendPercent) < 1);
    assert.equal(verdict.flat, false);
  });

  test('eleven samples or an error', () => {
    assert.throws(() => rssFlatness([1, 2, 3]), /11 samples/);
  });
});
