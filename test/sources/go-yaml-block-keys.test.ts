import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * go-yaml's simple-key rule in block mappings: an implicit key's `:` at most 1024 code points past
 * the key's start (its first property included). The `yaml` package reads longer keys, so the full
 * exact reader read a document kubectl refuses (found by giveup17); it now refuses it with go-yaml's
 * message. kubectl is the oracle.
 */
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
const k = (n: number): string => 'k'.repeat(n);

/** [body, kubectl's message when it refuses]. Each also holds a `!!int` so that only the full reader reads it. */
const CASES: readonly [string, string | undefined][] = [
  [`data:\n  a: !!int 1\n  ${k(1024)}: v\n`, undefined],
  [`data:\n  a: !!int 1\n  ${k(1025)}: v\n`, "could not find expected ':'"],
  [`data:\n  ${k(1025)}: !!int 1\n`, 'mapping values are not allowed in this context'],
  [`data:\n  ${k(1024)}: !!int 1\n`, undefined],
  [`data:\n- ${k(1100)}: !!int 1\n`, 'mapping values are not allowed in this context'],
  [`data:\n- a: !!int 1\n  ${k(1100)}: v\n`, "could not find expected ':'"],
  [`data:\n  a: !!int 1\n  &x ${k(1021)}: v\n`, undefined],
  [`data:\n  a: !!int 1\n  &x ${k(1022)}: v\n`, "could not find expected ':'"],
  [`data:\n  a: !!int 1\n  ${k(1023)} : v\n`, undefined],
  [`data:\n  a: !!int 1\n  ${k(1024)} : v\n`, "could not find expected ':'"],
  [`data:\n  a: !!int 1\n  x${'😀'.repeat(1023)}: v\n`, undefined],
  [`data:\n  a: !!int 1\n  x${'😀'.repeat(1024)}: v\n`, "could not find expected ':'"],
  [`data:\n  a: !!int 1\n  "${k(1022)}": v\n`, undefined],
  [`data:\n  a: !!int 1\n  "${k(1023)}": v\n`, "could not find expected ':'"],
  // An explicit key has no limit.
  [`data:\n  a: !!int 1\n  ? ${k(2000)}\n  : v\n`, undefined],
];

test('a block mapping key past 1024 characters is refused as kubectl refuses it, with its message', requiresKubectl(), () => {
  const texts = CASES.map(([body]) => HEAD + body);
  const oracle = kubectlDecodeAll(texts);
  CASES.forEach(([body, message], i) => {
    const label = body.slice(0, 60);
    assert.equal(oracle[i]!.error !== undefined, message !== undefined, `kubectl on ${label}`);
    if (message) assert.match(oracle[i]!.error!, new RegExp(message), label);
    assert.deepEqual(compareWithKubectl(texts[i]!, oracle[i]!), [], label);
  });
});

test('the full exact reader refuses a block key past 1024 characters with go-yaml\'s message and the key\'s line', () => {
  CASES.forEach(([body, message]) => {
    const text = HEAD + body;
    let error: { message: string; line?: number } | undefined;
    try {
      decodeLikeKubectl(text);
    } catch (caught) {
      error = caught as { message: string; line?: number };
    }
    assert.equal(error !== undefined, message !== undefined, body.slice(0, 60));
    if (!error || !message) return;
    assert.ok(error.message.startsWith(message), error.message);
    // The line of the long key: kubectl names the same one.
    const keyLine = text.split('\n').findIndex((line) => line.length > 1000) + 1;
    assert.equal(error.line, keyLine);
    const { errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, new RegExp(message));
  });
});
