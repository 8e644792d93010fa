import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl, ExactDecodeError, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { readLean, readLeanRun } from '../../src/sources/go-yaml-lean.js';
import { mayStartTag } from '../../src/sources/go-yaml-tag-position.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * A `!` that is no tag (in plain text after a blank, a quoted scalar, a comment) no longer sends a
 * document to the full exact reader (bang17, go-yaml-tag-position.ts); a `!` that may be a tag still
 * is a candidate, and what the lean path is unsure of still goes to the full reader.
 */

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';

test('mayStartTag: only where a node may start', () => {
  const at = (text: string): boolean => mayStartTag(text, text.lastIndexOf('!'));
  const candidates = ['!x', 'a: !x', 'a:!x', '- !x', '-!x', '? !x', '[a, !x]', '[!x]', '{a: !x}', 'a: &a !x', 'a: !t !x', 'a: *z !x', 'a\n  !x', 'a: | !x', 'a: >2 !x', "a: 'b' !x", 'a: "b" !x', '--- !x', '... !x', "['a #', !x b]", 'a:\t!x', 'a: b:  !x', 'a: [b] !x'];
  for (const text of candidates) {
    assert.equal(at(text), true, text);
  }
  const texts = ['a: b !x', 'a: b\t!x', "a: 'b !x'", 'a: "b c !x"', 'a: b # !x', 'a: b # c !x', 'a: b!x', '[b !x]', 'a: http://x/y !x', "a: 'it''s !x'", '  t !x'];
  for (const text of texts) {
    assert.equal(at(text), false, text);
  }
});

function readOnce(text: string): { errors: number; parses: number } {
  const before = yamlParseCount();
  const { errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  return { errors: errors.length, parses: yamlParseCount() - before };
}

/** Each text, whether kubectl refuses it, and whether kfguard reads it without the `yaml` parser (the full reader). */
const EDGES: readonly { readonly name: string; readonly text: string; readonly refused: boolean; readonly lean: boolean }[] = [
  { name: 'plain text then !x', text: `${head}  a: a !x\n`, refused: false, lean: true },
  { name: 'plain text then !x then text', text: `${head}  a: a !x b\n`, refused: false, lean: true },
  { name: 'plain text then !!str', text: `${head}  a: a !!str\n`, refused: false, lean: true },
  { name: 'plain text then !!bool yes', text: `${head}  a: a !!bool yes\n`, refused: false, lean: true },
  { name: 'double-quoted "b !x"', text: `${head}  a: "b !x"\n`, refused: false, lean: true },
  { name: 'single-quoted with a doubled quote', text: `${head}  a: 'it''s !x'\n`, refused: false, lean: true },
  // `b:` may be a key before a tag to mayStartTag; the syntax mask blanks the quote's inside (bangmask17).
  { name: "single-quoted 'b: !x'", text: `${head}  a: 'b: !x'\n`, refused: false, lean: true },
  { name: 'double-quoted "b: !x"', text: `${head}  a: "b: !x"\n`, refused: false, lean: true },
  { name: "single-quoted 'b, !x'", text: `${head}  a: 'b, !x'\n`, refused: false, lean: true },
  { name: 'double-quoted "[!x"', text: `${head}  a: "[!x"\n`, refused: false, lean: true },
  { name: 'a quoted key "k: !x"', text: `${head}  "k: !x": b\n`, refused: false, lean: true },
  { name: 'a comment a # - !x', text: `${head}  a: a # - !x\n`, refused: false, lean: true },
  { name: 'a comment a # : !x', text: `${head}  a: a # : !x\n`, refused: false, lean: true },
  { name: 'a comment line # - !x', text: `${head}  # - !x\n  a: b\n`, refused: false, lean: true },
  { name: 'a block scalar body - !x', text: `${head}  a: |\n    - !x\n`, refused: false, lean: true },
  // What the mask does not model keeps every `!` a candidate: the full reader.
  { name: 'a tag before a quote !t "a: !x"', text: `${head}  a: !t "a: !x"\n`, refused: false, lean: false },
  { name: 'a multi-line double quote', text: `${head}  a: "b\n    : !x"\n`, refused: false, lean: false },
  { name: 'a multi-line single quote', text: `${head}  a: 'b,\n    - !x'\n`, refused: false, lean: false },
  { name: 'a quote then a real tag on a later line', text: `${head}  a: "b: !x"\n  c: !!str yes\n`, refused: false, lean: true },
  { name: 'a quote then a refused tag', text: `${head}  a: "b: !x"\n  c: !!int abc\n`, refused: true, lean: true },
  { name: 'a quote in a flow sequence then a tag', text: `${head}  a: ["b, !x", !!str yes]\n`, refused: false, lean: true },
  { name: 'a comment', text: `${head}  a: a # !x\n`, refused: false, lean: true },
  { name: 'a comment, !x after a word', text: `${head}  a: a # c !x\n`, refused: false, lean: true },
  { name: "a # in a quote before a flow tag: ['a #', !x b]", text: `${head}  a: ['a #', !x b]\n`, refused: false, lean: true },
  { name: 'in a flow sequence plain scalar', text: `${head}  a: [b !x, c]\n`, refused: false, lean: true },
  { name: 'in a flow mapping key', text: `${head}  a: {b !x: c}\n`, refused: false, lean: true },
  { name: 'a continuation line starting with !x', text: `${head}  a: b\n    !x c\n`, refused: false, lean: true },
  { name: 'a continuation line holding only !x', text: `${head}  a: b\n    !x\n`, refused: false, lean: false },
  { name: 'a double-quoted continuation line', text: `${head}  a: "b\n    !x c"\n`, refused: false, lean: true },
  { name: '- !x', text: `${head}  a:\n  - !x b\n`, refused: false, lean: true },
  { name: '? !x', text: `${head}  ? !x b\n  : c\n`, refused: false, lean: false },
  { name: '&a !x', text: `${head}  a: &a !x b\n`, refused: false, lean: true },
  { name: '!x !y', text: `${head}  a: !x !y b\n`, refused: true, lean: false },
  { name: '!x after a comment line', text: `${head}  # c\n  !x a: b\n`, refused: false, lean: true },
  { name: 'a tab before a tag', text: `${head}  a:\t!x b\n`, refused: false, lean: true },
  { name: 'a tab in plain text', text: `${head}  a: b\t!x\n`, refused: false, lean: true },
  { name: 'a quoted scalar then !x', text: `${head}  a: "b" !x\n`, refused: true, lean: false },
  { name: 'an alias then !x', text: `${head}  a: &z b\n  c: *z !x\n`, refused: true, lean: false },
  { name: 'a block scalar body', text: `${head}  a: |\n    t !x\n`, refused: false, lean: true },
  { name: 'a block scalar header then !x', text: `${head}  a: | !x\n    t\n`, refused: true, lean: false },
  { name: 'a folded scalar body', text: `${head}  a: >-\n    t !x u\n`, refused: false, lean: true },
  { name: 'a handle in plain text', text: `${head}  a: a !e!s\n`, refused: false, lean: true },
  { name: 'a handle in a comment', text: `${head}  a: a # !e!s\n`, refused: false, lean: true },
  { name: 'a URL then !x', text: `${head}  a: http://x/!y z !w\n`, refused: false, lean: true },
];

for (const c of EDGES) {
  test(`a ! in ${c.name}: ${c.lean ? 'read lean' : 'left to the full reader'}`, () => {
    const { errors, parses } = readOnce(c.text);
    assert.equal(errors > 0, c.refused);
    assert.equal(parses === 0, c.lean);
  });
}

test('a ! where a tag may or may not be: read as kubectl reads it', requiresKubectl(), () => {
  const oracle = kubectlDecodeAll(EDGES.map((c) => c.text), {}, 1);
  EDGES.forEach((c, i) => {
    assert.deepEqual(compareWithKubectl(c.text, oracle[i]!), [], c.name);
    assert.equal(oracle[i]!.error !== undefined, c.refused, `${c.name}: kubectl ${oracle[i]!.error ?? 'reads it'}`);
  });
});

/** The full exact reader's reading or refusal, as readExactly makes it when the lean path leaves a document. */
function full(text: string): unknown {
  try {
    const r = decodeLikeKubectl(text, { readRun: readLeanRun });
    return { value: r.value, notes: r.notes, duplicates: r.duplicates, kubectlRefuses: r.kubectlRefuses, order: JSON.stringify(r.value) };
  } catch (error) {
    assert.ok(error instanceof ExactDecodeError, String(error));
    return { refused: error.message, line: error.line };
  }
}

/** The lean path's reading or refusal; undefined when it gives the document to the full reader. */
function lean(text: string): unknown {
  try {
    const r = readLean(text);
    return r && { value: r.value, notes: r.notes, duplicates: r.duplicates, kubectlRefuses: r.kubectlRefuses, order: JSON.stringify(r.value) };
  } catch (error) {
    assert.ok(error instanceof ExactDecodeError, String(error));
    return { refused: error.message, line: error.line };
  }
}

/** Entries with a `!` that is no tag (`text`), a tag (`tag`), or other things the readers may read apart (`other`). `k` is the key. */
const ENTRIES: readonly { readonly kind: 'text' | 'tag' | 'other'; readonly entry: (k: string) => string }[] = [
  { kind: 'text', entry: (k) => `${k}: a !x\n` },
  { kind: 'text', entry: (k) => `${k}: a !!int 3\n` },
  { kind: 'text', entry: (k) => `${k}: a !x b\n` },
  { kind: 'text', entry: (k) => `${k}: a\t!e!s\n` },
  { kind: 'text', entry: (k) => `${k}: "b !x"\n` },
  { kind: 'text', entry: (k) => `${k}: 'b !e!s'\n` },
  { kind: 'text', entry: (k) => `${k}: a # !x\n` },
  { kind: 'text', entry: (k) => `${k}: [b !x, c]\n` },
  { kind: 'text', entry: (k) => `${k}: {b: c !x}\n` },
  { kind: 'text', entry: (k) => `${k}: |\n  t !x\n` },
  { kind: 'text', entry: (k) => `${k}: "b: !x"\n` },
  { kind: 'text', entry: (k) => `${k}: 'b, !e!s'\n` },
  { kind: 'text', entry: (k) => `${k}: "[!x"\n` },
  { kind: 'text', entry: (k) => `${k}: a # - !x\n` },
  { kind: 'text', entry: (k) => `${k}: |\n  - !!int x\n` },
  { kind: 'text', entry: (k) => `${k}:\n- a !x\n- b # !y\n` },
  { kind: 'text', entry: (k) => `${k}: b\n  c !x\n` },
  { kind: 'tag', entry: (k) => `${k}: !x a\n` },
  { kind: 'tag', entry: (k) => `${k}: !!str yes\n` },
  { kind: 'tag', entry: (k) => `${k}: ['a #', !x b]\n` },
  { kind: 'tag', entry: (k) => `${k}: &a${k} !!int 7\n` },
  { kind: 'tag', entry: (k) => `${k}:\n- !!int abc\n` },
  { kind: 'tag', entry: (k) => `${k}: b\n  !x\n` },
  { kind: 'tag', entry: (k) => `${k}: "b" !x\n` },
  { kind: 'tag', entry: (k) => `${k}: !t "a: !x"\n` },
  { kind: 'tag', entry: (k) => `${k}: ["a, !x", !!int b]\n` },
  { kind: 'tag', entry: (k) => `${k}: "b\n  : !!int x"\n` },
  { kind: 'tag', entry: (k) => `${k}: !e!s a\n` },
  // Tags js-yaml reads otherwise, which the lean path must see to leave (`!!str` then `y`: js-yaml true, go-yaml "y").
  { kind: 'tag', entry: (k) => `${k}: !!str\n  y\n` },
  { kind: 'tag', entry: (k) => `${k}: &b${k} !!str\n  y\n` },
  { kind: 'tag', entry: (k) => `${k}: [a, !!str ]\n` },
  { kind: 'other', entry: (k) => `${k}: yes\n` },
  { kind: 'other', entry: (k) => `${k}: *ak0\n` },
  { kind: 'other', entry: (k) => `${k}: [a, b\n` },
  { kind: 'other', entry: (k) => `${k}: x\n  bad: indent\n` },
];

test('generated documents: a lean reading or refusal is the full reader\'s; documents whose ! are all text are read lean', () => {
  let textOnly = 0;
  let textOnlyLean = 0;
  let total = 0;
  fc.assert(
    fc.property(fc.array(fc.nat(ENTRIES.length - 1), { minLength: 1, maxLength: 7 }), (picks) => {
      const text = picks.map((p, i) => ENTRIES[p]!.entry(`k${i}`)).join('');
      total++;
      const reading = lean(text);
      if (reading !== undefined) assert.deepStrictEqual(reading, full(text), text);
      if (picks.every((p) => ENTRIES[p]!.kind === 'text')) {
        textOnly++;
        if (reading !== undefined) textOnlyLean++;
      }
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 500), seed: 1717 },
  );
  if (process.env.SHOW) console.log({ total, textOnly, textOnlyLean });
  // A lean path that gave up on every `!` would pass the comparison above; these must read lean.
  assert.ok(textOnly > 10 && textOnlyLean > textOnly * 0.9, `${textOnlyLean} of ${textOnly} documents whose ! are all text read lean (${total} generated)`);
});

test('mayStartTag over every ! of a text grows linearly with it', () => {
  // Each look goes back over one blank run and one word; shapes that would make the looks overlap.
  const shapes: readonly ((n: number) => string)[] = [
    (n) => `${'a'.repeat(n)} !x`,
    (n) => 'a !'.repeat(n / 3),
    (n) => `a${' '.repeat(60)}!`.repeat(n / 62),
    (n) => `${'b!'.repeat(n / 4)} !x`.repeat(2),
    (n) => 'a \t'.repeat(n / 3) + '!',
  ];
  const cost = (text: string): number => {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const start = process.cpuUsage();
      let candidates = 0;
      for (let at = text.indexOf('!'); at !== -1; at = text.indexOf('!', at + 1)) if (mayStartTag(text, at)) candidates++;
      const used = process.cpuUsage(start);
      assert.ok(candidates >= 0);
      best = Math.min(best, (used.user + used.system) / 1e3);
    }
    return best;
  };
  for (const [i, shape] of shapes.entries()) {
    const small = cost(shape(100 * 1024));
    const large = cost(shape(1024 * 1024));
    // Linear is about 10×; a quadratic look about 100×. 2 ms floors the small time's noise.
    assert.ok(large / Math.max(small, 2) < 30, `shape ${i}: 100 KB ${small.toFixed(1)} ms, 1 MB ${large.toFixed(1)} ms`);
  }
});
