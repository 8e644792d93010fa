import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';

const BLOCK = HOSTILE_CLASSES.filter((c) => c.name.startsWith('block '));
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { leanReadCount, readLean } from '../../src/sources/go-yaml-lean.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * The exact reader's lean path (go-yaml-lean.ts, issue 17) against the full exact reader it stands
 * in for: on generated block documents carrying every trigger it handles (YAML 1.1 scalars as keys
 * and values, `!!str`, merges of block and flow anchors, Unicode line breaks) and the ones it must
 * leave to the full reader, its reading is the full reader's (values, key order, notes, duplicate
 * keys with their paths and first and last values), or it gives up. Then each hostile block class against kubectl itself.
 */

const PLAIN = ['yes', 'no', 'on', 'Off', 'y', 'N', 'true', 'False', '~', 'null', 'NULL', '0777', '0x1F', '0o17', '0b101', '1_000', '+12', '-0', '.5', '1.0', '1e3', '1e400', '.inf', '-.Inf', '.nan', '2001-01-01', '2001-01-01T10:00:00Z', '123456789.0', '99999999999999999999', '9223372036854775808', '<<', 'abc', 'a b', '12', '08', '1:30', 'x-y', 'yes please'];
const QUOTED = ['"yes"', "'0777'", '"a\u2028b"', "'x\u2029y'", '"a \u2028 b"', "'x\u0085y'", '"a\\\u2028\n        b"', "'p\u2029\n        q'", '"k\u2028\u2029\\tl"', '"x\\/y"', '"tab\\tx"', "'it''s'", '"a\\\n        b"', '"a\\\n\n        b"', '"q\\\\/r"'];
/** Tags (tags17): go-yaml's values, its errors (`!!int abc`, bad base64), notes (`!!binary` not UTF-8), refusals (`.inf`), and what stays with the full reader. */
const TAGGED = ['!!str\n    y', '!!str yes', '!!str 0777', '!!str', '!!str ~', '!!int 3', '!!float 1', '!!bool "true"', '!foo x', '!!binary aGk=', '! y', '!!int abc', '!!int "7"', "!!float '1.5'", '!!float .inf', '!!null ~', '!!bool yes', '!!timestamp 2001-01-01', '!!timestamp 1', '!!binary gA==', '!!binary a!', '!!map x', '!!seq x', '!!str {k: v}', '!l {k: v}', '!!merge x', '!!int 99999999999999999999', '!<tag:x> y', '!e!x y', '!foo,b x', '!!int 0x1F', '!!float 1e3', '!!null ""'];
/**
 * A tag alone on its line (tagline17): the tags, and the nodes on the next line (`\n` there goes on
 * at the node's indentation). Plain scalars go-yaml does not read as strings (`y`, `3`, `-1`, `<<`,
 * `.inf`), properties and aliases there stay with the full reader; the rest reads on the lean path.
 */
const ALONE_TAGS = ['!!str', '!!int', '!foo', '!', '!!map', '!!seq', '!!binary', '!!float', '!!null', '!!bool', '!!str # c', '!!timestamp'];
const ALONE_NODES = ['x', 'abc', 'a b', 'y', '3', '-1', '~', '<<', '.inf', 'aGk=', '2001-01-01', '"7"', "'yes'", '"x\\/y"', '|-\n  text', '>\n  a\n  b', '[a, 1]', '{k: v}', 'k: 1\nj: on', '- 1\n- yes', 'x\ny', '\nx', '# c\nx', '&t y', '*a0', '? k'];
const FLOW = ['[y, 0777, ~]', '{k: yes, j: 1.0, 123456789.0: x}', '[]', '{}', '[a, {b: on}, [N]]', '{a}', '[a: 1]', '["y", x]', '[-x]', "{a: 'b\n  c'}", '[a,\n  b]'];
/** Scalars the lean path leaves to the full reader. */
const LEFT_TO_FULL = ['1e400', '.inf', '-.Inf', '.nan', '99999999999999999999', '9223372036854775808', '"x\\/y"'];
const KEYS = ['name', 'value', 'yes', 'y', 'on', '1.0', '0x10', '12', '"y"', '~', '0.5', '123456789.0', 'n', 'image', 'a b', '!!int 12', '!!float 2', '!!float 123456789', '!!str 12', '!foo k', '!!bool on', '.inf', '!!int x'];

/** A small seeded generator, so a failure names its seed (fast-check shrinks the seed). */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

/**
 * A block document with the lean path's triggers at random places; anchors `&aN` on mappings, merges
 * and aliases to them. Keys repeat by chance (a few keys drawn per mapping), at every depth, in
 * anchored (merged, aliased) mappings and in list items; `flow: false` writes no flow collection, so
 * that the lean path reads those repeats (with flow text it leaves them to the full reader).
 */
function blockDocument(seed: number, flow = true): string {
  const pick = random(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const anchors: { name: string; mapping: boolean }[] = [];
  let named = 0;
  const lines: string[] = [];
  // Without flow text, also only what the lean path reads (no `.inf`, past-int64 numbers, odd tags), so that most repeats are read there.
  const plain = flow ? PLAIN : PLAIN.filter((p) => !LEFT_TO_FULL.includes(p));
  const quoted = flow ? QUOTED : QUOTED.filter((q) => !LEFT_TO_FULL.includes(q));
  const tagged = flow ? TAGGED : ['!!str yes', '!!str 0777', '!!str ~'];
  const scalar = (): string => {
    const kind = pick(10);
    if (kind < 6) return one(plain);
    if (kind < 8) return one(quoted);
    if (kind < 9 && anchors.length > 0) return pick(2) === 0 || !flow ? `*${one(anchors).name}` : `[*${one(anchors).name}, y]`;
    if (kind < 9) return flow ? one(FLOW) : one(plain);
    return one(tagged);
  };
  // Without flow text, fewer keys and more entries per mapping, so that keys repeat (`y`, `yes` and `on` are all the key `true`).
  const keys = flow ? KEYS : KEYS.slice(0, 6);
  // A tag alone on its line after `head`, an anchor beside it at times, then a node at `deeper` or none (an empty tagged node).
  const tagAlone = (head: string, deeper: string): void => {
    const anchor = pick(6) === 0 ? ` &a${named++}` : '';
    lines.push(`${head} ${one(ALONE_TAGS)}${anchor}`);
    if (pick(10) > 0) lines.push(`${deeper}${one(ALONE_NODES).replace(/\n/g, `\n${deeper}`)}`);
  };
  // `head` (a key and `:`, or `-`) and a scalar; at times (1 in `chance`, with flow text) a tag alone on its line instead.
  const valueLine = (head: string, indent: string, chance: number): void => {
    if (flow && pick(chance) === 0) tagAlone(head, `${indent}  `);
    else lines.push(`${head} ${scalar()}`);
  };
  const mapping = (indent: string, depth: number, firstPrefix?: string): void => {
    const entries = flow ? 1 + pick(4) : 2 + pick(4);
    for (let i = 0; i < entries; i++) {
      const lead = i === 0 && firstPrefix !== undefined ? firstPrefix : indent;
      const mergeable = flow ? anchors : anchors.filter((a) => a.mapping);
      // Fewer merges without flow text: a merge between a key's two occurrences is left to the full reader (go-yaml-lean-merge-repeat.test.ts covers merges beside repeats).
      if (pick(flow ? 6 : 24) === 0 && mergeable.length > 0) {
        const target = pick(5) === 0 && flow ? `[*${one(mergeable).name}]` : `*${one(mergeable).name}`;
        lines.push(`${lead}<<: ${target}`);
        continue;
      }
      if (pick(12) === 0 && flow) {
        lines.push(`${lead}<<: {name: base, ${one(KEYS)}: ${one(PLAIN)}}`);
        continue;
      }
      const key = one(keys);
      const shape = depth > 2 ? 0 : pick(4);
      if (shape === 0) valueLine(`${lead}${key}:`, indent, 5);
      else if (shape === 1) {
        const anchored = pick(2) === 0;
        const name = `a${named++}`;
        lines.push(`${lead}${key}:${anchored ? ` &${name}` : ''}`);
        mapping(`${indent}  `, depth + 1);
        if (anchored) anchors.push({ name, mapping: true });
      } else if (shape === 2) {
        lines.push(`${lead}${key}:`);
        const items = 1 + pick(3);
        for (let j = 0; j < items; j++) {
          if (pick(2) === 0) valueLine(`${indent}-`, indent, 4);
          else mapping(`${indent}  `, depth + 1, `${indent}- `);
        }
      } else {
        const name = `a${named++}`;
        lines.push(`${lead}${key}: &${name} ${one(plain)}`);
        anchors.push({ name, mapping: false });
      }
    }
  };
  mapping('', 0);
  // Some line ends become the Unicode breaks go-yaml ends lines at.
  let text = `${lines.join('\n')}\n`;
  if (pick(3) === 0) text = text.replace(/\n/g, (m) => (pick(4) === 0 ? one(['\u2028', '\u2029', '\u0085']) : m));
  return text;
}

/** The full exact reader's reading, or its refusal. */
function fullReading(text: string): ReturnType<typeof decodeLikeKubectl> | { refused: string } {
  try {
    return decodeLikeKubectl(text);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** The lean path's reading, its refusal (go-yaml's decoding error, thrown), or undefined when it gave up. */
function leanOutcome(text: string): ReturnType<typeof readLean> | { refused: string } {
  try {
    return readLean(text);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** A refusal on the lean path is the full reader's, word for word. */
function checkOutcome(text: string, outcome: NonNullable<ReturnType<typeof leanOutcome>>): void {
  if ('refused' in outcome) assert.deepEqual(fullReading(text), outcome, text);
  else checkAgainstFullReader(text, outcome);
}

function checkAgainstFullReader(text: string, reading: NonNullable<ReturnType<typeof readLean>>): void {
  const full = fullReading(text);
  assert.ok(!('refused' in full), `the full reader refuses (${'refused' in full ? full.refused : ''}) what the lean path reads:\n${text}`);
  assert.deepStrictEqual(reading.value, full.value, text);
  // Key order too: findings and reports walk objects in order.
  assert.equal(JSON.stringify(reading.value), JSON.stringify(full.value), text);
  assert.deepEqual(reading.notes, full.notes, text);
  assert.equal(reading.kubectlRefuses, full.kubectlRefuses, text);
  // Each repeated key: where, its first and last values, in the full reader's order (yaml-documents.ts grades them).
  assert.deepStrictEqual(reading.duplicates, full.duplicates, text);
  assert.deepEqual(full.ignoredByKubectl, [], text);
}

test('a flow collection going on at its key\'s indentation keeps the full reader\'s note (seed -1039936010)', () => {
  for (const text of [blockDocument(-808869934), 'y:\n- name: [a,\n  b]\n  on: yes\n', 'name: [a,\nb]\nx: on\n', 'a:\n  b: {c: 1,\n  d: 2}\n  e: yes\n']) {
    const reading = readLean(text);
    if (reading !== undefined) checkAgainstFullReader(text, reading);
  }
  // Deeper continuation lines stay on the lean path.
  const deeper = 'y:\n- name: [a,\n    b]\n  on: yes\n';
  const reading = readLean(deeper);
  assert.ok(reading, 'a continuation deeper than its key is read lean');
  checkAgainstFullReader(deeper, reading);
});

test('the lean path reads generated block documents as the full exact reader does, or leaves them to it', () => {
  let lean = 0;
  let total = 0;
  let tagged = 0;
  let refused = 0;
  let kubectlRefuses = 0;
  let alone = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const text = blockDocument(seed);
      total++;
      const outcome = leanOutcome(text);
      if (outcome === undefined) return;
      lean++;
      if (/!(?!!str )[!a-z]*[ \t]/.test(text)) tagged++;
      if (TAG_ALONE.test(text)) alone++;
      if ('refused' in outcome) refused++;
      else if (outcome.kubectlRefuses !== undefined) kubectlRefuses++;
      checkOutcome(text, outcome);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 1500) },
  );
  // The generator must reach the lean path often, or the comparison proves little; tags other than `!!str` and go-yaml's refusals too (tags17).
  assert.ok(lean > total / 8, `only ${lean} of ${total} generated documents were read on the lean path`);
  assert.ok(tagged > lean / 4, `only ${tagged} of ${lean} read on the lean path held a tag other than !!str`);
  assert.ok(refused > lean / 50 && kubectlRefuses > lean / 50, `only ${refused} refused and ${kubectlRefuses} noted as refused by kubectl of ${lean}`);
  // Tags alone on their lines (tagline17) reach the lean path too.
  assert.ok(alone > lean / 20, `only ${alone} of ${lean} read on the lean path held a tag alone on its line`);
});

/** A tag (and maybe an anchor or comment) ending its line: the generator's tagAlone. */
const TAG_ALONE = /[ -]![!a-z]*(?: &a\d+)?(?: # c)?\n/;

test('the lean path reads generated block documents with repeated keys as the full exact reader does, or leaves them to it', () => {
  let repeats = 0;
  let total = 0;
  let deep = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const text = blockDocument(seed, false);
      const full = fullReading(text);
      if ('refused' in full || full.duplicates.length === 0) return;
      total++;
      const reading = readLean(text);
      if (reading === undefined) return;
      repeats++;
      if (reading.duplicates.some((d) => (d.segments?.length ?? 0) > 1)) deep++;
      checkAgainstFullReader(text, reading);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 1500) },
  );
  // Most documents with repeats must be read here (merges between a key's two occurrences and keys of two types are not), some nested.
  assert.ok(repeats > total / 3, `only ${repeats} of ${total} generated documents with repeated keys were read on the lean path`);
  assert.ok(deep > repeats / 10, `only ${deep} of ${repeats} had a repeat below the top level`);
});

test('what the lean path must not read is left to the full reader', () => {
  const left = [
    'a: y\nb: !!merge x\n', // `!!merge` makes any key a merge key
    'a: y\nb:\n  <<: !!int x\n', // go-yaml's merge error comes before the tag's
    'a: y\nb: !!int\n  3\n', // a tag alone on its line
    'a: y\nb: [!!int , 1]\n', // an empty tagged node
    'a: &x y\nb: !!str *x\n', // a tag on an alias (go-yaml: "did not find expected key")
    'a: y\nb: !<tag:x> c\n', // a verbatim tag
    'a: y\nb: !foo,b c\n', // go-yaml takes `,` into the tag's name
    'a: &x\n  k: 1\n*x : y\n', // an alias as a key (go-yaml: "invalid map key"; js-yaml: `[object Object]`)
    'a: y\n.inf: 1\n', // a `.inf` key (the full reader notes a refusal, kubectl reads it)
    'a: y\nb: "x\\\n\n  c"\n', // an escaped line break before a blank line: three readings
    'a: y\nb:\n  c: "x\n  d"\n', // a quoted scalar going on at its key's indentation (the full reader notes it)
    'x: &a\n  k: 1\ny:\n  b: 1\n  <<: *a\n  b: 2\n', // a repeated key beside a merge
    '1: a\n"1": b\n', // a key repeated with another type (the full reader adds a note)
    'a: 1\n<<: &m\n  k: 1\n<<: *m\n', // a repeated merge key
    'a: y\n...\nb: 1\n', // a second document
    '~: y\n', // a null key
    'x: &l [{k: 1}]\ny: {<<: *l}\n', // an alias to a list merged (go-yaml refuses it; js-yaml's alias is the list itself)
    'x: &a {k: 1}\ny: {<<: [*a, 1]}\n', // a merged list with an item that is no mapping (go-yaml's error, the full reader's to give)
    'x: &a 1\ny: {<<: *a}\n', // a merged scalar
    'x: &a {k: 1}\ny:\n  1: z\n  <<: *a\n', // integer-like key beside a merge
    '%YAML 1.1\n---\na: y\n', // a directive
    '? \n: 1\n', // an empty explicit key (go-yaml: a null key; js-yaml: "null"); the ones read alike: go-yaml-lean-explicit-keys.test.ts
    '? [a]\n: 1\n', // a collection as explicit key (go-yaml: "invalid map key"; js-yaml: "a")
    '? a: 1\n: 2\n', // a mapping as explicit key
    '[a]: y\n', // a collection as key
    'a: y\rb: 1\n', // a lone CR
    'a: 9223372036854775808\n', // past int64
    'a: !!str\n  y\n', // a tag alone on its line before a plain scalar go-yaml does not read as a string: js-yaml drops the tag
    'a: !!str\n  -1\n',
    'a: !!str\n  <<\n',
    'a: !!str\n  .inf\n',
    'a: !!float\n  >\n    3\n', // before a block scalar: js-yaml drops the tag
    'a: !!str\nb: y\n', // an empty tagged node
    'a: !!map\nb: x\n',
    '- a: !!map\n  b: x\n', // the next line is the key's sibling, not its value
    'a: !!str\n', // at the end of the text
    'a: &x y\nb: !!str\n  *x\n', // an alias on the next line (go-yaml: "did not find expected key")
    'a: !!str\n  &b y\n', // properties on the next line
    'a: !!str\n  !!int 3\n',
    'a: !!seq\n- x\n', // a list at its key's indentation: told from an empty node by indentation only, so left
    '!!map\na: x\n', // a tag starting its line's node without a `-`: its owner is on an earlier line
    'a: !!str\n \t y\n', // a tab
    'x: &a\n  y: &a 1\nz: {<<: *a}\n', // a merged scalar: `*a` names the inner `&a` for go-yaml (go-yaml-lean-rebind.ts), not the mapping
  ];
  for (const text of left) assert.equal(readLean(text), undefined, JSON.stringify(text));
  // A repeat beside flow text was left here until giveup17; the flow collection is now read behind a placeholder.
  assert.deepStrictEqual(readLean('a: [1]\na: 2\n'), decodeLikeKubectl('a: [1]\na: 2\n'));
});

test('each hostile block class is read on the lean path, the `yaml` parser never', () => {
  for (const hostile of BLOCK.filter((c) => c.name.includes('exact reader'))) {
    const text = hostile.generate(64 * 1024);
    const [leanBefore, parsesBefore] = [leanReadCount(), yamlParseCount()];
    const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    assert.deepEqual(errors, [], hostile.name);
    assert.equal(documents.length, 1, hostile.name);
    assert.equal(leanReadCount() - leanBefore, 1, `${hostile.name}: read on the lean path`);
    assert.equal(yamlParseCount() - parsesBefore, 0, `${hostile.name}: not parsed by the yaml package`);
    // Same reading as the full exact reader.
    assert.deepStrictEqual(readLean(text)?.value, decodeLikeKubectl(text).value, hostile.name);
    assert.deepStrictEqual(readLean(text)?.duplicates, decodeLikeKubectl(text).duplicates, hostile.name);
  }
});

test('each hostile block class reads as kubectl reads it', requiresKubectl(), () => {
  assert.equal(BLOCK.length, 45);
  const texts = BLOCK.map((c) => c.generate(8 * 1024));
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], BLOCK[i]!.name));
});

test('float keys in flow and block mappings read as kubectl reads them', requiresKubectl(), () => {
  // The flow reader wrote `{123456789.0: x}`'s key as JS does ("123456789"); kubectl writes "1.2345679e+08".
  const texts = ['data: {123456789.0: x, 0.5: y, !!float 2: z, "1.0": q}\nb:\n  123456789.0: x\n  <<: {1.5e3: y}\nc: on\n'].map((t) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\n${t}`);
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});

test('generated block documents read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const texts: string[] = [];
  for (let seed = 1; texts.length < 160; seed++) {
    // A quarter without flow text: repeated keys are read on the lean path there.
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lean\n${blockDocument(seed, seed % 4 !== 0).replace(/^/gm, '  ').replace(/^/, 'data:\n')}`;
    // Only documents parseYamlStream reads on the lean path (a float key alone stays on the fast path).
    const before = leanReadCount();
    parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    if (leanReadCount() > before) texts.push(text);
  }
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});

/** Tags, refusals and escapes the lean path reads since tags17, each checked against kubectl below. */
const TAG_CASES = [
  'a: yes\nb: !!int 3\nc: !!int "7"\nd: !!float 3\ne: !!bool \'true\'\n',
  'a: yes\n!!int 12: x\n!!float 123456789: y\n!!str 13: z\n!foo k: w\n',
  'a: yes\nb: !!binary aGk=\nc: !!binary gA==\nd: !!binary |\n  aGk=\n',
  'a: yes\nb: !foo x\nc: ! 5\nd: !!map x\ne: !!seq y\nf: !!null ~\ng: !!timestamp 2001-01-01\n',
  'a: yes\nb: !!str {k: v}\nc: !l {k: v}\nd: !!seq [1]\n',
  'a: yes\nb: !!float .inf\nc: .nan\n',
  'a: yes\nb: "x\\/y"\nc: .inf\n',
  'a: yes\nb: "x\\\n    y"\nc: "p \\\n    \\ q"\n',
];
/** A tag alone on its line (tagline17): each read on the lean path, as the full reader reads it and as kubectl does. */
const TAG_ALONE_CASES = [
  'a: yes\nb: !!str\n  x\nc: !!int\n  "7"\nd: !foo\n  abc\ne: !\n  a b\n',
  'a: yes\nb: !!map\n  k: 1\n  j: on\nc: &m !!map\n  k: 2\nd: *m\n',
  'a: yes\nb: !!seq\n  - 1\n  - y\nc: &l\n  - 1\nd: *l\n',
  'a: yes\nb: !!str # c\n\n  # d\n  x\n  y\nc: !!binary\n  aGk=\nd: !!str &s\n  v\ne: *s\n',
  'a: yes\nb:\n- !!str\n  x\n- !!map\n  k: no\n- !!str\n  [a, 1]\n- !!int\n  {k: v}\n',
];
const TAG_REFUSALS = ['a: yes\nb: !!int abc\n', 'a: yes\nb: !!int\n  abc\n', 'a: yes\nb: !!null\n  "x"\n', 'a: yes\nb: !!binary a!\nc: !!int x\n', 'a: yes\n!!bool 3: x\n', 'a: yes\nb: !!timestamp 1\n'];

test('tags, `.inf`, `\\/` and escaped line breaks are read on the lean path as the full reader reads them, refusals word for word', () => {
  for (const text of [...TAG_CASES, ...TAG_ALONE_CASES, ...TAG_REFUSALS]) {
    const outcome = leanOutcome(text);
    assert.ok(outcome !== undefined, `left to the full reader: ${JSON.stringify(text)}`);
    checkOutcome(text, outcome);
    assert.equal('refused' in outcome, TAG_REFUSALS.includes(text), text);
  }
  // The note and the refusal the full reader gives are there.
  assert.deepEqual((readLean(TAG_CASES[2]!) as { notes: string[] }).notes.length, 1);
  assert.match(readLean(TAG_CASES[5]!)?.kubectlRefuses ?? '', /Infinity/);
  assert.match(readLean(TAG_CASES[6]!)?.kubectlRefuses ?? '', /unknown escape/);
});

test('tags, refusals and escapes read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const texts = [...TAG_CASES, ...TAG_ALONE_CASES, ...TAG_REFUSALS].map((t) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\ndata:\n${t.replace(/^/gm, '  ').trimEnd()}\n`);
  // A sample of generated documents with tags read on the lean path too.
  for (let seed = 1; texts.length < 80; seed++) {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lean\n${blockDocument(seed).replace(/^/gm, '  ').replace(/^/, 'data:\n')}`;
    if (!/!(?!!str )[!a-z]*[ \t]/.test(text)) continue;
    const before = leanReadCount();
    parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    if (leanReadCount() > before) texts.push(text);
  }
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
