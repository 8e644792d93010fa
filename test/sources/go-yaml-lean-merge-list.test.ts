import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { leanReadCount, readLean } from '../../src/sources/go-yaml-lean.js';
import { MAX_MERGED_ENTRIES, MERGE_BOMB } from '../../src/sources/go-yaml-values.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * A merged list (`<<: [*a, {…}]`, issue 17, mergelist17) on the exact reader's lean path: go-yaml
 * merges a written-out list whose every item is a mapping (written out or aliased), the items last
 * to first so an earlier one wins, each overriding what the mapping holds so far, and a later
 * explicit key overrides them; an alias to a list, or an item that is no mapping, is its error
 * ("map merge requires map or sequence of maps as the value"). Generated documents mix merged lists
 * written in flow (one line, or over lines: the flow reader's region) and block style, with items
 * aliased and written out, keys several items set with different values, explicit keys before and
 * after, repeats, empty lists, two merges, and items go-yaml refuses; the lean path must read them
 * as the full exact reader does or leave them to it, and read a good share itself.
 */

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

const KEYS = ['name', 'value', 'k', 'on', 'j'];
const VALUES = ['x', 'y', '1', 'yes', '~', '"q"', '0x1F', 'z'];
/** Values with a note (`!!binary` not UTF-8) or a kubectl refusal (`.inf`), kept in the full reader's walk order; rarer (in a flow region they leave the document to the full reader). */
const NOTED = ['.inf', '!!binary gA==', '-.inf'];
/** Items go-yaml refuses in a merged list. */
const NOT_MAPPINGS = ['*l', '1', '~', '[{k: 1}]', '"s"', '[]'];

interface Generated {
  readonly text: string;
  /** Some merged list has two mappings setting one key to different values: which one wins shows. */
  readonly contested: boolean;
}

/**
 * Anchors (block, one-line flow and multi-line flow mappings, and a list `&l`), then a list of
 * mappings, each with a few explicit keys and a merge of a list (or, rarely, two merges, an alias to
 * the list, an empty list) at any place among them.
 */
function mergeListDocument(seed: number): Generated {
  const pick = random(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const pairs = (n: number): [string, string][] => Array.from({ length: n }, () => [one(KEYS), pick(40) === 0 ? one(NOTED) : one(VALUES)]);
  const anchors = new Map<string, [string, string][]>();
  const lines: string[] = ['l: &l', '- k: 1'];
  for (let a = 0; a < 1 + pick(3); a++) {
    const entries = pairs(1 + pick(3));
    const name = `m${a}`;
    const style = pick(3);
    if (style === 0) lines.push(`b${a}: &${name}`, ...entries.map(([k, v]) => `  ${k}: ${v}`));
    else if (style === 1) lines.push(`b${a}: &${name} {${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
    else lines.push(`b${a}: &${name} {${entries.map(([k, v]) => `${k}: ${v}`).join(',\n    ')}}`);
    // go-yaml keeps a repeated key's last value.
    anchors.set(name, [...new Map(entries)]);
  }
  let contested = false;
  /** A merged list's items (their text in flow and block style) and whether two set one key differently. */
  const mergeList = (): { flow: string[]; block: string[][] } => {
    const flow: string[] = [];
    const block: string[][] = [];
    const set = new Map<string, string>();
    const count = pick(8) === 0 ? 0 : 1 + pick(3);
    for (let i = 0; i < count; i++) {
      let entries: [string, string][] | undefined;
      const kind = pick(20);
      if (kind === 0) {
        const bad = one(NOT_MAPPINGS);
        flow.push(bad);
        block.push([bad]);
      } else if (kind < 10) {
        const name = one([...anchors.keys()]);
        entries = anchors.get(name);
        flow.push(`*${name}`);
        block.push([`*${name}`]);
      } else {
        entries = [...new Map(pairs(1 + pick(3)))];
        flow.push(`{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
        block.push(pick(2) === 0 ? [flow.at(-1)!] : entries.map(([k, v]) => `${k}: ${v}`));
      }
      for (const [k, v] of entries ?? []) {
        if (set.has(k) && set.get(k) !== v) contested = true;
        set.set(k, v);
      }
    }
    return { flow, block };
  };
  lines.push('items:');
  for (let item = 0; item < 1 + pick(4); item++) {
    const entries: string[][] = pairs(1 + pick(4)).map(([k, v]) => [`${k}: ${v}`]);
    const merges = pick(8) === 0 ? 2 : 1;
    for (let m = 0; m < merges; m++) {
      const { flow, block } = mergeList();
      const shape = pick(12);
      let merge: string[];
      if (shape === 0) merge = ['<<: *l'];
      else if (shape < 5) merge = [`<<: [${flow.join(', ')}]`];
      else if (shape < 7 && flow.length > 1) merge = [`<<: [${flow.join(',\n      ')}]`];
      else if (block.length === 0) merge = ['<<: []'];
      else merge = ['<<:', ...block.flatMap((lines) => lines.map((line, i) => `    ${i === 0 ? '- ' : '  '}${line}`))];
      entries.splice(pick(entries.length + 1), 0, merge);
    }
    const flat = entries.flat();
    lines.push(`- ${flat[0]}`, ...flat.slice(1).map((line) => `  ${line}`));
  }
  return { text: `${lines.join('\n')}\n`, contested };
}

function fullReading(text: string): ReturnType<typeof decodeLikeKubectl> | { refused: string } {
  try {
    return decodeLikeKubectl(text);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** The lean path's reading, its refusal word for word, or undefined when it left the text to the full reader. */
function leanOutcome(text: string): ReturnType<typeof readLean> | { refused: string } {
  try {
    return readLean(text);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

function sameAsFull(text: string, outcome: NonNullable<ReturnType<typeof leanOutcome>>): void {
  const full = fullReading(text);
  if ('refused' in outcome) return assert.deepEqual(full, outcome, text);
  assert.ok(!('refused' in full), `the full reader refuses (${'refused' in full ? full.refused : ''}) what the lean path reads:\n${text}`);
  assert.deepStrictEqual(outcome.value, full.value, text);
  // Key order too: findings and reports walk objects in order.
  assert.equal(JSON.stringify(outcome.value), JSON.stringify(full.value), text);
  assert.deepEqual(outcome.notes, full.notes, text);
  assert.equal(outcome.kubectlRefuses, full.kubectlRefuses, text);
  assert.deepStrictEqual(outcome.duplicates, full.duplicates, text);
}

test('merged lists read on the lean path as the full exact reader reads them, or are left to it', () => {
  let total = 0;
  let lean = 0;
  let contested = 0;
  let refusedByFull = 0;
  let repeats = 0;
  let regions = 0;
  let noted = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const generated = mergeListDocument(seed);
      const full = fullReading(generated.text);
      if ('refused' in full) refusedByFull++;
      else total++;
      const outcome = leanOutcome(generated.text);
      if (outcome === undefined) return;
      sameAsFull(generated.text, outcome);
      if ('refused' in outcome) return;
      lean++;
      if (generated.contested) contested++;
      if (outcome.duplicates.length > 0) repeats++;
      if (outcome.notes.length > 0 || outcome.kubectlRefuses !== undefined) noted++;
      if (/<<: \[[^\]\n]*,\n/.test(generated.text)) regions++;
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 1500) },
  );
  // The generator must reach the lean path often (most of the rest holds two merges, an item go-yaml
  // refuses, a merge between a key's two occurrences, or the key `on` (JSON "true", which may be a
  // bool or a string: left to the full reader, go-yaml-merge-key-types.test.ts) met twice in a
  // merge: about 33%), with items that contest a key (so that
  // the order of the items shows), repeats, lists over lines (read by the flow reader), and notes.
  assert.ok(lean > total * 0.28, `only ${lean} of ${total} generated documents the full reader reads were read on the lean path`);
  assert.ok(contested > lean / 4, `only ${contested} of ${lean} read on the lean path had items setting one key differently`);
  assert.ok(repeats > lean / 20 && regions > lean / 20 && noted > lean / 50, `${repeats} with repeats, ${regions} with a list over lines, ${noted} with a note or refusal, of ${lean}`);
  assert.ok(refusedByFull > 0, 'no generated document held a merge go-yaml refuses');
});

/** go-yaml's reading of each (kubectl, checked below): the merged list's order, explicit keys around it, empty and nested merges. */
const CASES: readonly [string, unknown][] = [
  ['a: &a {k: 1, j: 1}\nb: &b {k: 2, m: 2}\nd:\n  <<: [*a, *b]\n', { k: 1, j: 1, m: 2 }],
  ['a: &a {k: 1, j: 1}\nb: &b {k: 2, m: 2}\nd:\n  k: e\n  <<: [*a, *b]\n', { k: 1, j: 1, m: 2 }],
  ['a: &a {k: 1, j: 1}\nb: &b {k: 2, m: 2}\nd:\n  <<: [*b, *a]\n  k: e\n', { k: 'e', j: 1, m: 2 }],
  ['d:\n  <<:\n  - k: "1"\n  - k: "2"\n    j: "3"\n  z: x\n', { k: '1', j: '3', z: 'x' }],
  ['d:\n  <<: []\n  a: b\n', { a: 'b' }],
  ['d:\n  <<: [{<<: [{a: 1}, {a: 2, b: 3}], b: 4}, {c: 5}]\n', { a: 1, b: 4, c: 5 }],
  ['a: &a {k: 1}\nd:\n  <<:\n  - *a\n  - {k: 2, q: 3}\n', { k: 1, q: 3 }],
  ['a: [&a {k: 1},\n  2]\nd:\n  <<: [*a, {j: 1}]\n', { k: 1, j: 1 }],
  ['d:\n  <<: [{k: 1},\n    {k: 2, j: 2}]\n', { k: 1, j: 2 }],
];

test('merged lists: an earlier item wins, a merge overrides an earlier explicit key, a later one overrides the merge', () => {
  for (const [text, expected] of CASES) {
    const before = leanReadCount();
    const reading = readLean(text);
    assert.ok(reading, `left to the full reader: ${JSON.stringify(text)}`);
    assert.equal(leanReadCount() - before, 1);
    assert.deepStrictEqual((reading.value as { d: unknown }).d, expected, text);
    sameAsFull(text, reading);
  }
});

test('what go-yaml refuses in a merge, and merges of lists that may be aliases, are left to the full reader', () => {
  const refused = [
    'd:\n  <<: [{k: 1}, 3]\n',
    'd:\n  <<: [3, {k: 1}]\n',
    'd:\n  <<: [[{k: 1}]]\n',
    'd:\n  <<: [~]\n',
    'l: &l [{k: 1}]\nd:\n  <<: *l\n', // an alias to a list of mappings: js-yaml's alias is that list itself
    'l: &l\n- k: 1\nd:\n  <<: *l\n',
    'l: &l [{k: 1}]\nd:\n  <<: [*l]\n',
    'l: [&l [{k: 1}],\n  2]\nd:\n  <<: *l\n', // an anchor inside a flow region
  ];
  for (const text of refused) {
    assert.equal(readLean(text), undefined, JSON.stringify(text));
    assert.throws(() => decodeLikeKubectl(text), /map merge requires map or sequence of maps as the value/, text);
  }
  // A list anchored where it is merged is read by go-yaml; left to the full reader all the same (it may be an alias).
  assert.equal(readLean('d:\n  <<: &l [{k: 1}]\n'), undefined);
  assert.deepStrictEqual(decodeLikeKubectl('d:\n  <<: &l [{k: 1}]\n').value, { d: { k: 1 } });
});

test('a merged list copying more than MAX_MERGED_ENTRIES is refused as the full reader refuses it, never read past the cap', () => {
  const keys = 1000;
  const anchor = `a: &a\n${Array.from({ length: keys }, (_, i) => `  k${i}: v`).join('\n')}\n`;
  const merged = (items: number): string => `${anchor}d:\n  <<:\n${'  - *a\n'.repeat(items)}  z: 1\n`;
  // At the cap: read on the lean path.
  const at = merged(MAX_MERGED_ENTRIES / keys);
  const reading = readLean(at);
  assert.ok(reading, 'a merged list at the cap is read on the lean path');
  assert.equal(Object.keys((reading.value as { d: object }).d).length, keys + 1);
  // One item more: the lean path refuses it as the full reader does (not handing it over to be
  // refused at 3.8 s of CPU per MB), and the scan says so.
  const past = merged(MAX_MERGED_ENTRIES / keys + 1);
  assert.throws(() => readLean(past), (e: Error) => e.message === MERGE_BOMB);
  assert.throws(() => decodeLikeKubectl(past), (e: Error) => e.message === MERGE_BOMB);
  const { errors } = parseYamlStream(past, DEFAULT_PARSE_LIMITS);
  assert.ok(errors.some((e) => JSON.stringify(e).includes('refusing a likely alias bomb')), JSON.stringify(errors).slice(0, 300));
  // Where JS put integer-like keys first the lean walk may meet the cap before an error the full
  // reader's walk meets first (here go-yaml's merge error): left to the full reader, which says so.
  const reordered = `${anchor}e:\n  <<: [1]\n0:\n  <<:\n${'  - *a\n'.repeat(MAX_MERGED_ENTRIES / keys + 1)}`;
  assert.equal(readLean(reordered), undefined);
  assert.throws(() => decodeLikeKubectl(reordered), /map merge requires map or sequence of maps as the value/);
});

test('merged lists read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const texts = CASES.map(([text]) => text);
  // Bounded: with nothing read lean the loop would never end (about 40% of seeds are read lean today).
  for (let seed = 1; texts.length < 70 && seed <= 1000; seed++) {
    const { text } = mergeListDocument(seed);
    const outcome = leanOutcome(text);
    if (outcome === undefined || 'refused' in outcome) continue;
    texts.push(text);
  }
  assert.equal(texts.length, 70, 'too few generated documents were read on the lean path');
  const wrapped = texts.map((text) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n${text.replace(/^/gm, '  ').trimEnd()}\n`);
  const oracle = kubectlDecodeAll(wrapped);
  wrapped.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
