// Records kept per stored copy, keyed by identity where copies carry one: a watch's update must
// replace the record in place. A Map keyed by the copies loses a key and gains one per update, and
// V8 re-allocates its table (in large-object space past 128 KB) every table's-capacity of updates:
// in a scale-1 watch, five such tables at once, 17.5 MB in one RSS sample (docs/benchmarks.md,
// watchband11).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { CopyRecords, type CopyRecord } from '../../src/core/copy-records.js';
import type { ScannedObject } from '../../src/core/types.js';

interface Record extends CopyRecord {
  readonly value: number;
}
const origin = { kind: 'cluster', context: 'test' } as const;
const identities = new Map<number, string>();
/** Version `version` of Pod `i`; copies of one Pod share one identity string, as the live snapshot's do. */
function copy(i: number, version: number, withIdentity = true): ScannedObject {
  let identity = identities.get(i);
  if (identity === undefined) identities.set(i, (identity = `\u0000Pod\u0000team\u0000pod-${i}`));
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'team', resourceVersion: String(version) } };
  return withIdentity ? { object, origin, identity } : { object, origin };
}
const record = (value: number): Record => ({ scanned: undefined as unknown as ScannedObject, value });

describe('CopyRecords', () => {
  test('a copy finds only its own record; a new copy of the identity takes the old place', () => {
    const records = new CopyRecords<Record>();
    const [a, b, c] = [copy(1, 1), copy(2, 1), copy(3, 1)];
    for (const [i, scanned] of [a, b, c].entries()) records.set(scanned, record(i));
    const a2 = copy(1, 2);
    assert.equal(records.get(a2), undefined, 'a new copy has no record before it is judged');
    assert.equal(records.delete(a, true)?.value, 0);
    assert.equal(records.get(a), undefined);
    records.set(a2, record(10));
    records.dropPlace(a);
    assert.equal(records.get(a), undefined, 'the old copy no longer has a record');
    assert.equal(records.get(a2)?.value, 10);
    // In place: the replaced identity keeps its position, as a Map's `set` of a held key does.
    assert.deepEqual([...records.values()].map((r) => r.scanned), [a2, b, c]);
    assert.equal(records.size, 3);
  });

  test('a place no copy took is dropped; deleting another copy of the identity does nothing', () => {
    const records = new CopyRecords<Record>();
    const [a, b] = [copy(1, 1), copy(2, 1)];
    records.set(a, record(1));
    records.set(b, record(2));
    records.delete(a, true);
    assert.deepEqual([...records.values()].map((r) => r.value), [2], 'a kept place is no record');
    assert.equal(records.size, 2);
    records.dropPlace(a);
    assert.equal(records.size, 1);
    // Replaced twice before the records were brought up to date (b → b2 → b3): b2 never had a record.
    const [b2, b3] = [copy(2, 2), copy(2, 3)];
    assert.equal(records.delete(b, true)?.value, 2);
    assert.equal(records.delete(b2, true), undefined);
    records.set(b3, record(3));
    records.dropPlace(b);
    records.dropPlace(b2);
    assert.equal(records.get(b3)?.value, 3, 'the place taken by the newest copy stays');
    assert.equal(records.delete(b2), undefined, 'another copy of the identity does not delete its record');
    assert.equal(records.get(b3)?.value, 3);
  });

  test('copies without an identity are keyed by themselves: two copies of one name are two records', () => {
    const records = new CopyRecords<Record>();
    const [one, two] = [copy(1, 1, false), copy(1, 1, false)];
    records.set(one, record(1));
    records.set(two, record(2));
    assert.equal(records.get(one)?.value, 1);
    assert.equal(records.get(two)?.value, 2);
    assert.equal(records.size, 2);
  });

  test('a churn of updates allocates no new table, where a Map keyed by the copies does', () => {
    // 20,000 entries: a table of 32,768 slots, about 900 KB, in large-object space. Its deleted
    // entries fill the free slots after about 12,800 updates; 40,000 updates re-allocate it three times.
    const N = 20_000;
    const UPDATES = 40_000;
    const largeUsed = (): number =>
      getHeapSpaceStatistics().filter((s) => s.space_name === 'large_object_space' || s.space_name === 'new_large_object_space').reduce((sum, s) => sum + s.space_used_size, 0);
    /**
     * The most the large-object space rose over its level before `N` copies were replaced
     * `UPDATES` times by `replace`, looked at every 1,000 updates: a full collection in between
     * frees a garbage table, so the peak is what tells.
     */
    function peakRise(withIdentity: boolean, replace: (old: ScannedObject, next: ScannedObject) => void, held: ScannedObject[]): number {
      const before = largeUsed();
      let peak = 0;
      for (let u = 0; u < UPDATES; u++) {
        const i = u % N;
        const next = copy(i, u + 1, withIdentity);
        replace(held[i]!, next);
        held[i] = next;
        if (u % 1_000 === 999) peak = Math.max(peak, largeUsed() - before);
      }
      return peak;
    }

    const records = new CopyRecords<Record>();
    const recordsHeld = Array.from({ length: N }, (_, i) => copy(i, 0));
    for (const [i, scanned] of recordsHeld.entries()) records.set(scanned, record(i));
    // As a baseline's update does: the old copy's record dropped keeping its place, the new one set.
    const inPlace = peakRise(true, (old, next) => {
      const was = records.delete(old, true)!;
      records.set(next, record(was.value));
      records.dropPlace(old);
    }, recordsHeld);

    const plain = new Map<ScannedObject, Record>();
    const plainHeld = Array.from({ length: N }, (_, i) => copy(i, 0, false));
    for (const [i, scanned] of plainHeld.entries()) plain.set(scanned, record(i));
    const keyedByCopy = peakRise(false, (old, next) => {
      const was = plain.get(old)!;
      plain.delete(old);
      plain.set(next, record(was.value));
    }, plainHeld);

    assert.equal(records.size, N);
    assert.equal(plain.size, N);
    assert.ok(keyedByCopy >= 800 * 1024, `the control: a Map keyed by the copies re-allocates its table (rose ${(keyedByCopy / 1024).toFixed(0)} KB)`);
    assert.ok(inPlace < 128 * 1024, `records replaced in place allocate no large object (rose ${(inPlace / 1024).toFixed(0)} KB)`);
  });
});
