import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';
import { decodeLikeKubectl, ExactDecodeError, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { readLean, readLeanRun } from '../../src/sources/go-yaml-lean.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * A named tag handle no `%TAG` declares (tagrefuse17, go-yaml-lean-handles.ts): refused on the lean
 * path with the full exact reader's message and line, before the `yaml` parser reads the document;
 * a handle that is no tag (in a quoted or plain scalar, a comment, a block scalar) refuses nothing,
 * and a document whose handles are all text is read lean as the full reader reads it.
 */

const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n';

/** Each text, whether kfguard refuses it, whether that refusal comes without the `yaml` parser, and (`lean: false`) when it comes before the parse, not from the lean path. */
const CASES: readonly { readonly name: string; readonly text: string; readonly refused: boolean; readonly fast: boolean; readonly lean?: false }[] = [
  { name: 'a tag on a value', text: `${head}  a: !e!s x\n`, refused: true, fast: true },
  { name: 'a tag on a key', text: `${head}  !e!s k: x\n`, refused: true, fast: true },
  { name: 'a tag in a flow sequence', text: `${head}  a: [b, !e!s x]\n`, refused: true, fast: true },
  { name: 'a tag in a flow mapping', text: `${head}  a: {k: !e!s x}\n`, refused: true, fast: true },
  { name: 'a tag alone on its line before a mapping', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: !e!m\n    a: b\n', refused: true, fast: true },
  { name: 'a handle of letters, digits, - and _', text: `${head}  a: !e-1_x!s x\n`, refused: true, fast: true },
  { name: 'two handles: the first one is named', text: `${head}  a: !f!t x\n  b: !e!s y\n`, refused: true, fast: true },
  { name: 'after a %TAG piece (kubectl cuts at ---)', text: `%TAG !e! tag:example.com,2000:\n---\n${head}  a: !e!s x\n`, refused: true, fast: true },
  { name: 'after --- and %TAG and ---', text: `---\n%TAG !e! tag:example.com,2000:\n---\n${head}  a: !e!s x\n`, refused: true, fast: true },
  { name: 'in a list item', text: `${head}  a: |\n    x\nb:\n- !e!s x\n`, refused: true, fast: true },
  // Not tags: nothing is refused.
  { name: 'in a double-quoted scalar', text: `${head}  a: "!e!s x"\n  b: !!str yes\n`, refused: false, fast: true },
  { name: 'in a single-quoted scalar', text: `${head}  a: 'b !e!s'\n`, refused: false, fast: true },
  { name: 'in a plain scalar', text: `${head}  a: b !e!s\n`, refused: false, fast: true },
  { name: 'in a comment', text: `${head}  a: x # !e!s y\n`, refused: false, fast: true },
  { name: 'in a block scalar', text: `${head}  a: |\n    !e!s y\n`, refused: false, fast: true },
  { name: 'in a plain scalar, mid-line', text: `${head}  a: b !e!s c\n`, refused: false, fast: true },
  { name: 'glued to a plain scalar', text: `${head}  a: b!e!s\n`, refused: false, fast: true },
  { name: 'the secondary handle', text: `${head}  a: !!str x\n`, refused: false, fast: true },
  { name: 'the primary handle', text: `${head}  a: !foo x\n`, refused: false, fast: true },
  { name: 'a verbatim tag', text: `${head}  a: !<tag:example.com,2000:s> x\n`, refused: false, fast: false },
  // The lean path gives up on these; the pre-parse check (go-yaml-undeclared-handles.ts) refuses them, as kubectl does.
  { name: 'an empty suffix', text: `${head}  a: !e! x\n`, refused: true, fast: true, lean: false },
  { name: 'a third !', text: `${head}  a: !e!s!t x\n`, refused: true, fast: true, lean: false },
  { name: 'a syntax error after the tag', text: `${head}  a: !e!s x\n  b: [\n  c: d\n`, refused: true, fast: true, lean: false },
  // Left to the full reader (the handle is inside an unclosed quoted scalar for the lexer): still refused, as before.
  { name: 'a syntax error before the tag', text: `${head}  b: "x\n  a: !e!s x\n`, refused: true, fast: false },
];

function readOnce(text: string): { errors: { line: number; message: string }[]; parses: number } {
  const before = yamlParseCount();
  const { errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  return { errors: errors.map((e) => ({ line: e.line, message: e.message })), parses: yamlParseCount() - before };
}

/** The full exact reader's refusal (as readExactly reads a document the lean path leaves), or undefined when it reads the text. */
function fullRefusal(text: string): { message: string; line: number | undefined } | undefined {
  try {
    decodeLikeKubectl(text, { readRun: readLeanRun });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ExactDecodeError, String(error));
    return { message: error.message, line: error.line };
  }
}

/** The full exact reader's reading, as readExactly makes it when the lean path leaves a document. */
function fullReading(text: string): unknown {
  const reading = decodeLikeKubectl(text, { readRun: readLeanRun });
  return { value: reading.value, notes: reading.notes, duplicates: reading.duplicates, kubectlRefuses: reading.kubectlRefuses, order: JSON.stringify(reading.value) };
}

/** The lean path's refusal of an undeclared handle, or undefined when it read the text or gave up. */
function leanRefusal(text: string): { message: string; line: number | undefined } | undefined {
  try {
    readLean(text);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ExactDecodeError, String(error));
    return { message: error.message, line: error.line };
  }
}

for (const c of CASES) {
  test(`undeclared handles: ${c.name}`, () => {
    const { errors, parses } = readOnce(c.text);
    assert.equal(errors.length > 0, c.refused, JSON.stringify(errors));
    if (c.fast) assert.equal(parses, 0, 'refused or read without the yaml parser');
    else assert.ok(parses > 0, 'left to the full reader');
  });
}

test('a refusal without the full reader is the full reader\'s: message, file line and first use', () => {
  for (const c of CASES.filter((c) => c.refused && c.fast && c.lean !== false)) {
    const piece = c.text.includes('---\n') ? c.text.slice(c.text.lastIndexOf('---\n') + 4) : c.text;
    const lean = leanRefusal(piece);
    assert.ok(lean, c.name);
    assert.deepEqual(lean, fullRefusal(piece), c.name);
    // parseYamlStream's error: the piece's first line, as the full reader's (it gives no line of its own).
    const pieceLine = c.text.slice(0, c.text.length - piece.length).split('\n').length;
    assert.deepEqual(readOnce(c.text).errors.at(-1), { line: pieceLine, message: `${lean.message} (as Kubernetes reads YAML)` }, c.name);
  }
  assert.match(leanRefusal(`${head}  a: !f!t x\n  b: !e!s y\n`)?.message ?? '', /!f!t$/);
});

test('undeclared handles read as kubectl reads them', requiresKubectl(), () => {
  const texts = CASES.map((c) => c.text);
  const oracle = kubectlDecodeAll(texts, {}, 1);
  texts.forEach((text, i) => {
    assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], CASES[i]!.name);
    assert.equal(oracle[i]!.error !== undefined, CASES[i]!.refused, `${CASES[i]!.name}: kubectl ${oracle[i]!.error ?? 'reads it'}`);
  });
});

/**
 * An entry for the generated documents: handles as tags in every place a node may have one, handles
 * in text that is no tag, other tags and go-yaml decoding errors, anchors, aliases, flow text and
 * syntax errors before or after them. `k` is the key.
 */
const ENTRIES: readonly ((k: string) => string)[] = [
  (k) => `${k}: !e!s x\n`,
  (k) => `${k}: !h-1!t yes\n`,
  (k) => `!e!k ${k}: x\n`,
  (k) => `${k}: [a, !e!s x]\n`,
  (k) => `${k}: {a: !f!u x}\n`,
  (k) => `${k}: !e!m\n  a: 1\n`,
  (k) => `${k}:\n- !e!s x\n- y\n`,
  (k) => `${k}: &a${k} !e!s x\n`,
  (k) => `${k}: "a !e!s"\n`,
  (k) => `${k}: 'b !e!s'\n`,
  (k) => `${k}: a !e!s\n`,
  (k) => `${k}: a !e!s b\n`,
  (k) => `${k}: [a !e!s b]\n`,
  (k) => `${k}: x # !e!s y\n`,
  (k) => `${k}: |\n  !e!s y\n`,
  (k) => `${k}: b!e!s\n`,
  (k) => `${k}: !!int 3\n`,
  (k) => `${k}: !foo x\n`,
  (k) => `${k}: !!int abc\n`,
  (k) => `${k}: yes\n`,
  (k) => `${k}: &x${k} 1\n`,
  (k) => `${k}: *x0\n`,
  (k) => `${k}: !e! x\n`,
  (k) => `${k}: !e!s!t x\n`,
  (k) => `${k}: !<tag:x> y\n`,
  (k) => `${k}: [a, b\n`,
  (k) => `${k}: "x\n`,
  (k) => `${k}:\n\t- x\n`,
  (k) => `${k}: x\n  bad: indent\n`,
  (k) => `${k}:\n  a: 1\n   b: 2\n`,
];

test('generated documents: the lean refusal is the full reader\'s, word for word, or the full reader reads the document', () => {
  let total = 0;
  let fast = 0;
  let withHandleTag = 0;
  let read = 0;
  fc.assert(
    fc.property(fc.array(fc.nat(ENTRIES.length - 1), { minLength: 1, maxLength: 7 }), (picks) => {
      const text = picks.map((p, i) => ENTRIES[p]!(`k${i}`)).join('');
      total++;
      const full = fullRefusal(text);
      if (full?.message.startsWith('Could not resolve tag')) withHandleTag++;
      const lean = leanRefusal(text);
      // A handle in text only: a lean reading is the full reader's (values, key order, notes, repeats).
      const reading = lean ? undefined : readLean(text);
      if (reading) {
        if (/(?:^|[\s:[{,-])![\w-]+![\w-]/.test(text)) read++;
        assert.equal(full, undefined, text);
        assert.deepStrictEqual({ value: reading.value, notes: reading.notes, duplicates: reading.duplicates, kubectlRefuses: reading.kubectlRefuses, order: JSON.stringify(reading.value) }, fullReading(text), text);
      }
      // Any refusal the lean path makes (an undeclared handle, go-yaml's decoding error) is the full reader's.
      if (lean) assert.deepEqual(lean, full, text);
      if (!lean?.message.startsWith('Could not resolve tag')) return;
      fast++;
      // The document as a scan reads it: the full reader's error at the document's first line, without the `yaml` parser.
      assert.deepEqual(readOnce(text), { errors: [{ line: 1, message: `${lean.message} (as Kubernetes reads YAML)` }], parses: 0 }, text);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 600), seed: 17 },
  );
  // A share of the documents the full reader refuses for a handle must take the fast refusal, or the comparison proves little.
  assert.ok(fast > withHandleTag / 5, `only ${fast} of ${withHandleTag} documents refused for a handle took the lean refusal (${total} generated)`);
  // Documents whose handles are all text, read lean.
  assert.ok(read > total / 50, `only ${read} of ${total} documents with a handle in text were read lean`);
  if (process.env.SHOW) console.log({ total, fast, withHandleTag, read });
});

test('the hostile class is refused, both its pieces, without the `yaml` parser', () => {
  const hostile = HOSTILE_CLASSES.find((c) => c.name.includes('undeclared tag handles'));
  assert.ok(hostile);
  const { errors, parses } = readOnce(hostile.generate(64 * 1024));
  assert.equal(parses, 0);
  assert.deepEqual(errors.map((e) => [e.line, e.message.replace(/^".*" is a directive.*$/, 'directive')]), [[1, 'directive'], [3, 'Could not resolve tag: !e!s (as Kubernetes reads YAML)']]);
});

/** Entries the lean path reads: handles in text only, other tags, YAML 1.1 scalars, anchors and aliases. */
const TEXT_ENTRIES: readonly ((k: string) => string)[] = [
  (k) => `${k}: "a !e!s"\n`,
  (k) => `${k}: a !e!s b\n`,
  (k) => `${k}: x # !e!s y\n`,
  (k) => `${k}: |\n  !e!s y\n`,
  (k) => `${k}: [a !e!s b, c]\n`,
  (k) => `${k}: {d: a !f!t b}\n`,
  (k) => `${k}: !!int 3\n`,
  (k) => `${k}: !foo x\n`,
  (k) => `${k}: yes\n`,
  (k) => `${k}: &x${k} 1\n`,
  (k) => `${k}: *xk0\n`,
  (k) => `${k}:\n- a !e!s b\n- on\n`,
];

test('generated documents with handles in text: read lean as the full reader reads them, or refused at a tag as it refuses them', () => {
  let read = 0;
  let refused = 0;
  let total = 0;
  fc.assert(
    fc.property(fc.array(fc.nat(TEXT_ENTRIES.length - 1), { minLength: 1, maxLength: 7 }), fc.nat(8), (picks, tagAt) => {
      // Now and then one entry is a handle used as a tag.
      const text = `k0: &xk0 a\n${picks.map((p, i) => (i === tagAt ? `k${i + 1}: !e!s x\n` : TEXT_ENTRIES[p]!(`k${i + 1}`))).join('')}`;
      total++;
      const full = fullRefusal(text);
      const lean = leanRefusal(text);
      if (lean) {
        refused++;
        assert.deepEqual(lean, full, text);
        return;
      }
      const reading = readLean(text);
      if (!reading) return;
      read++;
      assert.equal(full, undefined, text);
      assert.deepStrictEqual({ value: reading.value, notes: reading.notes, duplicates: reading.duplicates, kubectlRefuses: reading.kubectlRefuses, order: JSON.stringify(reading.value) }, fullReading(text), text);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 400), seed: 1717 },
  );
  if (process.env.SHOW) console.log({ total, read, refused });
  assert.ok(read > total / 4 && refused > total / 10, `of ${total}: ${read} read lean, ${refused} refused lean`);
});
