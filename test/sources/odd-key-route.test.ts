import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayReadDifferently } from '../../src/sources/exact-route.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * A collection or an empty node as a mapping key: kubectl refuses the document ("invalid map key",
 * "did not find expected node content"), where js-yaml reads `[a]: b` as `a: b` and `{a: 1}: b` as
 * `[object Object]: b`. The lean path left them to the full reader, the fast path did not: the scan
 * read them as objects kubectl never creates (attacktoday's differential fuzz).
 */
const HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: m\n    image: tensorflow/tensorflow:latest-gpu\n    args: ["xmrig -o pool.supportxmr.com:443"]\n';
const BODIES = ['[a]: b\n', '{a: 1}: b\n', '{}: b\n', 'l:\n- {a: 1}: b\n', 'x: {: 1}\n', 'x: [a, {: 1}]\n', '[x] : y\n'];

test('a collection or empty node as a key is refused, as kubectl refuses it', () => {
  for (const body of BODIES) {
    const text = `${HEAD}${body}`;
    const { documents, errors } = parseYamlStream(text);
    assert.ok(errors.length > 0 && documents.every((d) => d.refused), `kfguard reads what kubectl refuses:\n${text}`);
    // Refused, the document's raw text is still searched: the miner stays in view.
    assert.match(JSON.stringify(documents[0]?.value), /xmrig/);
  }
});

test('the same text in quotes, a comment or a block scalar does not route', () => {
  for (const body of ['k: "[a]: b"\n', "k: '{a: 1}: b'\n", '# {: 1}\n', 'k: |\n  [a]: b\n']) assert.equal(mayReadDifferently(`${HEAD}${body}`), false, body);
});

test('kubectl refuses each of them', requiresKubectl(), () => {
  const texts = BODIES.map((body) => `${HEAD}${body}`);
  kubectlDecodeAll(texts, {}, 1).forEach((oracle, i) => {
    assert.ok(oracle.error, `kubectl read ${texts[i]}`);
    assert.deepEqual(compareWithKubectl(texts[i]!, oracle), [], texts[i]);
  });
});
