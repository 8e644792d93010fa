import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLeanRun } from '../../src/sources/go-yaml-lean.js';
import { findBlockRuns } from '../../src/sources/go-yaml-block-runs.js';
import { findFlowRegions, withPlaceholders } from '../../src/sources/go-yaml-flow-regions.js';
import { flowsPlacedInRuns } from '../../src/sources/go-yaml-run-flows.js';
import { parseYamlStream, DEFAULT_PARSE_LIMITS } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Runs holding multi-line flow values and block scalars with an indentation indicator (flowruns17,
 * issue 17): the full reader with runs against the same reader with the `yaml` parser reading every
 * line (value with key order, notes, repeats, refusal, error and its line), on generated documents
 * with one construct only the full reader reads; kubectl on the edge cases.
 */

type Reading = { value?: unknown; notes?: string[]; duplicates?: unknown; refuses?: string; later?: unknown; error?: string; line?: number };

function read(text: string, runs: boolean, runBytes = 1): Reading {
  try {
    const r = decodeLikeKubectl(text, runs ? { readRun: readLeanRun, runBytes } : {});
    return { value: r.value, notes: r.notes, duplicates: r.duplicates, refuses: r.kubectlRefuses, later: r.ignoredByKubectl };
  } catch (error) {
    return { error: (error as Error).message, line: (error as { line?: number }).line };
  }
}

const show = (reading: Reading): string => JSON.stringify(reading, (_k, v: unknown) => (v === undefined ? '<undefined>' : v));

/** Constructs only the full reader reads, placed once at the container's level (real syntax, not quoted lookalikes). */
const TRIGGERS: readonly string[] = [
  '    o: [?x]\n',
  '    o:\n    -\n    - a\n',
  '    ? qk # c\n    : 1\n',
  '    qx: &k kk\n    *k : 1\n',
];

/** Env items (column 4) holding the new shapes; `i` numbers the item. */
const SHAPES: readonly ((i: number) => string)[] = [
  (i) => `    - name: V${i}\n      value: [a,\n        b${i}]\n`,
  (i) => `    - name: V${i}\n      args: [--x,\n        "]", '[', "a, b",\n        {k: [1,\n          2]}]\n`,
  (i) => `    - name: V${i}\n      value: {a: 1,\n        b: [x, y],\n        c: "}"} # after\n`,
  (i) => `    - name: V${i}\n      args:\n        [p,\n         q${i}]\n`,
  (i) => `    - name: V${i}\n      args:\n      - [a,\n         b]\n      - {c: d,\n         e: f}\n`,
  // a comment line inside the collection (the flow reader's, or left raw to the lean reader)
  (i) => `    - name: V${i}\n      value: [a, # c\n        # more\n        b]\n`,
  (i) => `    - name: V${i}\n      value: &fa${i} [a,\n        b]\n      other: *fa${i}\n`,
  (i) => `    - name: V${i}\n      value: [a,\n        b]\n      value: [c,\n        d]\n`,
  // a `[` that only looks like a collection: a multi-line plain scalar's next line, a block scalar's text
  (i) => `    - name: V${i}\n      value: foo\n        [a,\n         b]\n`,
  (i) => `    - name: V${i}\n      value: "x\n        [a,\n         b]\n        y"\n`,
  (i) => `    - name: V${i}\n      value: |\n        [a,\n         b]\n`,
  // indentation indicators
  (i) => `    - name: V${i}\n      value: |2\n          x${i}\n`,
  (i) => `    - name: V${i}\n      value: |2\n           more\n          x\n`,
  (i) => `    - name: V${i}\n      value: |-2\n          x\n\n`,
  (i) => `    - name: V${i}\n      value: >+1\n         x\n\n         y\n\n`,
  (i) => `    - name: V${i}\n      value: |2+\n          x\n  \n           \n`,
  (i) => `    - name: V${i}\n      args:\n      - |2\n          x\n      - >-3\n            y\n`,
  (i) => `    - name: V${i}\n      value: |4 # c\n          x\n         # text\n`,
  (i) => `    - name: V${i}\n      value: x\n`,
];

/** Rarer collections a run may not hold (anchors, aliases, repeats, notes, null keys): left to the parser or read alike. */
const RARE: readonly ((i: number) => string)[] = [
  (i) => `    - name: V${i}\n      value: [*e,\n        b]\n`,
  (i) => `    - name: V${i}\n      value: [&q${i} a,\n        b]\n`,
  (i) => `    - name: V${i}\n      value: {a: 1,\n        a: 2}\n`,
  (i) => `    - name: V${i}\n      value: {1: a,\n        "1": b}\n`,
  (i) => `    - name: V${i}\n      value: {? : 1,\n        b: 2}\n`,
  (i) => `    - name: V${i}\n      value: [!!int 1,\n        b]\n`,
  (i) => `    - name: V${i}\n      <<: {p: 1,\n        q: 2}\n`,
  (i) => `    - name: V${i}\n      value: |0\n        x\n`,
  (i) => `    - name: V${i}\n      value: [a,\n    b]\n`,
  (i) => `    - name: V${i}\n      value: "kfguardflow"\n`,
];

function document(trigger: string, items: readonly string[], after = ''): string {
  const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n    image: alpine\n    workingDir: &e wd\n';
  return `${head}${trigger}    env:\n${items.join('')}${after}`;
}

/** The runs production would find in the text, its flow collections behind placeholders. */
function runsOf(text: string, runBytes: number): ReturnType<typeof findBlockRuns> {
  const regions = findFlowRegions(text);
  return findBlockRuns(regions.length > 0 ? withPlaceholders(text, regions) : text, readLeanRun, runBytes, text, regions);
}

const INDICATOR = /[|>][-+]?[1-9][-+]?(?: #.*)?\n/;

const generated = fc.record({
  trigger: fc.integer({ min: 0, max: TRIGGERS.length - 1 }),
  shapes: fc.array(fc.integer({ min: 0, max: SHAPES.length - 1 }), { minLength: 1, maxLength: 4 }),
  count: fc.integer({ min: 10, max: 50 }),
  rare: fc.option(fc.tuple(fc.integer({ min: 0, max: RARE.length - 1 }), fc.nat(49)), { freq: 4 }),
  after: fc.constantFrom('', '  volumes:\n  - name: v\n    emptyDir: {}\n', '  hostname: *e\n'),
});

test('multi-line flow values and `|2` scalars in runs read as the parser reads the whole text', () => {
  const numRuns = Number(process.env.KFGUARD_FUZZ_RUNS ?? 200);
  let withFlows = 0;
  let withIndicators = 0;
  let withRare = 0;
  fc.assert(
    fc.property(generated, ({ trigger, shapes, count, rare, after }) => {
      const items: string[] = [];
      for (let i = 0; i < count; i++) {
        const rareHere = rare !== null && rare[1] % count === i;
        items.push(rareHere ? (RARE[rare[0]] as (i: number) => string)(i) : (SHAPES[shapes[i % shapes.length] as number] as (i: number) => string)(i));
      }
      if (rare !== null) withRare++;
      const text = document(TRIGGERS[trigger] as string, items, after);
      const whole = show(read(text, false));
      const placed = flowsPlacedInRuns();
      for (const runBytes of [40, 300]) assert.equal(show(read(text, true, runBytes)), whole, `runBytes ${runBytes}\n${text}`);
      if (flowsPlacedInRuns() > placed) withFlows++;
      if (runsOf(text, 40).some((r) => INDICATOR.test(text.slice(r.start, r.end)))) withIndicators++;
    }),
    { numRuns, seed: Number(process.env.KFGUARD_FUZZ_SEED ?? 1717) },
  );
  // Equal readings prove nothing if the runs gave the new shapes up: a share must be read in runs.
  assert.ok(withFlows > numRuns * 0.5, `documents with a flow collection placed in a run: ${withFlows} of ${numRuns}`);
  assert.ok(withIndicators > numRuns * 0.3, `documents whose runs hold a block scalar with an indentation indicator: ${withIndicators} of ${numRuns}`);
  assert.ok(withRare > numRuns * 0.1, `documents with a rare collection: ${withRare} of ${numRuns}`);
});

test('a collection a run may not hold ends the run before it, and is read by the parser', () => {
  for (const [k, rare] of RARE.entries()) {
    const items = Array.from({ length: 40 }, (_, i) => (i === 20 ? rare(i) : `    - name: V${i}\n      value: [a,\n        b]\n`));
    const text = document(TRIGGERS[0] as string, items);
    assert.equal(show(read(text, true, 40)), show(read(text, false)), `rare ${k}\n${text}`);
    assert.ok(runsOf(text, 40).length > 0, `rare ${k}: the items around it are in runs`);
  }
  // Aliases inside a collection name anchors outside it: such a collection is never in a run.
  const aliased = document(TRIGGERS[0] as string, Array.from({ length: 40 }, (_, i) => `    - name: V${i}\n      value: [*e,\n        b]\n`));
  const before = flowsPlacedInRuns();
  assert.equal(show(read(aliased, true, 40)), show(read(aliased, false)));
  assert.equal(flowsPlacedInRuns(), before, 'no collection with an alias is placed in a run');
});

/** Edge cases kubectl decides, each beside 1 KB and more of items so that production's runs (1 KB at least) hold them. */
const EDGES: readonly [string, (i: number) => string][] = [
  ['a flow value with `#` comment lines inside', (i) => `    - name: V${i}\n      value: [a, # c\n        # more\n        b] # after\n`],
  ['`]` and `,` in quotes inside a flow value', (i) => `    - name: V${i}\n      args: ["]",\n        ']', "a, b]"]\n`],
  ['nested flow over lines', (i) => `    - name: V${i}\n      args: [{a: [1,\n          2]},\n        [x,\n         y]]\n`],
  ['a flow map over lines, with a comment after it', (i) => `    - name: V${i}\n      value: {a: 1,\n        b: "}"} # c\n`],
  ['a flow value on the line after its key', (i) => `    - name: V${i}\n      args:\n        [p,\n         q]\n`],
  ['a flow value anchored and aliased in its item', (i) => `    - name: V${i}\n      args: &a${i} [a,\n        b]\n      command: *a${i}\n`],
  ['`|2` with a more-indented first line', (i) => `    - name: V${i}\n      value: |2\n           more\n          x\n`],
  ['`|-2`, `>+1` and `|2+` with trailing blank lines', (i) => `    - name: V${i}\n      value: |-2\n          x\n\n      command:\n      - >+1\n         y\n\n      - |2+\n          z\n  \n`],
  ['`- |2` as the entries themselves', (i) => `    - |2\n        x${i}\n    - >1\n       y\n`],
  ['`|4 # c` with a comment-like line of its text', (i) => `    - name: V${i}\n      value: |4 # c\n          x\n          # text\n`],
];

test('the edge cases read as kubectl reads them, with runs holding them', requiresKubectl(), () => {
  const texts: string[] = [];
  for (const [name, shape] of EDGES) {
    const trigger = name.startsWith('`- |2`') ? '' : '    o: [?x]\n';
    // `- |2` entries: the env list holds them, so the trigger goes in another field.
    const items = Array.from({ length: 120 }, (_, i) => shape(i));
    // `|2` at the end of a run: the last item ends the document or is followed by a less-indented key.
    const text = name.startsWith('`- |2`') ? `${document('', items)}  hostname: h\n  dnsConfig:\n    options: [?x]\n` : document(trigger, items, '  hostname: h\n');
    const placed = flowsPlacedInRuns();
    const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
    assert.equal(errors.length, 0, `${name}: ${JSON.stringify(errors)}`);
    assert.equal(documents.length, 1, name);
    if (/flow/.test(name)) assert.ok(flowsPlacedInRuns() > placed, `${name}: production's runs hold the flow values`);
    else assert.ok(runsOf(text, 1024).some((r) => INDICATOR.test(text.slice(r.start, r.end))), `${name}: production's runs hold the block scalars`);
    texts.push(text);
  }
  // One kubectl call per text: the Pods share a name.
  const oracle = kubectlDecodeAll(texts, {}, 1);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], `${EDGES[i]![0]}\n${text.slice(0, 600)}`));
});
