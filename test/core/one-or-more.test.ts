import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deleteIn, getOf, pairsOf, setIn, valuesOf, type OneOrMore } from '../../src/core/one-or-more.js';

describe('one value without a Map, more with one', () => {
  test('a single value is a pair; a second makes a Map in insertion order; replacing keeps the place', () => {
    const outer = new Map<string, OneOrMore<number>>();
    setIn(outer, 'a', 'x', 1);
    assert.ok(Array.isArray(outer.get('a')));
    setIn(outer, 'a', 'x', 2);
    assert.deepEqual(valuesOf(outer.get('a')!), [2]);
    setIn(outer, 'a', 'y', 3);
    assert.ok(outer.get('a') instanceof Map);
    setIn(outer, 'a', 'x', 4);
    assert.deepEqual(pairsOf(outer.get('a')!), [['x', 4], ['y', 3]]);
    assert.equal(getOf(outer.get('a'), 'y'), 3);
    assert.equal(getOf(outer.get('a'), 'z'), undefined);
    assert.equal(getOf(outer.get('b'), 'x'), undefined);
  });

  test('the outer entry goes with its last value, and only then', () => {
    const outer = new Map<string, OneOrMore<number>>();
    setIn(outer, 'a', 'x', 1);
    deleteIn(outer, 'a', 'other');
    assert.equal(getOf(outer.get('a'), 'x'), 1);
    deleteIn(outer, 'a', 'x');
    assert.equal(outer.has('a'), false);
    setIn(outer, 'b', 'x', 1);
    setIn(outer, 'b', 'y', 2);
    deleteIn(outer, 'b', 'x');
    assert.deepEqual(valuesOf(outer.get('b')!), [2]);
    deleteIn(outer, 'b', 'y');
    assert.equal(outer.has('b'), false);
  });
});
