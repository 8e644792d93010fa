import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { undeclaredHandleRefusal } from '../../src/sources/go-yaml-undeclared-handles.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * The pre-parse refusal of undeclared named handles (handleflow17, go-yaml-undeclared-handles.ts):
 * every document it refuses, kubectl refuses, and kfguard refuses or reads what kubectl does.
 */
const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';

const ENTRIES: readonly ((k: string) => string)[] = [
  (k) => `  ${k}: !e!s x\n`,
  (k) => `  !e!s ${k}: x\n`,
  (k) => `  ${k}: [a, !e!s x]\n`,
  (k) => `  ${k}: [!e!s,a]\n`,
  (k) => `  ${k}: [a, !e!s]\n`,
  (k) => `  ${k}: {a: !f!u x}\n`,
  (k) => `  ${k}: "a !e!s"\n`,
  (k) => `  ${k}: 'b !e!s'\n`,
  (k) => `  ${k}: a !e!s b\n`,
  (k) => `  ${k}: x # !e!s y\n`,
  (k) => `  ${k}: |\n    !e!s y\n`,
  (k) => `  ${k}: !!e!s x\n`,
  (k) => `  ${k}: [!!e!s a]\n`,
  (k) => `  ${k}: !!a!b {}\n`,
  (k) => `  ${k}: !e! x\n`,
  (k) => `  ${k}: !<tag:x> y\n`,
  (k) => `  ${k}: !<!e!s> y\n`,
  (k) => `  ${k}: !foo x\n`,
  (k) => `  ${k}: [a, b\n`,
  (k) => `  ${k}: x\n`,
  (k) => `  ${k}: b!e!s\n`,
];

test('generated documents: a pre-parse refusal is kubectl\'s, and kfguard refuses or reads what kubectl does', requiresKubectl(), () => {
  const docs = fc.sample(fc.array(fc.nat(ENTRIES.length - 1), { minLength: 1, maxLength: 4 }), { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 120), seed: 17 });
  const texts = [...new Set(docs.map((picks) => head + picks.map((p, i) => ENTRIES[p]!(`k${i}`)).join('')))];
  const oracle = kubectlDecodeAll(texts, {}, 1);
  let prechecked = 0;
  texts.forEach((text, i) => {
    if (undeclaredHandleRefusal(text) !== undefined) {
      prechecked++;
      assert.ok(oracle[i]!.error !== undefined, `refused before the parse, read by kubectl:\n${text}`);
    }
    assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text);
  });
  assert.ok(prechecked > texts.length / 5, `only ${prechecked} of ${texts.length} refused before the parse`);
});

test('a handle after `...` is never reached by go-yaml: left to the full reader, which reads the first document', () => {
  const text = `${head}  a: x\n...\nb: !e!s y\n`;
  assert.equal(undeclaredHandleRefusal(text), undefined);
  assert.ok(decodeLikeKubectl(text));
});

test('a flow sequence of undeclared handles is refused without the `yaml` parser, with the full reader\'s message', () => {
  const text = `${head}  a: [${Array.from({ length: 2000 }, () => '!e!s x').join(', ')}]\n`;
  const before = yamlParseCount();
  assert.throws(() => decodeLikeKubectl(text), /^.*Could not resolve tag: !e!s/);
  assert.equal(yamlParseCount(), before);
});
