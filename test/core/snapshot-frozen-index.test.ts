// A snapshot keeps no per-object indexes while it only grows (a cluster listing), answers the
// queries of such a version from a FrozenIndex, and makes its index live at a replacement, a delete,
// a file's copy or a change after a query. Every answer must be the one a snapshot whose index was
// live from its first change gives: that one is the reference here (a query on the empty snapshot
// makes its index live before anything is stored).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { copiesIn, copyIn, putCopy, type HeldCopies } from '../../src/core/held-copies.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import type { K8sObject, Origin, ScannedObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';

const KINDS = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'example.com/v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Namespace' },
];
// `a`/`b\0c` and `a\0b`/`c` share an identity: a replacement under two names.
const NAMESPACES = ['a', 'a\u0000b', 'other', undefined];
const NAMES = ['x', 'y', 'b\u0000c', 'c'];

interface Op {
  readonly type: 'cluster' | 'file' | 'unnamed' | 'delete' | 'query';
  readonly kind: number;
  readonly namespace: number;
  readonly name: number;
  readonly file: number;
}

const op = fc.record({
  type: fc.constantFrom<Op['type']>('cluster', 'cluster', 'cluster', 'file', 'unnamed', 'delete', 'query'),
  kind: fc.nat(KINDS.length - 1),
  namespace: fc.nat(NAMESPACES.length - 1),
  name: fc.nat(NAMES.length - 1),
  file: fc.nat(1),
});

function objectOf(o: Op, serial: number): K8sObject {
  const { apiVersion, kind } = KINDS[o.kind]!;
  const namespace = NAMESPACES[o.namespace];
  const metadata: Record<string, unknown> = { serial };
  if (o.type !== 'unnamed') metadata.name = NAMES[o.name];
  if (namespace !== undefined) metadata.namespace = namespace;
  return { apiVersion, kind, metadata } as K8sObject;
}

const originOf = (o: Op): Origin => (o.type === 'file' ? { kind: 'file', reader: 'file', file: `f${o.file}.yaml`, documentIndex: 0 } : { kind: 'cluster', context: 'test' });

const serials = (list: readonly ScannedObject[]): unknown[] => list.map((s) => (s.object.metadata as { serial: number }).serial);

/** Every answer of both snapshots, compared; `objects`: every object either was given. */
function assertSameAnswers(subject: Snapshot, reference: Snapshot, objects: readonly K8sObject[]): void {
  assert.equal(subject.size, reference.size, 'size');
  assert.deepEqual(serials(subject.all), serials(reference.all), 'all');
  for (const { apiVersion, kind } of KINDS) {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    assert.deepEqual(serials(subject.ofKind(kind)), serials(reference.ofKind(kind)), `ofKind ${kind}`);
    assert.deepEqual(serials(subject.ofKind(kind, group)), serials(reference.ofKind(kind, group)), `ofKind ${kind} ${group}`);
    for (const namespace of NAMESPACES) {
      for (const name of [...NAMES, '<unnamed>']) {
        for (const apiGroup of [undefined, group]) {
          const [s, r] = [subject.get(kind, namespace, name, apiGroup), reference.get(kind, namespace, name, apiGroup)];
          assert.equal(s, r, `get ${kind} ${namespace} ${name} ${apiGroup}`);
        }
      }
    }
  }
  for (const namespace of NAMESPACES) assert.deepEqual(serials(subject.inNamespace(namespace)), serials(reference.inNamespace(namespace)), `inNamespace ${namespace}`);
  assert.deepEqual(subject.namespaces(), reference.namespaces(), 'namespaces');
  for (const object of objects) {
    assert.equal(subject.originOf(object), reference.originOf(object), 'originOf');
    assert.deepEqual(serials(subject.copiesOf(object)), serials(reference.copiesOf(object)), 'copiesOf');
  }
}

describe('a snapshot indexed only when asked', () => {
  test('answers as a snapshot indexed at every change, whatever the changes and wherever the queries', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const subject = newSnapshot();
        const reference = newSnapshot();
        reference.namespaces();
        const objects: K8sObject[] = [];
        ops.forEach((o, serial) => {
          if (o.type === 'query') {
            assertSameAnswers(subject, reference, objects);
            return;
          }
          const object = objectOf(o, serial);
          objects.push(object);
          if (o.type === 'delete') {
            subject.delete(object);
            reference.delete(object);
            return;
          }
          const copy: ScannedObject = { object, origin: originOf(o) };
          assert.equal(subject.upsert(copy), reference.upsert(copy), 'the copy replaced');
        });
        assertSameAnswers(subject, reference, objects);
      }),
      { numRuns: 400 },
    );
  });

  test('an unnamed object stored twice is one object and two copies, as in a live index', () => {
    const subject = newSnapshot();
    const reference = newSnapshot();
    reference.namespaces();
    const object: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a' } };
    const copies: ScannedObject[] = [1, 2].map(() => ({ object, origin: { kind: 'cluster', context: 'test' } }));
    for (const snapshot of [subject, reference]) for (const copy of copies) snapshot.upsert(copy);
    assert.equal(subject.size, 1);
    assert.equal(subject.all.length, 2);
    assertSameAnswers(subject, reference, [object]);
  });

  test('a listing that only grows builds no live index; its first change after a query does', () => {
    const snapshot = newSnapshot();
    const live = (): unknown => (snapshot as unknown as { live: unknown }).live;
    const pods = Array.from({ length: 100 }, (_, i): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: `n${i % 7}` } }));
    for (const object of pods) snapshot.upsert({ object, origin: { kind: 'cluster', context: 'test' } });
    assert.equal(live(), undefined, 'no index kept per upsert while the snapshot only grows');
    assert.equal(snapshot.ofKind('Pod').length, 100);
    assert.equal(snapshot.get('Pod', 'n3', 'p3')?.object, pods[3]);
    assert.equal(live(), undefined, 'queries of that version answered without a live index');
    snapshot.upsert({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'n0' } }, origin: { kind: 'cluster', context: 'test' } });
    assert.notEqual(live(), undefined, 'changed after a query: indexed per change from now on');
    assert.equal(snapshot.get('Pod', 'n0', 'late')?.object.metadata?.name, 'late');
  });
});

describe('held copies', () => {
  const cluster = (name: string): ScannedObject => ({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name } }, origin: { kind: 'cluster', context: 'c' } });
  const file = (name: string, path: string): ScannedObject => ({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name } }, origin: { kind: 'file', reader: 'file', file: path, documentIndex: 0 } });

  test('one copy is held as itself, found by its slot; a second slot makes a Map in insertion order', () => {
    const entries = new Map<string, HeldCopies>();
    const first = file('a', 'one.yaml');
    putCopy(entries, 'id', 'one.yaml\u00000\u0000', first);
    assert.equal(entries.get('id'), first);
    assert.equal(copyIn(entries.get('id'), 'one.yaml\u00000\u0000'), first);
    assert.equal(copyIn(entries.get('id'), ''), undefined);
    const second = cluster('a');
    putCopy(entries, 'id', '', second);
    assert.ok(entries.get('id') instanceof Map);
    assert.deepEqual(copiesIn(entries.get('id')!), [first, second]);
    const replacement = file('a', 'one.yaml');
    putCopy(entries, 'id', 'one.yaml\u00000\u0000', replacement);
    assert.deepEqual(copiesIn(entries.get('id')!), [replacement, second], 'replaced in place');
  });

  test('replacing the one copy keeps it held as itself', () => {
    const entries = new Map<string, HeldCopies>();
    putCopy(entries, 'id', '', cluster('a'));
    const again = cluster('a');
    putCopy(entries, 'id', '', again);
    assert.equal(entries.get('id'), again);
  });
});
