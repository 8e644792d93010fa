import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLean } from '../../src/sources/go-yaml-lean.js';
import { kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Null keys as kubectl treats them: go-yaml v2 keeps a null key, a repeated key may replace the
 * value holding it, and sigs.k8s.io/yaml refuses one only if it is left in the result
 * ("unsupported map key of type: <nil>"). A key written with nothing at all and no `?` or
 * properties is a syntax error for go-yaml ("did not find expected node content"), refused at
 * once. Each expectation below was checked against kubectl v1 (/usr/bin/kubectl) on 2026-12-05,
 * and the last test checks them again wherever kubectl is installed.
 */

const HEAD = 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\n';

/** [body, kubectl reads the object]. */
const CASES: readonly (readonly [string, boolean])[] = [
  // Replaced by a repeated key: read.
  ['x: {a: {~: 1}, "a": 2}', true],
  ['x:\n  a:\n    ~: 1\n  a: 2', true],
  ['x: {a: {null: 1}, a: 2}', true],
  ['x: {a: {~: 1, null: 2}, a: 2}', true],
  ['x:\n  a:\n    null: 1\n    ~: 2\n  a: 2', true],
  ['x: {a: {? : 1}, a: 1}', true],
  ['x:\n  a:\n    ? \n    : 1\n  a: 2', true],
  ['x: {a: {!!null : 1}, a: 1}', true],
  ['x: {a: {&q : 1}, a: 1}', true],
  ['x: {a: [{~: 1}], a: 2}', true],
  ['x:\n  a:\n    - ~: 1\n  a: 2', true],
  ['x: {a: [~: 1], a: 3}', true],
  ['x: {a: [? ~ : 1], a: 1}', true],
  ['x: {a: &m {~: 1}, a: 2}', true],
  ['y: &m {~: 1}\ny: 2\nx: {a: *m, a: 3}', true],
  ['x: {a: {<<: {~: 1}}, a: 2}', true],
  ['x: {a: {<<: [{b: 1}, {~: 1}]}, a: 5}', true],
  ['y: &m {~: 1}\ny: 2\nx:\n  a:\n    <<: *m\n  a: 1', true],
  ['y: &m\n  ~: 1\ny: 2\nx: {a: {<<: *m}, a: 1}', true],
  ['x: {a: {~: 1, b: 2, b: 3}, a: 1}', true],
  // Left in the result, directly, in a list, through an alias or a merge: refused.
  ['x: {a: {~: 1}}', false],
  ['x:\n  a:\n    ~: 1', false],
  ['x: {a: {~: 1, null: 2}}', false],
  ['x: [{~: 1}]', false],
  ['x: [~: 1]', false],
  ['x:\n  - ~: 1', false],
  ['x: {~: {b: 1}}', false],
  ['x: {a: &m {~: 1}, b: *m, a: 2}', false],
  ['x: {a: &m {~: 1}, a: 2, b: *m}', false],
  ['y: &m {~: 1}\nx: {a: *m, a: 2}', false],
  ['y: &m {~: 1}\ny: 2\nx: {a: *m}', false],
  ['x: {a: {<<: {~: 1}}}', false],
  ['x: {a: {<<: [{b: 1}, {~: 1}]}}', false],
  ['y: &m {~: 1}\ny: 2\nx: {<<: *m}', false],
  ['y: &m {~: 1}\ny: 2\nx:\n  <<: [*m]\n  z: 1', false],
  ['y: &m\n  ~: 1\ny: 2\nx: {<<: *m}', false],
  ['x: {a: {~: 1}, a: 2, b: [{~: 3}]}', false],
  // go-yaml's syntax errors, whether or not a repeated key replaces the mapping.
  ['x: {a: {: 1}, a: 1}', false],
  ['x: {a: {b: 1, : 2}, a: 1}', false],
  ['x: {a: [: 1], a: 1}', false],
  ['x:\n  a:\n    : 1\n  a: 2', false],
  ['x: {a: [? : 1], a: 1}', false],
];

const textOf = (body: string): string => `${HEAD}${body}\n`;

function readsOrError(text: string, flowFastPath: boolean): string {
  try {
    decodeLikeKubectl(text, { flowFastPath });
    return 'reads';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('null keys, as kubectl reads them', () => {
  test('a null key refuses the document only if its mapping is left in the result, on both paths', () => {
    for (const [body, reads] of CASES) {
      for (const flowFastPath of [true, false]) {
        const got = readsOrError(textOf(body), flowFastPath);
        if (reads) assert.equal(got, 'reads', `${body} (flowFastPath ${flowFastPath})`);
        else assert.notEqual(got, 'reads', `${body} (flowFastPath ${flowFastPath})`);
      }
    }
  });

  test('a null key left in the result is refused with sigs.k8s.io/yaml\'s reason', () => {
    for (const body of ['x: {a: {~: 1}}', 'x:\n  - ~: 1', 'y: &m {~: 1}\ny: 2\nx: {<<: *m}', 'x: {a: &m {~: 1}, a: 2, b: *m}']) {
      for (const flowFastPath of [true, false]) assert.equal(readsOrError(textOf(body), flowFastPath), 'unsupported map key of type null', body);
    }
  });

  test('the mapping that replaces one with a null key is read as written', () => {
    const reading = decodeLikeKubectl(textOf('x: {a: {~: 1, b: 2}, a: {c: 3}}'));
    assert.deepEqual((reading.value as Record<string, unknown>).x, { a: { c: 3 } });
  });

  test('a go-yaml decoding error before a null key is the one reported, as go-yaml reports it first', () => {
    for (const flowFastPath of [true, false]) {
      assert.equal(readsOrError(textOf('x: {a: {~: 1, <<: 5}}'), flowFastPath), 'map merge requires map or sequence of maps as the value');
    }
  });

  test('the lean path (a YAML 1.1 boolean beside them) reads a case only as the full reader does', () => {
    // Found merging the lean path's flow collections with deferred null keys: the lean path read
    // `spec: [{? : 1}]` without the check that refuses a null key left in the result.
    for (const [body, reads] of CASES) {
      const text = `${HEAD}flag: yes\n${body}\n`;
      const lean = readLean(text);
      if (lean === undefined) continue;
      assert.ok(reads, `the lean path read ${body}, which kubectl refuses`);
      assert.deepEqual(lean.value, decodeLikeKubectl(text).value, body);
    }
  });

  test('every case agrees with kubectl', requiresKubectl(), () => {
    const oracle = kubectlDecodeAll(CASES.map(([body]) => textOf(body)));
    CASES.forEach(([body, reads], i) => {
      assert.equal(oracle[i]!.objects.length === 1 && oracle[i]!.error === undefined, reads, `kubectl on ${body}: ${oracle[i]!.error ?? 'reads'}`);
    });
  });
});
