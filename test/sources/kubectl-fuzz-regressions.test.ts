import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * Texts the kubectl differential fuzz (test/differential, KFGUARD_FUZZ_SEED=100000, 2,000 runs)
 * found read otherwise by the scan than by kubectl, shrunk by hand. The expected values are
 * kubectl's readings; where kubectl is installed, it is asked as well.
 */

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

/** Each text's `x`, and kubectl's reading of it. */
const CASES: readonly (readonly [string, unknown])[] = [
  // js-yaml takes the outer entry after an empty nested one into the inner sequence (seeds 101080, 101085, 101152).
  ['x:\n- -\n- 1\n', [[null], 1]],
  ['x:\n  - -1.5e-3\n  - -\n  - ~\n', [-0.0015, [null], null]],
  ['x:\n  - - a\n    -   # empty\n\n  - off\n', [['a', null], false]],
  ['x:\n- - -\n- 1\n', [[[null]], 1]],
  // Nested deeper, the entry is the inner sequence's: read alike before and after.
  ['x:\n- -\n  - 1\n', [[null, 1]]],
  // The bare non-specific tag with no value is "" in go-yaml, null in js-yaml (seed 101451).
  ['x:\n  c: ! \n', { c: '' }],
  ['x:\n  c: !\n  d: [! ]\n', { c: '', d: [''] }],
];

describe('readings the kubectl differential fuzz found apart', () => {
  test('the scan reads each text as kubectl does', () => {
    for (const [body, expected] of CASES) {
      const { documents, errors } = parseYamlStream(`${HEAD}${body}`);
      assert.deepEqual(errors, [], body);
      assert.deepEqual((documents[0]?.value as { x?: unknown } | undefined)?.x, expected, body);
    }
  });

  test('and kubectl agrees with the expected readings', requiresKubectl(), () => {
    const texts = CASES.map(([body]) => `${HEAD}${body}`);
    const oracle = kubectlDecodeAll(texts);
    texts.forEach((text, i) => {
      assert.deepEqual((oracle[i]?.objects[0] as { x?: unknown } | undefined)?.x, CASES[i]?.[1], text);
      assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text);
    });
  });
});
