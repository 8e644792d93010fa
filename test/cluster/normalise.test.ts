// toFileForm: list items in file form. With `owned` (a page parsed for the list alone) the metadata
// is kept in place when managedFields is absent or last, and copied otherwise; the result is the
// same object by value and key order either way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFileForm } from '../../src/sources/cluster/normalise.js';

const parsed = (metadata: string): unknown => JSON.parse(`{"metadata":${metadata},"spec":{"x":1},"status":{"phase":"Running"}}`);
const shapes = {
  last: '{"name":"a","namespace":"n","uid":"u","labels":{"k":"v"},"managedFields":[{"manager":"kubectl"}]}',
  middle: '{"name":"a","managedFields":[{"manager":"kubectl"}],"namespace":"n"}',
  absent: '{"name":"a","namespace":"n"}',
  protoKey: '{"name":"a","__proto__":{"x":1},"managedFields":[]}',
  notRecord: '[1,2]',
  integerKey: '{"name":"a","0":"zero","managedFields":[]}',
};

test('owned or not, the same object by value and key order', () => {
  for (const [shape, metadata] of Object.entries(shapes)) {
    const copied = toFileForm(parsed(metadata), 'v1', 'Pod');
    const owned = toFileForm(parsed(metadata), 'v1', 'Pod', true);
    assert.equal(JSON.stringify(owned), JSON.stringify(copied), shape);
    assert.deepEqual(Object.keys(owned.metadata ?? {}), Object.keys(copied.metadata ?? {}), shape);
    assert.equal(Object.hasOwn(owned.metadata ?? {}, 'managedFields'), false, shape);
    assert.deepEqual(Object.keys(owned), ['apiVersion', 'kind', 'metadata', 'spec', 'status'], shape);
  }
});

test('owned: the metadata is kept when managedFields is last or absent, copied when it is not last', () => {
  for (const shape of ['last', 'absent', 'protoKey', 'integerKey'] as const) {
    const item = parsed(shapes[shape]) as { metadata: unknown };
    const raw = item.metadata;
    assert.equal(toFileForm(item, 'v1', 'Pod', true).metadata, raw, shape);
  }
  const item = parsed(shapes.middle) as { metadata: Record<string, unknown> };
  const raw = item.metadata;
  const metadata = toFileForm(item, 'v1', 'Pod', true).metadata;
  assert.notEqual(metadata, raw);
  // Left as it was: a delete of a key not last would have made it a dictionary-mode object.
  assert.deepEqual(Object.keys(raw), ['name', 'managedFields', 'namespace']);
});

test('not owned: the item is never changed', () => {
  const item = parsed(shapes.last) as { metadata: Record<string, unknown> };
  const metadata = toFileForm(item, 'v1', 'Pod').metadata;
  assert.notEqual(metadata, item.metadata);
  assert.ok(Object.hasOwn(item.metadata, 'managedFields'));
});
