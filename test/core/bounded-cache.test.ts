import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BoundedCache } from '../../src/core/bounded-cache.js';

describe('BoundedCache', () => {
  it('evicts the least recently used entry once full', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1); // `a` is now newer than `b`
    cache.set('c', 3);
    assert.equal(cache.has('b'), false);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.size, 2);
  });

  it('overwrites a key without growing', () => {
    const cache = new BoundedCache<string, boolean>(2);
    cache.set('a', true);
    cache.set('a', false);
    assert.equal(cache.size, 1);
    assert.equal(cache.get('a'), false);
  });

  it('keeps a falsy value distinguishable from a miss', () => {
    const cache = new BoundedCache<string, boolean>(1);
    cache.set('k', false);
    assert.equal(cache.get('k'), false);
    assert.equal(cache.get('other'), undefined);
  });

  it('never holds more than its capacity, whatever the key sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (capacity, keys) => {
        const cache = new BoundedCache<number, number>(capacity);
        for (const key of keys) cache.set(key, key * 2);
        assert.ok(cache.size <= capacity);
        // The most recent distinct keys are the ones kept.
        const recent = [...new Set([...keys].reverse())].slice(0, capacity);
        for (const key of recent) assert.equal(cache.get(key), key * 2);
      }),
    );
  });

  it('refuses a capacity that could not hold anything', () => {
    assert.throws(() => new BoundedCache(0), RangeError);
    assert.throws(() => new BoundedCache(1.5), RangeError);
  });
});
