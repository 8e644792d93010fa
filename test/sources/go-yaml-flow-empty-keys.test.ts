import assert from 'node:assert/strict';
import { cpuUsage } from 'node:process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { applyFlowEmptyKeys, hasEmptyFlowKey } from '../../src/sources/go-yaml-flow-empty-keys.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

// `?` with an empty key in a flow sequence (issue 17; KFGUARD_FUZZ_SEED=649503). Outcomes checked
// with kubectl: refused is go-yaml's syntax error, whether or not a later repeat replaces the value.
const REFUSED = ['[?, Null]', '[? : x]', '[?]', '[? ]', '[x, ?, y]', '[x, ?]', '[?, ?]', '[[?], x]', '[: 1]', '[x, : 1]'];
// A pair with a null key: refused by sigs.k8s.io/yaml ("unsupported map key") unless replaced.
const NULL_KEY = ['[?, ]', '[? ,]', '[?, : v]', '[?, : v, x]', '[? :]', '[? :, x]', '[?, , x]', '[? # c\n    , ]', '[? :\n    ]', '[? : ]'];
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q}\n';

/** Each body plain and replaced by a later repeat of its key, in a block mapping and in a flow one. */
function variants(body: string): { text: string; replaced: boolean }[] {
  return [
    { text: `${HEAD}x: ${body}\n`, replaced: false },
    { text: `${HEAD}x: {k: ${body}}\n`, replaced: false },
    { text: `${HEAD}data:\n  a: ${body}\n  a: replaced\n`, replaced: true },
    { text: `${HEAD}x: {a: ${body}, a: replaced}\n`, replaced: true },
  ];
}

function outcome(text: string): string {
  const { documents, errors } = parseYamlStream(text);
  return errors.length > 0 || documents.some((d) => d.refused) ? `refused: ${errors.map((e) => e.message).join('; ')}` : 'reads';
}

describe('`?` with an empty key in a flow sequence, as go-yaml reads it', () => {
  test('go-yaml syntax errors are refused, replaced or not', () => {
    for (const body of REFUSED) {
      for (const { text } of variants(body)) {
        const got = outcome(text);
        assert.match(got, /did not find expected/, `${JSON.stringify(text)}: ${got}`);
      }
    }
  });

  test('a null-key pair is read when replaced and refused as a null key when left', () => {
    for (const body of NULL_KEY) {
      for (const { text, replaced } of variants(body)) {
        const got = outcome(text);
        if (replaced) assert.equal(got, 'reads', JSON.stringify(text));
        else assert.match(got, /unsupported map key of type null/, JSON.stringify(text));
      }
    }
  });

  test('both exact paths agree: the pair holds a null key, never the string "null"', () => {
    for (const flowFastPath of [true, false]) {
      const reading = decodeLikeKubectl('a: [?, : v, x]\na: r\n', { flowFastPath });
      assert.deepEqual(reading.value, { a: 'r' });
      assert.deepEqual(reading.duplicates[0]?.first, [{}, 'x'], `flowFastPath ${flowFastPath}`);
      assert.throws(() => decodeLikeKubectl('x: [? ,]\n', { flowFastPath }), /unsupported map key of type null/);
    }
  });

  test('the skipped token becomes a blank, so nothing moves', () => {
    assert.equal(applyFlowEmptyKeys('x: [?, : v]\n').text, 'x: [?  : v]\n');
    assert.equal(applyFlowEmptyKeys('x: [? # c\n  , ]\n').text, 'x: [? # c\n    ]\n');
    // Flow mappings skip nothing; `? a` is an ordinary explicit key.
    assert.equal(applyFlowEmptyKeys('x: {?, a: 1}\n').text, 'x: {?, a: 1}\n');
    assert.equal(applyFlowEmptyKeys('x: [? a, ? : b]\n').refusal?.line, 1);
    assert.equal(applyFlowEmptyKeys('x: [? a : b]\n').text, 'x: [? a : b]\n');
  });

  test('kubectl agrees on every case', requiresKubectl(), () => {
    const texts = [...REFUSED, ...NULL_KEY, '[? a]', '[? a : b]', '{?, a: 1}'].flatMap((body) => variants(body).map((v) => v.text));
    const oracle = kubectlDecodeAll(texts);
    const problems = texts.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
    assert.deepEqual(problems, []);
  });
});

describe('the pre-check for such keys', () => {
  // The regular expression it replaces, with each comment running to its line's end (go-yaml's
  // scanner skips a `#` comment whole; the old expression also matched a `,` inside one, which only
  // sent more text to the exact reader): the same question, asked in quadratic time on `#?` lines.
  const SPEC = /\?[ \t\r]*(?:#[^\n]*(?![^\n]))?(?:\n[ \t\r]*(?:#[^\n]*(?![^\n]))?)*[,:\]]/;

  test('answers as the plain regular expression does', () => {
    const text = fc.array(fc.constantFrom('?', '#', ',', ':', ']', ' ', '\t', '\r', '\n', 'a', '['), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (t) => hasEmptyFlowKey(t) === SPEC.test(t)), { numRuns: 5000 });
    for (const t of ['? ,', '?\n# c\n  :', '#?\n#?\n]', '? a ,', '?', '? # , \n x']) assert.equal(hasEmptyFlowKey(t), SPEC.test(t), JSON.stringify(t));
  });

  test('grows linearly on comment lines that each hold a `?` (the expression took 1.1 s on 16,000 of them)', () => {
    const cpuOf = (lines: number): number => {
      // Comment lines holding a `?`, then one line of `?#` pairs: every shape a cache must carry.
      const text = `a: 1\n${'#?\n'.repeat(lines)}b: 2\n${'?#'.repeat(lines)}\n`;
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const start = cpuUsage();
        assert.equal(hasEmptyFlowKey(text), false);
        const used = cpuUsage(start);
        best = Math.min(best, used.user + used.system);
      }
      return Math.max(best, 1);
    };
    cpuOf(1000);
    const small = cpuOf(20_000);
    const large = cpuOf(320_000);
    // 16 times the input: linear work is about 16 times the time; the expression was 256 times.
    assert.ok(large / small < 64, `${small} µs for 20,000 lines, ${large} µs for 320,000`);
  });
});
