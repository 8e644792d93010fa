import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { leanReadCount, readLean } from '../../src/sources/go-yaml-lean.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * The lean path's flow collections and long lines (giveup17, issue 17): a block document with a lean
 * trigger and a flow collection js-yaml reads otherwise than go-yaml (multi-line, quoted, commented,
 * tagged, with repeats or merges), or a line over 1024 characters, is read on the lean path with the
 * flow reader behind placeholders (go-yaml-lean-flow.ts, go-yaml-long-lines.ts). Its reading must be
 * the full exact reader's (values, key order, notes, repeats in order), or the lean path gives up.
 */

const LEAN_SCALARS = ['yes', 'on', 'N', '0777', '1.0', '!!str yes', 'plain', '"q"', "'it''s'", '~', '12'];
/** Flow collections: the ones the flow reader reads, and ones the lean path must leave (anchors inside used outside, aliases to outside anchors, a lone dash). */
const FLOW = [
  '[a,\n      b]',
  '["x, y",\n      z]',
  '{k: v, # note\n      j: yes}',
  '[!!int 3, !!str 0777,\n      on]',
  '{k: 1,\n      k: 2}',
  '{k: 1, k: [a,\n      b], j: {m: 1, m: 2}}',
  '{<<: {a: 1}, b: 2,\n      c: 3}',
  '[{n: 1, n: 2},\n      {n: 3}]',
  '[]',
  '{}',
  '[ "a" ]',
  `["${'x'.repeat(1100)}"]`,
  '[&in a,\n      b]',
  '[*top,\n      b]',
  '[a, -]',
];
const LONG = [`"${'x'.repeat(1100)}"`, 'y'.repeat(1100), `'${'z'.repeat(1050)}' # c`];
const KEYS = ['name', 'value', 'yes', 'on', 'image', 'k'];

function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

/** A block document under `data:` with lean triggers, flow collections, long lines, repeats and merges at random. */
function mixedDocument(seed: number): string {
  const pick = random(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const lines = ['top: &top {name: base, value: x}'];
  const entry = (indent: string, lead: string): void => {
    const key = one(KEYS);
    const kind = pick(8);
    if (kind < 3) lines.push(`${lead}${key}: ${one(LEAN_SCALARS)}`);
    else if (kind < 5) lines.push(`${lead}${key}: ${one(FLOW).replace(/\n {6}/g, `\n${indent}  `)}`);
    else if (kind === 5) lines.push(`${lead}${key}: ${pick(6) === 0 ? one(LONG) : one(LEAN_SCALARS)}`);
    else if (kind === 6) lines.push(`${lead}<<: *top`);
    else {
      lines.push(`${lead}${key}:`);
      const items = 1 + pick(3);
      for (let i = 0; i < items; i++) {
        if (pick(2) === 0) lines.push(`${indent}- ${one(FLOW).replace(/\n {6}/g, `\n${indent}  `)}`);
        else entry(`${indent}  `, `${indent}- `);
      }
    }
  };
  const entries = 2 + pick(6);
  for (let i = 0; i < entries; i++) entry('', '');
  let text = `${lines.join('\n')}\n`;
  if (pick(4) === 0) text = text.replace(/\n/g, (m) => (pick(5) === 0 ? '\u2028' : m));
  return text;
}

function fullReading(text: string): ReturnType<typeof decodeLikeKubectl> | { refused: string } {
  try {
    return decodeLikeKubectl(text);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

function checkAgainstFullReader(text: string, reading: NonNullable<ReturnType<typeof readLean>>): void {
  const full = fullReading(text);
  assert.ok(!('refused' in full), `the full reader refuses (${'refused' in full ? full.refused : ''}) what the lean path reads:\n${text}`);
  assert.deepStrictEqual(reading.value, full.value, text);
  assert.equal(JSON.stringify(reading.value), JSON.stringify(full.value), text);
  assert.deepEqual(reading.notes, full.notes, text);
  assert.equal(full.kubectlRefuses, undefined, text);
  assert.deepStrictEqual(reading.duplicates, full.duplicates, text);
}

test('block documents with lean triggers beside flow collections and long lines read as the full exact reader reads them, or are left to it', () => {
  let lean = 0;
  let withFlow = 0;
  let repeats = 0;
  let total = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const text = mixedDocument(seed);
      total++;
      const reading = readLean(text);
      if (reading === undefined) return;
      lean++;
      if (/[[{][^\]}]*\n/.test(text)) withFlow++;
      if (reading.duplicates.length > 0) repeats++;
      checkAgainstFullReader(text, reading);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 1500) },
  );
  // The comparison proves little unless many documents, with multi-line flow text and repeats, are read here.
  assert.ok(lean > total / 4, `only ${lean} of ${total} generated documents were read on the lean path`);
  assert.ok(withFlow > lean / 4, `only ${withFlow} of ${lean} held a multi-line flow collection`);
  assert.ok(repeats > lean / 20, `only ${repeats} of ${lean} had a repeated key`);
});

test('what the lean path must leave to the full reader with flow collections and long lines', () => {
  const left = [
    'a: yes\nb: [&x 1,\n  2]\nc: *x\n', // an anchor inside a region, aliased outside (js-yaml would not find it)
    'a: &x yes\nb: [*x,\n  2]\n', // an alias inside a region to an anchor outside
    'a: yes\nb: ["q", -]\n', // a lone dash (the full reader rewrites the text first)
    '\uFEFFa: yes\nb: ["q",\n  2]\n', // a BOM (js-yaml's offsets move)
    'a: yes\nb: ["q",\n  2]\nc: \uE000\n', // the placeholder character itself
    `a: yes\n${'k'.repeat(1100)}: v\n`, // a key over 1024 characters: go-yaml refuses it
    `a: yes\n- ${'k'.repeat(1100)}: v\n`,
    `a: yes\nb: "${'x'.repeat(1100)}\n  continued"\n`, // a long line whose value goes on
    `a: yes\nb: ${'x'.repeat(1100)}: c\n`, // a long plain value holding `: `
    'a: yes\nb: |\n  [x,\n    y]\n', // the finder's `[` in a block scalar comes back as text
  ];
  for (const text of left) assert.equal(readLean(text), undefined, JSON.stringify(text));
});

test('a block key over 1024 characters is an error for kubectl, so the lean path leaves it', requiresKubectl(), () => {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  a: "yes"\n  ${'k'.repeat(1100)}: v\n`;
  assert.match(kubectlDecodeAll([text])[0]!.error ?? '', /could not find expected ':'/);
  assert.equal(readLean(text), undefined);
});

test('a region read twice by js-yaml (an anchored placeholder is first tried as a key) stands for one value', () => {
  const text = 'a: &m {name: BASE,\n  value: yes}\nb:\n  <<: *m\n  c: on\nd: *m\n';
  const reading = readLean(text);
  assert.ok(reading, 'read on the lean path');
  checkAgainstFullReader(text, reading);
  const value = reading.value as Record<string, unknown>;
  assert.equal(value.a, value.d, 'the alias names the region\'s own value');
});

const MIXES = HOSTILE_CLASSES.filter((c) => /beside a|multi-line flow maps/.test(c.name));

test('each lean-trigger mix of the growth bench is read on the lean path, the `yaml` parser never', () => {
  assert.equal(MIXES.length, 5);
  for (const hostile of MIXES) {
    const text = hostile.generate(64 * 1024);
    const [leanBefore, parsesBefore] = [leanReadCount(), yamlParseCount()];
    const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    assert.deepEqual(errors, [], hostile.name);
    assert.equal(documents.length, 1, hostile.name);
    assert.equal(leanReadCount() - leanBefore, 1, `${hostile.name}: read on the lean path`);
    assert.equal(yamlParseCount() - parsesBefore, 0, `${hostile.name}: not parsed by the yaml package`);
    checkAgainstFullReader(text, readLean(text)!);
  }
});

test('the mixes and generated documents read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const texts = MIXES.map((c) => c.generate(8 * 1024));
  for (let seed = 1; texts.length < 100; seed++) {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lean\n${mixedDocument(seed).replace(/^/gm, '  ').replace(/^/, 'data:\n')}`;
    const before = leanReadCount();
    parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    if (leanReadCount() > before && /[[{][^\]}]*\n|.{1025}/.test(text)) texts.push(text);
  }
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});

test('`- -` ending a line reads as kubectl reads it, on the fast path and the exact one', requiresKubectl(), () => {
  // js-yaml took the next entries into the inner list (kubectl differential, KFGUARD_FUZZ_SEED=540461).
  const texts = ['x:\n  c:\n  - -\n  - 0.0\n  - 0o17\n', 'x:\n  c:\n  - -\n  - a\n', 'x:\n- - # c\n- - -\n- b\n'].map((t) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dash\n${t}`);
  for (const text of texts) assert.equal(readLean(text), undefined, text);
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
