import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { leanReadCount, readLean } from '../../src/sources/go-yaml-lean.js';
import { MAX_MERGED_ENTRIES, MERGE_BOMB } from '../../src/sources/go-yaml-values.js';
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
  // Anchors across a region's edge (region17): `&@` defines a fresh name (now and then one already
  // used), `*@` names one defined before it, or one defined later, or the node's own (see anchorNames).
  '[&@ a,\n      b]',
  '[*@,\n      b]',
  '{k: &@ {m: yes}, j: *@,\n      n: 1}',
  '[{<<: *@, z: 1},\n      &@ [x, y]]',
  '{a: *@, a: 2,\n      b: &@ on}',
  '&@ [p,\n      q]',
  '&@ [*@,\n      q]',
  '[*@, &@ 0777,\n      *@]',
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

/**
 * Anchor names for `&@` and `*@` as a document is written top to bottom. Each name remembers
 * whether a region (a multi-line flow template) defined it, so that a document can tell whether
 * an alias crosses a region's edge: to a region's anchor from outside it, or from a region to an
 * anchor outside it.
 */
class AnchorNames {
  private readonly defined = new Map<string, number | undefined>([['top', undefined]]);
  private next = 0;
  crossing = false;
  constructor(private readonly pick: (n: number) => number) {}
  /** `&@` in `region` (undefined: block text): a fresh name, or one in 8 times a name defined before. */
  define(region: number | undefined): string {
    const names = [...this.defined.keys()];
    const name = this.pick(8) === 0 ? (names[this.pick(names.length)] as string) : `r${this.next++}`;
    this.defined.set(name, region);
    return name;
  }
  /** `*@` in `region`: a name defined before (the node's own included), or one in 10 times the next fresh one (not defined yet). */
  alias(region: number | undefined): string {
    if (this.pick(10) === 0) return `r${this.next}`;
    const names = [...this.defined.keys()];
    const name = names[this.pick(names.length)] as string;
    if (this.defined.get(name) !== region) this.crossing = true;
    return name;
  }
  /** A template with its `&@` and `*@` filled in, left to right, all in `region`. */
  fill(template: string, region: number | undefined): string {
    return template.replace(/([&*])@/g, (_, sigil: string) => `${sigil}${sigil === '&' ? this.define(region) : this.alias(region)}`);
  }
}

/** A block document under `data:` with lean triggers, flow collections, long lines, repeats, merges and anchors at random. */
function generated(seed: number): { text: string; crossing: boolean } {
  const pick = random(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const names = new AnchorNames(pick);
  let regions = 0;
  const lines = ['top: &top {name: base, value: x}'];
  const flow = (indent: string): string => names.fill(one(FLOW), regions++).replace(/\n {6}/g, `\n${indent}  `);
  const scalar = (): string => (pick(5) === 0 ? names.fill(one(['*@', '&@ yes', '&@ {m: 1}'])!, undefined) : one(LEAN_SCALARS));
  const entry = (indent: string, lead: string): void => {
    const key = one(KEYS);
    const kind = pick(8);
    if (kind < 3) lines.push(`${lead}${key}: ${scalar()}`);
    else if (kind < 5) lines.push(`${lead}${key}: ${flow(indent)}`);
    else if (kind === 5) lines.push(`${lead}${key}: ${pick(6) === 0 ? one(LONG) : scalar()}`);
    else if (kind === 6) lines.push(`${lead}<<: ${pick(3) === 0 ? names.fill('*@', undefined) : '*top'}`);
    else {
      // A block collection, anchored now and then (an alias inside it then names what holds it).
      lines.push(`${lead}${key}:${pick(4) === 0 ? ` ${names.fill('&@', undefined)}` : ''}`);
      const items = 1 + pick(3);
      for (let i = 0; i < items; i++) {
        if (pick(2) === 0) lines.push(`${indent}- ${flow(indent)}`);
        else entry(`${indent}  `, `${indent}- `);
      }
    }
  };
  const entries = 2 + pick(6);
  for (let i = 0; i < entries; i++) entry('', '');
  let text = `${lines.join('\n')}\n`;
  if (pick(4) === 0) text = text.replace(/\n/g, (m) => (pick(5) === 0 ? '\u2028' : m));
  return { text, crossing: names.crossing };
}

function mixedDocument(seed: number): string {
  return generated(seed).text;
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
  let crossing = 0;
  let crossingLean = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const generatedDocument = generated(seed);
      const text = generatedDocument.text;
      total++;
      if (generatedDocument.crossing) crossing++;
      const reading = readLean(text);
      if (reading === undefined) return;
      lean++;
      if (generatedDocument.crossing) crossingLean++;
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
  // Aliases across a region's edge (region17): many such documents are made, and a share is read here.
  assert.ok(crossing > total / 5, `only ${crossing} of ${total} generated documents had an alias across a region's edge`);
  assert.ok(crossingLean > crossing / 6, `only ${crossingLean} of ${crossing} documents with an alias across a region's edge were read on the lean path`);
});

test('what the lean path must leave to the full reader with flow collections and long lines', () => {
  const left = [
    'a: yes\nb: ["q", [?x]]\n', // a glued `?` (the full reader rewrites the text first)
    'a: yes\nb: !!str ["q", -]\n', // a lone dash in flow text js-yaml reads itself (a tagged collection is no region)
    'a: yes\nb: ["q", - ]\n', // a dash before a blank: go-yaml's error too
    '\uFEFFa: yes\nb: ["q",\n  2]\n', // a BOM (js-yaml's offsets move)
    'a: yes\nb: ["q",\n  2]\nc: \uE000\n', // the placeholder character itself
    `a: yes\n${'k'.repeat(1100)}: v\n`, // a key over 1024 characters: go-yaml refuses it
    `a: yes\n- ${'k'.repeat(1100)}: v\n`,
    `a: yes\nb: "${'x'.repeat(1100)}\n  continued"\n`, // a long line whose value goes on
    `a: yes\nb: ${'x'.repeat(1100)}: c\n`, // a long plain value holding `: `
  ];
  for (const text of left) assert.equal(readLean(text), undefined, JSON.stringify(text));
  // A `[` in a block scalar's body opens no flow collection for the routing checks since quoteaware17
  // (yaml-syntax-mask.ts): read on the lean path (it was left here), alone and beside a region.
  for (const text of ['a: yes\nb: |\n  [x,\n    y]\n', 'a: yes\nb: |\n  [x,\n    y]\nc: [d,\n  e]\n']) assert.deepStrictEqual(readLean(text), decodeLikeKubectl(text), text);
});

/** Anchors across a region's edge that the lean path reads (region17), each as the full reader reads it. */
const ACROSS = [
  'a: yes\nb: [&x 1,\n  2]\nc: *x\n', // a region's anchor aliased after it
  'a: &x yes\nb: [*x,\n  2]\n', // a region's alias to a block anchor before it
  'a: &x\n  m: on\nb: [*x,\n  2]\nc: *x\n', // to a block mapping: the same node everywhere
  'a: yes\nb: [&x {m: 1},\n  2]\nc: [*x,\n  3]\nd: {<<: *x}\ne:\n  <<: *x\n  n: 2\n', // another region's anchor, merged in flow and block
  'top: &t {k: 1}\na: yes\nb: [{<<: *t, j: 2},\n  2]\nc: *t\n', // a merge in a region from a one-line flow anchor
  'a: yes\nb: &p [&x 1,\n  2]\nc: *x\nd: *p\n', // an anchored region (js-yaml constructs it twice)
  'a: yes\nb: [&x 1,\n  2]\nc: [*x, *x]\n', // aliased from one-line flow text js-yaml reads itself
  't: &t {k: 1, k: 2}\na: yes\nb: {k: *t, k: 2,\n  j: 1}\n', // a repeat in a region whose first value is an alias outside
  'a: &x yes\nb: [&x 1,\n  2]\nc: *x\n', // an anchor defined again in a region: the region's, the last (anchors17)
  'a: yes\nb: &x [&x 1,\n  2]\nc: *x\n', // an anchored region defining its own name inside: the inner one (go-yaml-lean-rebind.ts)
  'a: &x\n  m: 1.0\nb: [*x,\n  &y {k: *x}]\nc: [*y,\n  yes]\nd: *y\n', // a chain: region to block, region to region
];

/** A `-` alone before `,`, `]` or `}` in a region: go-yaml's string "-" (region17). */
const LONE_DASH = ['a: yes\nb: ["q", -]\n', 'a: on\nb: {k: -,\n  j: [-]}\n', 'a: on\nb:\n- [-, x]\n- {k: &d -}\nc: *d\n'];

test('a lone `-` in a region is read on the lean path as the full reader reads it', () => {
  for (const text of LONE_DASH) {
    const reading = readLean(text);
    assert.ok(reading, `read on the lean path: ${JSON.stringify(text)}`);
    checkAgainstFullReader(text, reading);
  }
  assert.deepEqual((readLean(LONE_DASH[0]!)!.value as { b: unknown }).b, ['q', '-']);
});

test('anchors across a region\'s edge are read on the lean path as the full reader reads them', () => {
  for (const text of ACROSS) {
    const reading = readLean(text);
    assert.ok(reading, `read on the lean path: ${JSON.stringify(text)}`);
    checkAgainstFullReader(text, reading);
  }
  // Aliases are the anchor's node itself, as in go-yaml and the full reader: the alias caps count them so.
  const shared = readLean(ACROSS[2]!)!.value as { a: unknown; b: unknown[]; c: unknown };
  assert.equal(shared.b[0], shared.a);
  assert.equal(shared.c, shared.a);
  const chained = readLean(ACROSS.at(-1)!)!.value as { b: [unknown, { k: unknown }]; c: unknown[]; d: unknown; a: unknown };
  assert.equal(chained.c[0], chained.b[1]);
  assert.equal(chained.d, chained.b[1]);
  assert.equal(chained.b[1].k, chained.a);
});

test('what the lean path leaves to the full reader across a region\'s edge, which refuses or reads it', () => {
  const left = [
    'a: yes\nc: *x\nb: [&x 1,\n  2]\n', // an alias before the region's anchor: go-yaml's unknown anchor
    'a: yes\nb: [*x,\n  2]\nc: &x 1\n', // a region's alias to an anchor after it
    'a: yes\nb: [*x, &x 1,\n  2]\n', // to its own anchor, written after the alias
    'a: &p [*p,\n  1]\n', // to the region's own anchor: contains itself
    'a: &a\n  b: [*a,\n   1]\n', // to the block mapping holding it: contains itself
    '1: *s\nx: &t\n  b: &s [*t,\n   1]\n', // the same, reached first through an alias
    'a: yes\nb: [&x 1,\n  2]\n*x : 3\n', // an alias to a region's anchor as a key
    'a: &x {~: 1}\nb: [{<<: *x},\n  2]\n', // a null key merged into a region
  ];
  for (const text of left) {
    assert.equal(readLean(text), undefined, JSON.stringify(text));
    const full = fullReading(text);
    if (!('refused' in full)) continue;
    assert.match(full.refused, /unknown anchor|contains itself|null/, JSON.stringify(text));
  }
});

test('aliases of a region\'s anchor count towards the alias caps on the lean path', () => {
  // Under 64 KB the exact reader reads first: the lean path reads the document, and the cap refuses it.
  const anchor = `[${Array.from({ length: 3000 }, (_, i) => `v${i}`).join(',\n    ')}]`;
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  on: yes\n  x: &a ${anchor}\n  y:\n${'  - *a\n'.repeat(2000)}`;
  assert.ok(text.length < 64 * 1024);
  const before = leanReadCount();
  const read = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  assert.equal(leanReadCount() - before, 1, 'read on the lean path');
  assert.equal(read.errors.length, 1);
  assert.match(read.errors[0]!.message, /YAML aliases expand to more than .* refusing a likely alias bomb$/);
  // Merges of a region's anchor past MAX_MERGED_ENTRIES: the lean path refuses them as the full reader does.
  const keys = `{${Array.from({ length: 3000 }, (_, i) => `k${i}: v`).join(',\n   ')}}`;
  const merges = `a: yes\nx: &a ${keys}\ny:\n${'- <<: *a\n'.repeat(Math.ceil(MAX_MERGED_ENTRIES / 3000) + 1)}`;
  assert.throws(() => readLean(merges), (e: Error) => e.message === MERGE_BOMB);
  assert.throws(() => decodeLikeKubectl(merges), (e: Error) => e.message === MERGE_BOMB);
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

// Classes read by the full reader with runs ("full reader with runs") are not lean-trigger mixes.
const MIXES = HOSTILE_CLASSES.filter((c) => /beside a|multi-line flow maps/.test(c.name) && !/full reader/.test(c.name));

test('each lean-trigger mix of the growth bench is read on the lean path, the `yaml` parser never', () => {
  assert.equal(MIXES.length, 10);
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

test('documents with anchors across a region\'s edge or a lone `-` read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const wrap = (body: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lean\n${body.replace(/^/gm, '  ').replace(/^/, 'data:\n')}`;
  const texts = [...ACROSS, ...LONE_DASH].map(wrap);
  for (let seed = 1; texts.length < ACROSS.length + LONE_DASH.length + 60 && seed < 100_000; seed++) {
    const { text, crossing } = generated(seed);
    if (!crossing) continue;
    const wrapped = wrap(text);
    const before = leanReadCount();
    parseYamlStream(wrapped, DEFAULT_PARSE_LIMITS);
    if (leanReadCount() > before) texts.push(wrapped);
  }
  assert.equal(texts.length, ACROSS.length + LONE_DASH.length + 60);
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
