import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecentCache } from '../../src/core/recent-cache.js';

describe('RecentCache', () => {
  it('answers by identity and forgets the entry stored longest ago once full', () => {
    const [a, b, c] = [{}, {}, {}];
    const cache = new RecentCache<object, string>(2);
    cache.set(a, 'a');
    cache.set(b, 'b');
    assert.equal(cache.get(a), 'a');
    assert.equal(cache.get({}), undefined, 'an equal but distinct key is a miss');
    cache.set(c, 'c');
    assert.equal(cache.get(a), undefined);
    assert.equal(cache.get(b), 'b');
    assert.equal(cache.get(c), 'c');
  });

  it('replaces a key\'s own entry instead of taking a second slot', () => {
    const [a, b] = [{}, {}];
    const cache = new RecentCache<object, number>(2);
    cache.set(a, 1);
    cache.set(a, 2);
    cache.set(b, 3);
    assert.equal(cache.get(a), 2);
    assert.equal(cache.get(b), 3);
    cache.clear();
    assert.equal(cache.get(a), undefined);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new RecentCache(0), RangeError);
    assert.throws(() => new RecentCache(1.5), RangeError);
  });

  it('holds exactly the last `capacity` distinct keys set', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 60 }), (capacity, sequence) => {
        const keys = Array.from({ length: 13 }, () => ({}));
        const cache = new RecentCache<object, number>(capacity);
        const order: number[] = [];
        for (const k of sequence) {
          if (!order.includes(k)) {
            order.push(k);
            if (order.length > capacity) order.shift();
          }
          cache.set(keys[k] as object, k);
        }
        for (let k = 0; k < keys.length; k++) assert.equal(cache.get(keys[k] as object), order.includes(k) ? k : undefined);
      }),
    );
  });
});
