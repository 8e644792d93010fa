import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Where the exact reader and kubectl still part ways: found by running the go-yaml-flow-read
 * properties with seeds other than their fixed ones (h-fuzzflake, 2026-12-05; seeds 851232491 and
 * -1271678554, shrunk). Marked `todo` so each runs and reports without failing the suite until the
 * reader is fixed; the fix removes the `todo`. Neither hides a document: kfguard reports an error
 * for the file where kubectl would apply it, or refuses it with another message.
 */

const HEAD = 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\n';

function errorOf(text: string, flowFastPath: boolean): string | undefined {
  try {
    decodeLikeKubectl(text, { flowFastPath });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function readingOf(text: string, flowFastPath: boolean): unknown {
  try {
    return (decodeLikeKubectl(text, { flowFastPath }).value as { x?: unknown }).x;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

describe('known gaps of the exact reader', () => {
  // go-yaml checks that a merge value is a mapping before decoding a tagged scalar inside it; the
  // flow reader decodes the scalar first. The yaml-only path already answers as kubectl does.
  test('a merge of a badly tagged scalar is refused with go-yaml\'s merge error on the flow path too', () => {
    for (const value of ['{<<: [!!int a]}', '[[{<<: !!binary "a!"}]]', '{<<: !!int a}', '{<<: [{b: 1}, !!float x]}', '{<<: [!!int ]}', '{<<: !!int }', '{<<: [[!!int a]]}', '{<<: [{b: 1}, [[!!str 1]]]}', '{<<: [{b: 1}, [{c: !!int z}]]}', '{<<: [[c: !!int z]]}']) {
      const text = `${HEAD}x: ${value}\n`;
      assert.equal(errorOf(text, false), 'map merge requires map or sequence of maps as the value', value);
      assert.equal(errorOf(text, true), errorOf(text, false), value);
    }
  });

  // go-yaml's scanner takes `,`, `[` and `]` into a tag's name (`[!, 1]` is ["1"], tagged `!,`;
  // `[!]` and `[!,1]` never close, `{a: !}` is refused: `}` ends the tag where no blank does). Found
  // while writing kubectl-fuzz-regressions.test.ts; read as go-yaml reads them since tags17
  // (go-yaml-tag-uri.ts), on the flow reader and the `yaml` path alike.
  test('a bare `!` glued to a flow indicator is read as go-yaml reads it', requiresKubectl(), () => {
    const texts = [`${HEAD}x: [!, 1]\n`, `${HEAD}x: [!]\n`, `${HEAD}x: {a: !}\n`, `${HEAD}x: [!,1]\n`, `${HEAD}x: {a: [!foo, 1]}\n`, `${HEAD}x: [![x] y, !a]b c]\n`, `${HEAD}x:\n  a: !foo,b x\n  b: !!str, y\n  c: "q !,r" # !,s\n`, `${HEAD}x:\n- !a,b\n- z\n`];
    const oracle = kubectlDecodeAll(texts);
    texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
    // Both paths of the exact reader agree: the flow reader and the `yaml` parser.
    for (const text of texts) assert.deepEqual(readingOf(text, true), readingOf(text, false), text);
    assert.deepEqual(readingOf(texts[0]!, true), ['1']);
    assert.match(String(readingOf(texts[2]!, true)), /did not find expected whitespace or line break/);
  });

  // sigs.k8s.io/yaml refuses a null or collection key when it converts go-yaml's result to JSON,
  // after go-yaml let a repeated key replace the value that held it; kfguard refuses while reading.
  test('a null key inside a value a repeated key replaces is no error, as kubectl reads it', requiresKubectl(), () => {
    const texts = [`${HEAD}x: {a: {~: 1}, "a": 2}\n`, `${HEAD}x:\n  a:\n    ~: 1\n  a: 2\n`];
    const oracle = kubectlDecodeAll(texts);
    texts.forEach((text, i) => {
      assert.equal(oracle[i]?.objects.length, 1, 'kubectl reads the object');
      assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text);
    });
  });

  // The `yaml` package ends a block scalar with an indentation indicator at a whitespace-only line
  // no deeper than its first line, where go-yaml (and js-yaml) keep that line as content past the
  // indicator's indentation: `|2` then `   #x`, a blank line and `   ` is " #x\n\n \n" for kubectl, " #x\n"
  // for the full reader. The lean path reads it as kubectl does; only a document the full reader
  // reads whole (a trigger such as an alias key) differs, in trailing whitespace. Found by the
  // syntax-mask differential (seed -1980322603), 2026-12-05.
  test('a `|2` body ending in a whitespace-only line deeper than the indicator keeps it on the full reader', { todo: 'yaml package block scalar end; the lean path is right' }, () => {
    const text = `${HEAD}y: &k kk\n*k : 1\nx: |2\n   #x\n\n   \n`;
    assert.equal(readingOf(text, false), ' #x\n\n \n');
  });
});
