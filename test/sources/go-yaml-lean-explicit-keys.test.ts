import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLean } from '../../src/sources/go-yaml-lean.js';
import { findBlockRuns } from '../../src/sources/go-yaml-block-runs.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Explicit keys (`? k` / `: v`) on the lean path (explicit17, issue 17): the one-line scalar and
 * block scalar keys it reads give the full exact reader's reading (value, key order, repeats with
 * implicit keys, notes, refusals), and the shapes js-yaml reads otherwise than go-yaml (empty,
 * collection, compact-mapping, anchored, tagged, continued keys, keys in flow text) stay with the
 * full reader. Then the same documents with runs (go-yaml-block-runs.ts) and against kubectl.
 */

type Reading = { value?: unknown; notes?: readonly string[]; duplicates?: unknown; refuses?: string; error?: string };

const show = (r: Reading | undefined): string => JSON.stringify(r, (_k, v: unknown) => (v === undefined ? '<undefined>' : v));

function full(text: string, runs = false): Reading {
  try {
    const r = decodeLikeKubectl(text, runs ? { readRun: readLean, runBytes: 40 } : {});
    return { value: r.value, notes: r.notes, duplicates: r.duplicates, refuses: r.kubectlRefuses };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function lean(text: string): Reading | undefined {
  try {
    const r = readLean(text);
    return r === undefined ? undefined : { value: r.value, notes: r.notes, duplicates: r.duplicates, refuses: r.kubectlRefuses };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Explicit keys as written at an item's column (`\n` goes on there); the value line may be left out. */
const ALIKE = ['? k', '? name', '? "q"', "? 'yes'", '? 1', '? yes', '? 0x1F', '? a b', '? k  ', '? |\n  text', '? >-\n  t\n  u', '? |+\n  kept', '? |-\n\n  a'];
/** Shapes js-yaml reads otherwise than go-yaml, or that this path does not check: left to the full reader. */
const DIFFER = ['? ', '?', '? [a]', '? {a: 1}', '? - a\n  - b', '? a: 1', '? &q k', '? !!str 1', '? *e', '? a\n  b', '? k # c', '? "a\n  b"', '? |2\n   x', '? \tk'];
/** Rare entries: keys go-yaml refuses or merges (`? ~`, `? <<`), merges beside repeats, keys of two types, explicit keys in flow text (the flow reader's). */
const RARE = ['? ~', '? <<', '<<: {k: m}', '"1": s', 'x: [? a : b]', 'x: {? a: 1}'];
const VALUES = [': 1', ': yes', ': |\n  v', ':', ': {a: 1}', ': [1, 2]', ': *e', ': &m\n  z: 1', ''];
const IMPLICIT = ['name: VAR', 'value: yes', 'k: 2', 'text: 3', 'q: x', 'true: t', 'value: |\n  x'];

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
 * A Pod whose env items mix explicit and implicit keys (keys repeat by chance, an explicit one
 * after an implicit one and back), now and then a shape that must stay with the full reader, and
 * with `trigger` one construct that sends the document to the full reader (so runs are read lean).
 */
/** Documents generated with a shape of DIFFER in them. */
let differing = 0;

function pod(seed: number, trigger: boolean): string {
  const pick = random(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const indent = (text: string, pad: string): string => text.replace(/\n/g, `\n${pad}`);
  const items: string[] = [];
  const count = 4 + pick(10);
  for (let i = 0; i < count; i++) {
    const entries: string[] = [];
    for (let e = 1 + pick(4); e > 0; e--) {
      const kind = pick(40);
      if (kind === 0) entries.push(one(RARE));
      else if (kind < 20) entries.push(one(IMPLICIT));
      else {
        const odd = pick(25) === 0;
        if (odd) differing++;
        const key = odd ? one(DIFFER) : one(ALIKE);
        const value = one(VALUES);
        entries.push(value === '' ? key : `${key}\n${value}`);
      }
    }
    const [first, ...rest] = entries.map((entry) => indent(entry, '      '));
    items.push(`    - ${first}\n${rest.map((entry) => `      ${entry}\n`).join('')}`);
  }
  const head = trigger ? '    x: &k kk\n    *k : 1\n' : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n    workingDir: &e wd\n${head}    env:\n${items.join('')}`;
}

test('explicit keys read on the lean path read as the full exact reader reads them, or are left to it', () => {
  let total = 0;
  let read = 0;
  let repeats = 0;
  const differBefore = differing;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const text = pod(seed, false);
      total++;
      const reading = lean(text);
      if (reading === undefined) return;
      read++;
      if (Array.isArray(reading.duplicates) && reading.duplicates.length > 0) repeats++;
      assert.equal(show(reading), show(full(text)), `seed ${seed}\n${text}`);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 600), seed: Number(process.env.KFGUARD_FUZZ_SEED ?? 17) },
  );
  // A silent give-up must fail this: most documents are read lean, some with repeats, and some held a shape left to the full reader.
  assert.ok(read > total / 2, `only ${read} of ${total} read on the lean path`);
  assert.ok(repeats > read / 10, `only ${repeats} of ${read} read lean held a repeated key`);
  assert.ok(differing - differBefore > total / 10, `only ${differing - differBefore} shapes left to the full reader in ${total} documents`);
});

test('the shapes that read otherwise are left to the full reader; the ones that read alike are read', () => {
  for (const key of DIFFER) {
    const text = `a: 1\nb:\n  ${key.replace(/\n/g, '\n  ')}\n${key.startsWith('x: ') ? '' : '  : 1\n'}`;
    assert.equal(readLean(text), undefined, JSON.stringify(text));
  }
  for (const key of ALIKE) {
    const text = `a: 1\nb:\n  ${key.replace(/\n/g, '\n  ')}\n  : 1\n`;
    const expected = full(text);
    // `? ~` is a null key: go-yaml's error, left to the full reader either way.
    if (expected.error !== undefined) {
      assert.equal(readLean(text), undefined, JSON.stringify(text));
      continue;
    }
    assert.equal(show(lean(text)), show(expected), JSON.stringify(text));
  }
});

test('runs holding explicit keys read as the parser reads them', () => {
  let withRuns = 0;
  let total = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const text = pod(seed, true);
      total++;
      if (findBlockRuns(text, readLean, 40).some((run) => /\n *\? /.test(text.slice(run.start - 1, run.end)))) withRuns++;
      assert.equal(show(full(text, true)), show(full(text, false)), `seed ${seed}\n${text}`);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 200), seed: Number(process.env.KFGUARD_FUZZ_SEED ?? 17) },
  );
  assert.ok(withRuns > total / 3, `only ${withRuns} of ${total} documents had a run read lean holding an explicit key`);
});

test('explicit keys read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const texts: string[] = [];
  for (let seed = 1; texts.length < 24 && seed < 400; seed++) {
    const text = pod(seed * 7919, false);
    const reading = lean(text);
    if (reading !== undefined && reading.error === undefined) texts.push(text);
  }
  assert.equal(texts.length, 24);
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});

/** Hand-written layouts around explicit keys: nested `- - ?`, blank and comment lines before `:`, keys of two types. */
const LAYOUTS = ['- - ? k\n    : 1\n  - x\n', '?  k\n:  1\n', '? k\n\n: 1\n', '? k\n# c\n: 1\n', '? |\n  a\n  b\n: 1\n', '? k\n: 1\nj: 2\n? "k"\n: 3\n', '- ? a\n  ? b\n  : 2\n', '? k\n: - 1\n  - 2\n', '? k\n:\n  z: 1\n', '? >\n  folded\n  text\n\n: v\n', '? 1.5\n: x\n', '? true\n: x\ntrue: y\n'];
const layoutTexts = LAYOUTS.map((b) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n${b.replace(/^/gm, '  ').replace(/ {2}$/, '')}`);

test('hand-written explicit-key layouts are read on the lean path as the full reader reads them', () => {
  for (const text of layoutTexts) {
    const reading = lean(text);
    assert.ok(reading !== undefined && reading.error === undefined, `read on the lean path: ${JSON.stringify(text)}`);
    assert.equal(show(reading), show(full(text)), JSON.stringify(text));
  }
});

test('hand-written explicit-key layouts read as kubectl reads them', requiresKubectl(), () => {
  const oracle = kubectlDecodeAll(layoutTexts, {}, 1);
  layoutTexts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
