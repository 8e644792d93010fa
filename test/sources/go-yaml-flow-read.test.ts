import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { findFlowRegions } from '../../src/sources/go-yaml-flow-regions.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * The exact reader reads simple flow collections itself (go-yaml-flow-read.ts) and gives the
 * `yaml` parser a placeholder instead. These properties check that it reads every generated
 * flow-heavy document exactly as the `yaml`-only path does (value, notes, duplicates, refusal,
 * error and its position), and, where kubectl is installed, as kubectl does.
 */

const ODD_SCALARS = ['x😀 y', '"😀"', '0o17', '0777', '0x1F', '0b101', '1_000', '-1', '+1', '1e3', '1.5', '.5', '.inf', '-.inf', '+.inf', '.nan', 'y', 'n', 'Y', 'yes', 'No', 'off', 'ON', 'true', '~', 'null', 'Null', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30', 'abc', 'a b', "it's", 'x-y', '-x', '/path/x', 'é', 'ü x', '9223372036854775808', '-9223372036854775809'];
const AWKWARD = ['[1,\n\t2]', "' e \n\t f '", '[a\n  # c\n  b]', '[&x ? d]', '[? , 1]', '{?}', '{? [1]: 2}', '"x\n\ty"', 'a\n  "b"', '"quoted"', '"with: colon"', "'single''s'", "''", '""', '"esc\\n"', '"a\\"b"', '"\\u00e9\\/\\t\\\\"', '"\\u00e9\\t\\\\"', '"\\ud83d"', '"\\x41"', '"\\N"', '-', '?x', 'a:b', 'http://x', '!!str 1', '!!int "7"', '!local x', '*base', '&an [1, 2]', '*an', 'a #c', '"\u2028"', '\t1', '', '&e ', '!!str '];
const KEYS = ['a', 'b', 'a', 'name', '"a"', "'b'", '1', '"1"', 'y', 'on', '0o17', '1.5', '"quoted key"', '__proto__', '<<', '~', '-k', '"k:v"', '&k a', '!!str 1', '!!int 2', '&k2 !!str y', '? a', '? "q"', '? !!str 3', '? m\n        n', '? &k3 b', 'a\t'];

/**
 * Constructs that once sent a collection to the `yaml` parser (issue 17) and that the flow reader
 * now decodes as go-yaml does: tags, anchors and aliases (`base` is anchored before every flow
 * value, `an` is redefined), merge keys, go-yaml's escapes, `:` inside plain text, comments,
 * empty values, keys alone and single pairs in a sequence.
 */
const CONSTRUCTS = ['!!str 1', '!!int "7"', '!!float 1', '!!bool yes', '!!binary aGk=', '!!null ""', '!local x', '!!str [1, a]', '!!map {a: 1}', '&x 5', '&an 6', '*base', '"\\x41\\e\\N\\_\\U0001F600\\ \\0"', '"a\\/b"', 'http://x', 'a:b', '{p: &y 5, q: *y, r: &y 6, s: *y}', '{<<: *base, a: 9}', '{a: 9, <<: [*base, {c: 1}]}', '[1, # c\n      2]', '{a: , b}', '{a}', '{"q", r: }', '[a: 1, b]', '[a: ]', '[x: {p: 1}, "y": [1], z: *base]', '[k: {}, ~]', '{<<: *base, a}',
  // h-flow3: properties on keys and empty values, explicit keys, multi-line scalars, tabs.
  '{&k a: 1, b: *k}', '{!!str 1: a, !!int 2: b}', '{a: !!str , b: &e , c: *e}', '[&x , 1, !!str , *x]', '[&x a: 1, !!str 2: b]', '{a: !foo , b: !!null }',
  '{? a : 1, ? b, ? "c": 2}', '[? a : 1, ? b, ?c]', '{? a\n        b : 1}', '[? x\n        : 1]',
  'x\n        y', 'x\n\n\n        -y z', '"p\n\n        q"', "'r  \n        s'", '"t\\\n        u"', '"v  \\\n        w"', '"\\t x\t\n        y "',
  '[1,\t2, {a:\t1,\tb: x\ty}]', '[a\n      \t b,\t# c\n        c]', '&t\tx', '!!str\t1'];
/** Errors go-yaml raises while decoding, which the flow reader keeps for the walk to throw. */
const DECODE_ERRORS = ['*nope', '{~: 1}', '!!int a', '{<<: [1]}', '!!binary "a!"', '[~: 1]', '{<<: }', '{a: !!int , b}', '{? : 1}', '{&k ~: 1}', '[!!int a: 1]'];

const scalar = (awkward: boolean) =>
  awkward
    ? fc.oneof({ arbitrary: fc.constantFrom(...ODD_SCALARS), weight: 6 }, { arbitrary: fc.constantFrom(...CONSTRUCTS), weight: 2 }, { arbitrary: fc.constantFrom(...AWKWARD, ...DECODE_ERRORS), weight: 1 })
    : fc.oneof({ arbitrary: fc.constantFrom(...ODD_SCALARS), weight: 4 }, { arbitrary: fc.constantFrom(...CONSTRUCTS), weight: 1 });

/** A flow collection, on one line or over several. */
function flowText(awkward: boolean) {
  const { collection } = fc.letrec<{ value: string; collection: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar(awkward), tie('collection')),
    collection: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ items: fc.array(tie('value'), { maxLength: 5 }), multiline: fc.boolean(), trailing: fc.boolean() }).map(({ items, multiline, trailing }) =>
        `[${items.join(multiline ? ',\n      ' : ', ')}${trailing && items.length > 0 ? ',' : ''}]`,
      ),
      fc.record({ entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value'), fc.boolean()), { maxLength: 5 }), multiline: fc.boolean() }).map(({ entries, multiline }) =>
        // `"key":value`, as JSON writes it, when `tight` (after a plain key go-yaml versions differ, go-yaml-flow-plain.ts).
        `{${entries.map(([k, v, tight]) => `${k}:${tight && /^["']/.test(k) ? '' : ' '}${v}`).join(multiline ? ',\n      ' : ', ')}}`,
      ),
    ),
  }));
  return collection;
}

/**
 * A custom resource (kubectl keeps its fields untyped) with flow values in block mappings, lists,
 * a block scalar, a comment and, with `awkward`, a document after `...` that kubectl never reads.
 */
function documentOf(awkward: boolean) {
  const flow = flowText(awkward);
  return fc
    .record({ a: flow, b: flow, c: flow, d: flow, merge: fc.boolean(), comment: fc.boolean(), block: fc.boolean(), later: fc.boolean() })
    .map(({ a, b, c, d, merge, comment, block, later }) =>
      [
        'apiVersion: example.com/v1',
        'kind: Thing',
        'metadata: {name: x, labels: {app: x}}',
        'base: &base {a: 1, b: [2, 3]}',
        'spec:',
        `  first: ${a}`,
        `  second: &an ${b}${comment ? '   # a comment' : ''}`,
        '  list:',
        `  - ${c}`,
        `  - key: ${d}`,
        ...(merge ? ['  merged:', '    <<: *base', '    b: 4', `  inline: {<<: *base, a: 9}`] : []),
        ...(block ? ['script: |', `  x: ${a}`, `# y: ${b}`] : []),
        `alias: *an`,
        ...(later && awkward ? ['...', `z: ${c}`] : []),
        '',
      ].join('\n'),
    );
}

function readBothWays(text: string, fast: boolean): unknown {
  try {
    return { reading: decodeLikeKubectl(text, { flowFastPath: fast }) };
  } catch (error) {
    const e = error as { message: string; line?: number; column?: number };
    return { error: e.message, line: e.line, column: e.column };
  }
}

test('the flow reader reads generated flow-heavy documents exactly as the yaml-only path does', () => {
  let withRegions = 0;
  let runs = 0;
  fc.assert(
    fc.property(documentOf(true), (text) => {
      runs++;
      if (findFlowRegions(text).length > 1) withRegions++;
      assert.deepEqual(readBothWays(text, true), readBothWays(text, false));
    }),
    { numRuns: 200, seed: 1717 },
  );
  // The property means little unless the fast path actually read most documents.
  assert.ok(withRegions > runs / 3, `only ${withRegions} of ${runs} documents had flow collections for the fast path`);
});

test('the flow reader agrees on random flow values in every position, including unusual ones', () => {
  fc.assert(
    fc.property(flowText(true), fc.constantFrom('x: ', '- ', '', 'k: &a ', 'k: !!seq ', '"q": ', '- - '), (flow, prefix) => {
      const text = `${prefix}${flow}\n`;
      assert.deepEqual(readBothWays(text, true), readBothWays(text, false));
    }),
    { numRuns: 400, seed: 4242 },
  );
});

test('a flow collection inside a block scalar, a comment or a quoted string stays text', () => {
  const text = 's: |\n  x: [a, b, c, d, e, f]\nt: "x\n  [1, 2, 3, 4, 5, 6, 7]\n  "\n# u: [1, 2, 3, 4, 5, 6]\np: word\n  [1, 2, 3, 4, 5, 6]\nv: [1, 2, 3, 4, 5, 6]\n';
  // The finder skips block scalars and comments itself, but takes the string's and the plain scalar's second lines for collections.
  assert.equal(findFlowRegions(text).length, 3);
  assert.deepEqual(decodeLikeKubectl(text).value, { s: 'x: [a, b, c, d, e, f]\n', t: 'x [1, 2, 3, 4, 5, 6, 7] ', p: 'word [1, 2, 3, 4, 5, 6]', v: [1, 2, 3, 4, 5, 6] });
});

test('an error in a document read with placeholders is the yaml parser\'s error at its true position', () => {
  const text = 'a: [1, 2, 3, 4, 5, 6, 7, 8]\nb: [1, 2, 3, 4, 5, 6, 7, 8]\nc: {x: 1\n';
  const fast = readBothWays(text, true) as { error?: string };
  assert.deepEqual(fast, readBothWays(text, false));
  assert.ok(fast.error);
});

test('kubectl reads generated flow-heavy documents as the flow reader does', requiresKubectl(), () => {
  const json = 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\nspec: {"a":"\\u00e9\\t\\n\\r\\b\\f\\\\ \\"q\\"", "b":[y, 0o17], "c" : {"d":-1}}\n';
  const texts = [json, ...fc.sample(documentOf(false), { numRuns: 60, seed: 99 })];
  assert.equal(findFlowRegions(json).length, 1, "spec is read by the flow reader (metadata is shorter than the placeholder)");
  assert.ok(texts.filter((t) => findFlowRegions(t).length > 1).length > 30);
  const oracle = kubectlDecodeAll(texts);
  const problems = texts.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
});

test('an alias names the last node before it with its anchor, when anchors are redefined many times', () => {
  const units = Array.from({ length: 300 }, (_, i) => `{a: &x ${i}, b: *x}`).join(', ');
  const { value } = decodeLikeKubectl(`x: [${units}, *x]\n`) as { value: { x: unknown[] } };
  assert.deepEqual(value.x.slice(0, 3), [{ a: 0, b: 0 }, { a: 1, b: 1 }, { a: 2, b: 2 }]);
  assert.equal(value.x[300], 299);
  const merged = decodeLikeKubectl('a: &m {k: 1}\nb: &m {k: 2}\nc: {<<: *m}\n').value as { c: unknown };
  assert.deepEqual(merged.c, { k: 2 });
});

/** What kubectl 1.3x (`kubectl label --local -f FILE -o json`) does with each construct the flow reader took over; the test asks kubectl itself. */
const KUBECTL_CASES = [
  'spec: {a: [{p: &x 1, q: *x}, {p: &x 2, q: *x}, *x], b: *x}',
  'm: &m {k: 1, j: 2}\nspec: [{<<: *m, a: 1}, {k: 3, <<: *m}, {k: 3, <<: [*m, {k: 4, z: 1}]}, {a: *m}]',
  'spec: [!!str 1, !!int "7", !local x, !!binary aGk=, !!float 1, !!null "", !!bool yes, !!str [1], !!map [1], !foo {a: 1}]',
  'spec: ["\\x41\\e\\0\\N\\_\\L\\P\\v\\a\\ \\t", "\\U0001F600\\u00e9", a:b, http://x, {a: b:c}]',
  'spec: [1, # one\n  2,   # two\n  {a: 1} # three\n  ]',
  'spec: ["a\\/b", 1, 2, 3, 4, 5]',
  'spec: [{~: 1}, 1, 2, 3, 4, 5]',
  'spec: [1, 2, 3, 4, 5, *nope]',
  'spec: &a [1, 2, 3, 4, 5, *a]',
  'spec: [!!int a, 1, 2, 3, 4, 5]',
  'm: &m [{k: 1}]\nspec: [{<<: *m}, 1, 2, 3]',
  'spec: [{a: , b, c: 1, d: }, {e}, [f: 1, g, h: {i: 1}, j: ], {k, k: 2}]',
  // `flag: {y: 1}` (a YAML 1.1 boolean key) sends each document to the exact reader.
].map((body) => `apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\nflag: {y: 1}\n${body}\n`);

test('kubectl reads anchors, aliases, tags, merge keys, escapes and comments in flow collections as the flow reader does', requiresKubectl(), () => {
  // Each case is read by the flow reader, not left to the `yaml` parser.
  for (const text of KUBECTL_CASES) assert.ok(findFlowRegions(text).some((r) => r.reading.value !== undefined), text);
  const oracle = kubectlDecodeAll(KUBECTL_CASES);
  const problems = KUBECTL_CASES.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
  // The refusals are refusals, on both sides: kubectl's error is the case's point.
  assert.deepEqual(oracle.map((o) => o.error !== undefined), [false, false, false, false, false, true, true, true, true, true, true, false]);
});

test('the same cases read alike on the flow reader and on the yaml-only path', () => {
  for (const text of KUBECTL_CASES) assert.deepEqual(readBothWays(text, true), readBothWays(text, false), text);
});

test('aliases in flow collections still count towards the alias budget: a billion laughs is refused', () => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, labels: {y: n}}', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < 9; level++) {
    const previous = String.fromCharCode(96 + level);
    lines.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
  }
  const text = `${lines.join('\n')}\n`;
  assert.ok(findFlowRegions(text).length >= 9, 'the lists are read by the flow reader');
  const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  assert.equal(documents.filter((d) => !d.refused).length, 0);
  assert.match(errors[0]?.message ?? '', /aliases expand to more than/);
});

test('a decoding error inside a collection the flow reader read is the one the yaml-only path throws', () => {
  const text = `x: [${Array.from({ length: 2000 }, () => '{~: 1}').join(', ')}]\n`;
  const fast = readBothWays(text, true) as { error?: string };
  assert.deepEqual(fast, readBothWays(text, false));
  assert.equal(fast.error, 'unsupported map key of type null');
});

/**
 * h-flow3 (issue 17): the constructs that still sent a collection to the `yaml` parser (3–9 s of
 * CPU per MB), each now read by the flow reader: tabs as blanks, properties on keys and on empty
 * values, explicit `?` keys, and plain and quoted scalars folded over lines.
 */
const FLOW3_CASES = [
  'spec: [1,\t2, {a:\t1,\tb: x\ty},\t3 ,\t# c\n  4, &t\tx, !!str\t5]',
  'spec: {&k a: 1, b: *k, !!str 1: c, !!int 2: d, &j !!str 3: e, f: *j}',
  'spec: [{a: !!str , b: &e , c: *e, d: !foo , g: !!null }, &x , !!str , *x, &y a: 1, !!str 2: b, *y]',
  'spec: [{? a : 1, ? b, ? "c": 2, ? d\n    e : 3, ? !!str 4: f, ? &q g\n    : *q}, ? g : 1, ? h, ? i]',
  'spec: [a\n   b, "c\n\n   d", \'e  \n   f\', "g\\\n   h", "i  \\\n\n   j", {k: l\n   m}, x\n\n\n   -y z, "\\t n\t\n   o "]',
  'spec: [{a: !!int , b}, 1, 2, 3]',
  'spec: [{? : 1}, 1, 2, 3]',
].map((body) => `apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\nflag: {y: 1}\n${body}\n`);

test('kubectl reads tabs, properties on keys and empty values, explicit keys and multi-line scalars as the flow reader does', requiresKubectl(), () => {
  for (const text of FLOW3_CASES) assert.ok(findFlowRegions(text).some((r) => r.start > text.indexOf('spec:')), `spec is read by the flow reader: ${text}`);
  const oracle = kubectlDecodeAll(FLOW3_CASES);
  const problems = FLOW3_CASES.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text)}: ${p}`));
  assert.deepEqual(problems, []);
  assert.deepEqual(oracle.map((o) => o.error !== undefined), [false, false, false, false, false, true, true]);
});

test('the h-flow3 cases read alike on the flow reader and on the yaml-only path, but for an escaped line break before a blank line', () => {
  for (const text of FLOW3_CASES) {
    if (text.includes('"i  \\')) continue;
    assert.deepEqual(readBothWays(text, true), readBothWays(text, false), text);
  }
  // The `yaml` package folds `"i  \` + blank line + `j"` to "i   j"; go-yaml (kubectl, checked above) to "i  \nj".
  const spec = (decodeLikeKubectl(FLOW3_CASES[4]!).value as { spec: unknown[] }).spec;
  assert.equal(spec[4], 'i  \nj');
  assert.deepEqual(spec.slice(0, 4), ['a b', 'c\nd', 'e f', 'gh']);
});

/**
 * go-yaml's simple-key rule: an implicit key's `:` must be on the key's line and at most 1024
 * code points past its start (its first property included). kubectl refuses a collection that
 * breaks it; the `yaml` package reads it, so kfguard checks the rule itself on both paths.
 */
const SIMPLE_KEY_CASES = [
  ...[1023, 1024, 1025].flatMap((n) => [`spec: {${'a'.repeat(n)}: 1, b: 2}`, `spec: [${'a'.repeat(n)}: 1, b]`]),
  `spec: [${'a'.repeat(1024)} : 1, b]`,
  `spec: [&x ${'a'.repeat(1021)}: 1, b]`,
  `spec: [&x ${'a'.repeat(1022)}: 1, b]`,
  `spec: [x${'😀'.repeat(1023)}: 1, b]`,
  `spec: [x${'😀'.repeat(1024)}: 1, b]`,
  `spec: {"${'a'.repeat(1022)}":1, b: 2}`,
  `spec: {"${'a'.repeat(1023)}":1, b: 2}`,
  `spec: {? ${'a'.repeat(2000)}: 1, b: 2}`,
  'spec: {a\n  b: 1, c: 2}',
  'spec: [x, a\n  b: 1, c]',
  'spec: [x, ? a\n  b: 1, c]',
  // A property starts the key: on the line before it, the key's `:` is on a later line.
  'spec: {&a\n  key: 1, b: 2}',
  'spec: [!!str\n  key: 1, b]',
  'spec: {? &a\n  key: 1, b: 2}',
].map((body) => `apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: x}\nflag: {y: 1}\n${body}\n`);
const SIMPLE_KEY_REFUSED = [false, false, false, false, true, true, true, false, true, false, true, false, true, false, true, true, false, true, true, false];

test('an implicit key past 1024 characters or over two lines is refused as kubectl refuses it', requiresKubectl(), () => {
  const oracle = kubectlDecodeAll(SIMPLE_KEY_CASES);
  assert.deepEqual(oracle.map((o) => o.error !== undefined), SIMPLE_KEY_REFUSED);
  const problems = SIMPLE_KEY_CASES.flatMap((text, i) => compareWithKubectl(text, oracle[i]!).map((p) => `${JSON.stringify(text.slice(0, 120))}: ${p}`));
  assert.deepEqual(problems, []);
});

test('both paths refuse an implicit key past 1024 characters or over two lines, with the line of its colon', () => {
  SIMPLE_KEY_CASES.forEach((text, i) => {
    const read = readBothWays(text, true) as { error?: string; line?: number };
    // The `yaml` parser reads such keys; the yaml-only path checks its source tokens (go-yaml-simple-keys.ts).
    assert.deepEqual(read, readBothWays(text, false), text.slice(0, 120));
    assert.equal(read.error !== undefined, SIMPLE_KEY_REFUSED[i], text.slice(0, 120));
    if (read.error) {
      assert.match(read.error, /did not find expected ',' or '[\]}]': an implicit key/);
      assert.equal(read.line, /\n {2}(b|key): 1/.test(text) ? 6 : 5);
    }
  });
});

test('a merge of an anchored flow mapping keeps the flow reader\'s reading: the text is parsed once, as the yaml-only path reads it', () => {
  // Before, `<<: *b` with `&b {…}` read by the flow reader was refused as "not a mapping" and the
  // whole text parsed again: a second parse, seconds per MB (issue 17).
  const cases = [
    'base: &b {name: BASE, value: x}\nenv:\n- <<: *b\n  name: A\n- <<: [*b, {extra: 1}]\n  name: B\n',
    'base: &b {x: 1, x: 2}\nenv:\n  <<: *b\n  x: 3\n',
    // A refusal: parsed again, so that the error is the parser's if it has one first.
    'base: &b [{name: BASE}]\nenv:\n- <<: *b\n',
  ].map((body) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, labels: {y: n}}\n${body}`);
  for (const [i, text] of cases.entries()) {
    const before = yamlParseCount();
    const fast = readBothWays(text, true);
    assert.equal(yamlParseCount() - before, i < 2 ? 1 : 2, text);
    assert.deepEqual(fast, readBothWays(text, false), text);
  }
});
