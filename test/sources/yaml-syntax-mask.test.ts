import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { leanReadCount, readLean } from '../../src/sources/go-yaml-lean.js';
import { syntaxOnly } from '../../src/sources/yaml-syntax-mask.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlAvailable, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * The routing checks look at text without quoted scalars, comments and block scalar bodies
 * (yaml-syntax-mask.ts, quoteaware17): a document whose flow indicators sit only inside those reads
 * on the lean path, and reads there as the full exact reader reads it; where the scan is unsure
 * (multi-line quotes, quotes in flow, after a tag, `|2`, tabs) the text is left as it is.
 */

/** Characters the routing checks look for, and quotes and escapes, in every position of a scalar. */
const INSIDE = ['[', ']', '{', '}', ',', ':', '?', '#', '-', '|', '>', ' ', 'x', '"', "'", '\\', ': ', ' #', ',:', '[ :', '? ,'];

function doubleQuoted(parts: readonly string[]): string {
  // Each `\` and `"` escaped, or a `\"` / `\\` written as such.
  return `"${parts.map((p) => p.replace(/[\\"]/g, (c) => `\\${c}`)).join('')}"`;
}

function singleQuoted(parts: readonly string[]): string {
  return `'${parts.map((p) => p.replace(/'/g, "''")).join('')}'`;
}

const content = fc.array(fc.constantFrom(...INSIDE), { maxLength: 6 });

/** A value as it follows `key: ` on an indented line (`ind` is the line's indentation). */
const value = (ind: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: content.map(doubleQuoted) },
    { weight: 4, arbitrary: content.map(singleQuoted) },
    { weight: 2, arbitrary: fc.tuple(content, content).map(([a, b]) => `${doubleQuoted(a)} # ${b.join('')}`) },
    // Multi-line quoted scalars, a quote inside a plain scalar, after a tag or anchor, inside flow: left unmasked.
    { weight: 1, arbitrary: fc.tuple(content, content).map(([a, b]) => `"${a.join('').replace(/[\\"]/g, '')}\n${ind}  ${b.join('').replace(/[\\"]/g, '')}"`) },
    { weight: 1, arbitrary: content.map((a) => `a${doubleQuoted(a)}`) },
    { weight: 1, arbitrary: content.map((a) => `!!str ${doubleQuoted(a)}`) },
    { weight: 1, arbitrary: content.map((a) => `&q ${singleQuoted(a)}`) },
    { weight: 1, arbitrary: content.map((a) => `[a, ${doubleQuoted(a)}, b]`) },
    { weight: 1, arbitrary: content.map((a) => `{k: ${singleQuoted(a)}}`) },
    { weight: 1, arbitrary: content.map((a) => `[a,\n${ind}  ${doubleQuoted(a)}]`) },
    // Block scalars: their bodies hold the same characters, and a `|2` the scan does not follow.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('|', '>-', '|+', '|2'), content, content).map(([h, a, b]) => `${h}\n${ind}  ${a.join('')}x\n\n${ind}   ${b.join('')}`) },
    // A raw `\` (an escape go-yaml may refuse) and plain values.
    { weight: 1, arbitrary: content.map((a) => `"${a.join('').replace(/"/g, '')}"`) },
    { weight: 2, arbitrary: fc.constantFrom('x', 'yes', 'a b', 'x#y', "don't", 'a"b"c') },
    // Traps for a scan that loses its place: a plain scalar going on over a line that starts with a quote,
    // and a block scalar followed by a sibling key holding real flow syntax (not its body).
    { weight: 1, arbitrary: content.map((a) => `x\n${ind}  ${doubleQuoted(a)} y`) },
    { weight: 1, arbitrary: fc.constantFrom('|', '>').map((h) => `${h}\n${ind}  body\n${ind.slice(2)}s: [?x]`) },
  );

/** Routing triggers outside quotes, each to be met as before (the full reader or a refusal). */
const TRIGGERS = ['o: [?x]', 'o: [: 1]', 'o: {a: 1}: b', 'o:\n-\n- a', 'o: [a, ? , b]', 'o: "a\\\n\n  b"', 'o: [?, : v]', 'o: {[a]: 1}'];

const line = fc.tuple(fc.constantFrom('k', '"q k"', "'s'", '"[k:"'), fc.constantFrom(0, 1, 2), fc.boolean());

const documentText = fc
  .tuple(
    fc.array(
      line.chain(([key, shape, comment]) =>
        value(shape === 2 ? '    ' : '  ').map((v) => {
          const note = comment ? ' # c [: ,:' : '';
          if (shape === 0) return `${key}: ${v}`;
          if (shape === 1) return `l:\n- ${v}${v.includes('\n') ? '' : note}`;
          return `m:\n  - ${key}: ${v}`;
        }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    // One document in five with a trigger outside quotes.
    fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...TRIGGERS) }),
    fc.boolean(),
  )
  // `yes` sends every document to the exact reader, so the lean path is asked.
  .map(([lines, trigger, commentLine]) => `a: yes\n${commentLine ? '# "[ : {?\n' : ''}${lines.map((l, i) => l.replace(/^(k|l|m):/, `$1${i}:`)).join('\n')}\n${trigger ? `${trigger}\n` : ''}`);

function fullReading(text: string): ReturnType<typeof decodeLikeKubectl> | { refused: string } {
  try {
    return decodeLikeKubectl(text);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/**
 * A block scalar with an explicit indentation indicator, which the full reader (the `yaml` package)
 * ends early at a whitespace-only line deeper than the indicator (go-yaml-known-gaps.test.ts); where
 * the two readers differ on such a text, kubectl is asked instead.
 */
const KNOWN_FULL_READER_GAP = /[|>][-+]?[1-9]|[|>][1-9][-+]?/;

/** Whether the old checks (unmasked text) fire: documents the lean path gave up on before. */
const OLD_TRIGGER = /[[{,][ \t]*[?:]|[\]}][ \t]*:|[?][ \t]*[,:\]]|\\\r?\n[ \t]*\r?\n/;

test('documents with flow indicators inside quotes, comments and block scalars read as the full reader reads them, most on the lean path', () => {
  let total = 0;
  let maskedLean = 0;
  fc.assert(
    fc.property(documentText, (text) => {
      total++;
      const full = fullReading(text);
      let lean: ReturnType<typeof readLean> | { refused: string };
      try {
        lean = readLean(text);
      } catch (error) {
        lean = { refused: (error as Error).message };
      }
      if (lean !== undefined) {
        if ('refused' in lean) assert.deepEqual(full, lean, text);
        else {
          assert.ok(!('refused' in full), `the full reader refuses (${'refused' in full ? full.refused : ''}) what the lean path reads:\n${text}`);
          if (JSON.stringify(lean.value) !== JSON.stringify(full.value) && KNOWN_FULL_READER_GAP.test(text)) {
            // The full reader's known gap (go-yaml-known-gaps.test.ts): kubectl decides.
            if (kubectlAvailable()) {
              const [oracle] = kubectlDecodeAll([`kind: X\n${text}`], {}, 1);
              assert.deepEqual(oracle!.objects[0], { kind: 'X', ...(JSON.parse(JSON.stringify(lean.value)) as object), metadata: {} }, text);
            }
            return;
          }
          assert.equal(JSON.stringify(lean.value), JSON.stringify(full.value), text);
          assert.deepEqual(lean.notes, full.notes, text);
          assert.equal(lean.kubectlRefuses, full.kubectlRefuses, text);
          assert.deepStrictEqual(lean.duplicates, full.duplicates, text);
          if (OLD_TRIGGER.test(text)) maskedLean++;
        }
      }
      // The whole scan: the same object, or an error where the full reader refuses.
      const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
      if ('refused' in full) assert.ok(errors.length > 0 || documents.every((d) => d.refused), `kfguard reads what the full reader refuses:\n${text}`);
      else {
        assert.deepEqual(errors, [], text);
        assert.equal(JSON.stringify(documents[0]?.value), JSON.stringify(full.value), text);
      }
    }),
    // Seeded: unseeded, one run in about 5,000 drew a `|2` body the full reader reads otherwise than
    // kubectl (go-yaml-known-gaps.test.ts), and failed CI by chance. KFGUARD_FUZZ_SEED explores.
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 600), seed: Number(process.env.KFGUARD_FUZZ_SEED ?? 20261205) },
  );
  // A mask that gives up everywhere reads none of these lean: a share of them must be.
  assert.ok(maskedLean > total / 5, `only ${maskedLean} of ${total} documents with flow indicators in quoted text were read on the lean path`);
});

test('the bench rows the survey found read on the lean path or the fast path, not by the full reader', () => {
  const texts = ['a: yes\no: "[ :"\nb: x\n', 'a: yes\nenv:\n- name: A\n  value: "a,:b"\n- name: B\n  value: \'a,:b\'\n', 'a: yes\no: "[ :"\nl:\n- value: [a,\n    b]\n'];
  for (const text of texts) {
    const before = leanReadCount();
    const reading = readLean(text);
    assert.ok(reading, text);
    assert.equal(leanReadCount(), before + 1);
    assert.equal(JSON.stringify(reading.value), JSON.stringify(decodeLikeKubectl(text).value));
  }
});

test('what the scan is unsure of is left as it is', () => {
  const unsure = [
    'a: "x\n  [ :"\n', // a quoted scalar over two lines
    'a: !!str "[ :"\n', // after a tag
    'a: &x "[ :"\n', // after an anchor
    'a: [b, "[ :"]\n', // inside flow
    'a: |2\n [ :\n', // a line between an explicit indentation indicator's body and its parent
    'a:\t"[ :"\n', // a tab
    'a: foo\n  "[ :"\n', // may go on a plain scalar
    'a: "x"y\nb: "[ :"\n', // text after a closing quote
    'a: |\n      x\n    "[ :"\n', // a line less indented than the body, more than its parent
    'a: "[ :"\r b\n', // a lone CR
    'a: "x\\\n  [ :"\n', // an escaped line break
  ];
  for (const text of unsure) assert.equal(syntaxOnly(text), text, JSON.stringify(text));
  // What is masked: quoted insides, comments, block bodies; the quotes, keys and indicators stay.
  assert.equal(syntaxOnly('- a: "[ :" # {?\n  \'b,:\': |\n    - [ :\n\n    x\nc: x"y\n'), '- a: "___" #___\n  \'___\': |\n    _____\n\n    _\nc: x"y\n');
  assert.equal(syntaxOnly('a: "p\\"[:" # c\nb: \'it\'\'s [ :\'\n'), 'a: "_____" #__\nb: \'_________\'\n');
});

/** Edge cases read lean since the mask, each as kubectl reads it. */
const KUBECTL_CASES = [
  'o: "[ :"\nb: yes\n',
  'env:\n- name: A\n  value: "a,:b"\n- name: B\n  value: \'{? ,: ]\'\nc: on\n',
  'a: "x \\" [: # y" # c [ :\nb: \'it\'\'s {a: 1}: b\'\nc: y\n',
  'script: |\n  [ :\n  - \n  - a\n  {a: 1}: b\nc: no\n',
  'o: "[ :"\nl:\n- value: [a,\n    b]\nc: off\n',
  '"[k:": "[v:"\n? not\n: masked\n',
  'a: x"y [ :\nb: yes\n',
];

test('edge cases the mask lets through read as kubectl reads them', requiresKubectl(), () => {
  const texts = KUBECTL_CASES.map((t) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n${t.replace(/^/gm, '  ').trimEnd()}\n`);
  const oracle = kubectlDecodeAll(texts, {}, 1);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
