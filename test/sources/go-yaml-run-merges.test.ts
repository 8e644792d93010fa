import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLeanRun } from '../../src/sources/go-yaml-lean.js';
import { pendingMergesApplied } from '../../src/sources/go-yaml-run-merges.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * A run's merge of an anchor defined before the run (`<<: *g`, go-yaml-run-merges.ts): the full
 * exact reader with runs read lean against the same reader with the parser reading every line, on
 * generated documents, and against kubectl on a sample. A share of the documents must have their
 * merges applied in runs (a run silently given up reads the same, and would pass otherwise).
 */

type Reading = { value?: unknown; notes?: string[]; duplicates?: unknown; refuses?: string; later?: unknown; error?: string; line?: number };

function read(text: string, runs: boolean): Reading {
  try {
    const r = decodeLikeKubectl(text, runs ? { readRun: readLeanRun, runBytes: 1 } : {});
    return { value: r.value, notes: r.notes, duplicates: r.duplicates, refuses: r.kubectlRefuses, later: r.ignoredByKubectl };
  } catch (error) {
    return { error: (error as Error).message, line: (error as { line?: number }).line };
  }
}
const show = (reading: Reading): string => JSON.stringify(reading, (_k, v: unknown) => (v === undefined ? '<undefined>' : v));

/** What `&g` (and sometimes `&h`) names, defined before the list: mappings of each kind, and what go-yaml refuses to merge. */
const ANCHORS = [
  '  g: &g {runAsUser: 1, name: gg}\n',
  '  g: &g\n    runAsUser: 1\n    image: i\n',
  '  g: &g {a: 1, __proto__: 2}\n',
  '  g: &g {}\n',
  '  g: &g {1: a, b: 2}\n',
  '  g: &g {true: a, "true": b}\n',
  '  g: &g [1, 2]\n',
  '  g: &g x\n',
  '  g: &g {a: 1}\n  g2: &g {b: 2}\n',
  '  g: &g {a: &h {c: 1}}\n',
  '  g: &g\n',
];
/** An item's pairs around its merge. */
const ITEMS: ((i: number) => string)[] = [
  (i) => `  - name: v${i}\n    <<: *g\n`,
  (i) => `  - <<: *g\n    name: v${i}\n`,
  (i) => `  - name: v${i}\n    <<: *g\n    runAsUser: ${i}\n`,
  (i) => `  - name: v${i}\n    <<: *g\n    name: w\n`,
  (i) => `  - name: v${i}\n    x: &a\n      <<: *g\n      b: 1\n    y: *a\n`,
  (i) => `  - name: v${i}\n    <<: *g\n    1: one\n`,
  (i) => `  - name: v${i}\n    <<: *g\n    "true": s\n`,
  (i) => `  - name: v${i}\n    <<: [*g]\n`,
  (i) => `  - name: v${i}\n    <<: !!str *g\n`,
  (i) => `  - name: v${i}\n    <<: &b *g\n`,
  (i) => `  - name: v${i}\n    value: *g\n`,
  (i) => `  - name: v${i}\n    <<: *h\n`,
  (i) => `  - name: v${i}\n    <<: *g\n    __proto__: p\n`,
];
/** What sends the document to the full reader (an alias as a key). */
const TRIGGER = '  x: &k kk\n  *k : 1\n';

function document(anchor: number, items: readonly [number, number][], count: number, after: string): string {
  const lines = Array.from({ length: count }, (_, i) => (ITEMS[(items[i % items.length] as [number, number])[0]] as (i: number) => string)(i)).join('');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n${ANCHORS[anchor]}${TRIGGER}  l:\n${lines}${after}`;
}

const generated = fc.record({
  anchor: fc.integer({ min: 0, max: ANCHORS.length - 1 }),
  items: fc.array(fc.tuple(fc.integer({ min: 0, max: ITEMS.length - 1 }), fc.nat()), { minLength: 1, maxLength: 3 }),
  count: fc.integer({ min: 5, max: 40 }),
  after: fc.constantFrom('', '  z: *g\n', '  z:\n    <<: *g\n    q: 1\n'),
});

test('runs merging an anchor before them read as the parser reads the whole text', () => {
  const numRuns = Number(process.env.KFGUARD_FUZZ_RUNS ?? 300);
  let merged = 0;
  fc.assert(
    fc.property(generated, ({ anchor, items, count, after }) => {
      const text = document(anchor, items, count, after);
      const before = pendingMergesApplied();
      assert.equal(show(read(text, true)), show(read(text, false)), text);
      if (pendingMergesApplied() > before) merged++;
    }),
    { numRuns, seed: Number(process.env.KFGUARD_FUZZ_SEED ?? 17) },
  );
  // Merges of a plain mapping must be applied in runs, not given up to the parser.
  assert.ok(merged > numRuns / 5, `documents with merges applied in runs: ${merged} of ${numRuns}`);
});

test('a plain mapping merged in every item is applied in runs, every merge (a repeat beside one is left to the parser)', () => {
  for (const anchor of [0, 1, 2, 3]) {
    // One merge per item: 30 in all.
    const text = document(anchor, [[0, 0], [1, 0], [2, 0]], 30, '');
    const before = pendingMergesApplied();
    assert.equal(show(read(text, true)), show(read(text, false)), ANCHORS[anchor]);
    assert.equal(pendingMergesApplied() - before, 30, ANCHORS[anchor]);
  }
});

test('runs merging an anchor before them read as kubectl reads them', requiresKubectl(), () => {
  const texts: string[] = [];
  for (let anchor = 0; anchor < ANCHORS.length; anchor++) {
    // `true` and "true" merged: kubectl keeps either at random (the full reader notes it; keepKeyTypes).
    if (ANCHORS[anchor]?.includes('"true"')) continue;
    for (let item = 0; item < ITEMS.length; item += 1) texts.push(document(anchor, [[item, 0], [0, 0]], 20, ''));
  }
  const oracle = kubectlDecodeAll(texts, {}, 1);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text.slice(0, 600)));
});

test('merges in runs past MAX_MERGED_ENTRIES are the full reader refusal, never a cut; just under it they are read', () => {
  const anchor = `  g: &g {${Array.from({ length: 100 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
  for (const [items, refused] of [[2501, true], [2500, false]] as const) {
    const lines = Array.from({ length: items }, (_, i) => `  - name: v${i}\n    <<: *g\n`).join('');
    const text = `data:\n${anchor}${TRIGGER}  l:\n${lines}`;
    const before = pendingMergesApplied();
    const withRuns = read(text, true);
    assert.equal(show(withRuns), show(read(text, false)), `${items} items`);
    assert.equal(withRuns.error !== undefined && /refusing a likely alias bomb/.test(withRuns.error), refused, `${items} items: ${withRuns.error}`);
    // Under the cap every merge is applied in the run.
    if (!refused) assert.equal(pendingMergesApplied() - before, items);
  }
});
