// ListHolders: which lists hold an identity, kept as slot numbers for the one-holder case. Releasing
// must put back another list's copy (the latest holder's), never a released one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { identityOf } from '../../src/core/snapshot.js';
import type { K8sObject } from '../../src/core/types.js';
import { ListHolders } from '../../src/sources/cluster/list-holders.js';

const pod = (name: string, from: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: { from } });

test('one holder: its own release deletes, another list is told the holder\'s copy', () => {
  const holders = new ListHolders();
  const a = pod('a', 'list 0');
  holders.hold('a', 0, a);
  assert.equal(holders.release('a', 1), a);
  assert.equal(holders.release('a', 0), undefined);
  // Gone: released again by anyone, nothing to put back.
  assert.equal(holders.release('a', 1), undefined);
});

test('the same list holding again replaces its copy', () => {
  const holders = new ListHolders();
  holders.hold('a', 0, pod('a', 'first'));
  const again = pod('a', 'second');
  holders.hold('a', 0, again);
  assert.equal(holders.release('a', 1), again);
});

test('two lists: releasing one puts back the other\'s copy, the latest holder last', () => {
  const holders = new ListHolders();
  const zero = pod('a', 'list 0');
  const one = pod('a', 'list 1');
  const two = pod('a', 'list 2');
  holders.hold('a', 0, zero);
  holders.hold('a', 1, one);
  holders.hold('a', 2, two);
  assert.equal(holders.release('a', 2), one);
  assert.equal(holders.release('a', 1), zero);
  assert.equal(holders.release('a', 0), undefined);
  assert.equal(holders.release('a', 0), undefined);
});

test('identities keep their own slots', () => {
  const holders = new ListHolders();
  const objects = Array.from({ length: 50 }, (_, i) => pod(`p${i}`, `list ${i % 3}`));
  objects.forEach((object, i) => holders.hold(`p${i}`, i % 3, object));
  // A second holder for some: their single slot becomes a Map; the others are untouched.
  const copies = objects.map((_, i) => pod(`p${i}`, 'list 9'));
  for (let i = 0; i < 50; i += 5) holders.hold(`p${i}`, 9, copies[i]!);
  for (let i = 0; i < 50; i++) {
    assert.equal(holders.release(`p${i}`, 7), i % 5 === 0 ? copies[i] : objects[i], `p${i} asked by a list that never held it`);
  }
  for (let i = 0; i < 50; i += 5) assert.equal(holders.release(`p${i}`, 9), objects[i], `p${i} after list 9 let go`);
  for (let i = 0; i < 50; i++) assert.equal(holders.release(`p${i}`, i % 3), undefined, `p${i} after its list let go`);
});

test('pages held whole answer every release as holding their objects one by one does', () => {
  fc.assert(
    fc.property(
      // Pages of (list, names), unnamed objects among them, then releases of (list, name); holds may follow releases.
      fc.array(
        fc.oneof(
          fc.record({ hold: fc.nat(3), names: fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }), { maxLength: 4 }) }),
          fc.record({ release: fc.nat(3), name: fc.constantFrom('a', 'b', 'c', 'd') }),
        ),
        { maxLength: 30 },
      ),
      (steps) => {
        const whole = new ListHolders();
        const oneByOne = new ListHolders();
        let serial = 0;
        for (const step of steps) {
          if ('hold' in step) {
            const objects = step.names.map((name): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { ...(name === undefined ? {} : { name }), namespace: 'ns' }, spec: { serial: serial++ } }));
            whole.holdAll(step.hold, objects);
            for (const object of objects) {
              const identity = identityOf(object);
              if (identity !== undefined) oneByOne.hold(identity, step.hold, object);
            }
          } else {
            const identity = identityOf(pod(step.name, ''))!;
            assert.equal(whole.release(identity, step.release), oneByOne.release(identity, step.release));
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});
