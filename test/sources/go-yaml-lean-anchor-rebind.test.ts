import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FULL_READER_MIXES, HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';
import { decodeLikeKubectl, yamlParseCount } from '../../src/sources/go-yaml-decode.js';
import { leanReadCount, readLean } from '../../src/sources/go-yaml-lean.js';
import { anchorRebindCount } from '../../src/sources/go-yaml-lean-rebind.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Anchor names defined more than once on the exact reader's lean path (anchors17, issue 17): one
 * after another, nested (a collection anchored `&a` holding another `&a`, aliased inside and after
 * it), on keys, on empty nodes, in one-line flow text js-yaml reads and in multi-line flow text the
 * flow reader reads, merged. go-yaml binds a name to the node that starts last; js-yaml binds a
 * collection's anchor again when it closes, which go-yaml-lean-rebind.ts undoes. Each reading must
 * be the full exact reader's, or the lean path gives up; a share must be read lean, redefinitions
 * and rebindings among them; a sample is checked against kubectl.
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

/** Few names, so that most documents define one more than once. */
const NAMES = ['a', 'b', 'c'];
const SCALARS = ['1', 'yes', 'x', '~', '0777', '"q"', 'on'];

/**
 * A block document (with `on: yes`, a lean trigger) whose anchors reuse a few names at every depth
 * and in every node shape. Aliases mostly name an anchor whose node is complete (an unknown name or
 * the collection holding the alias is refused by both readers, and now and then written anyway).
 */
function anchorDocument(seed: number): string {
  const pick = random(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)]!;
  const lines = ['on: yes'];
  let keys = 0;
  const key = (): string => `k${keys++}`;
  const scalar = (): string => one(SCALARS);
  /** Each name's latest definition, and the definitions whose collection is still open. */
  const latest = new Map<string, number>();
  const open = new Set<number>();
  const mappings = new Set<number>();
  let definitions = 0;
  /** `&name` for a node; a collection's stays open until `close` is called with what `opened` says. */
  let opened = -1;
  const anchor = (collection = false, mapping = false): string => {
    const name = one(NAMES);
    latest.set(name, ++definitions);
    if (collection) open.add((opened = definitions));
    if (mapping) mappings.add(definitions);
    return `&${name}`;
  };
  const close = (definition: number): void => void open.delete(definition);
  /** `*name` naming a complete node (a mapping for a merge), or 1 in 20 times any name; a scalar when there is nothing to name. */
  const alias = (merge = false): string => {
    const complete = NAMES.filter((name) => latest.has(name) && !open.has(latest.get(name)!) && (!merge || mappings.has(latest.get(name)!)));
    if (pick(20) === 0) return `*${one(NAMES)}`;
    return complete.length === 0 ? scalar() : `*${one(complete)}`;
  };
  const item = (indent: string, depth: number): void => {
    const kind = pick(6);
    if (kind === 0) lines.push(`${indent}- ${anchor()} ${scalar()}`);
    else if (kind === 1) lines.push(`${indent}- ${alias()}`);
    // An anchored key in a compact mapping: js-yaml reads it in an attempt it commits.
    else if (kind === 2) lines.push(`${indent}- ${anchor()} ${key()}: ${scalar()}`);
    else if (kind === 3 && depth < 3) mapping(`${indent}  `, depth + 1, `${indent}- `);
    else if (kind === 4) {
      const outer = anchor(true);
      const definition = opened;
      lines.push(`${indent}- ${outer} [${anchor()} ${scalar()}, ${alias()}]`);
      close(definition);
    } else lines.push(`${indent}- ${scalar()}`);
  };
  const mapping = (indent: string, depth: number, firstLead?: string): void => {
    const entries = 1 + pick(4);
    for (let i = 0; i < entries; i++) {
      const lead = i === 0 && firstLead !== undefined ? firstLead : indent;
      const kind = pick(12);
      if (kind === 0) lines.push(`${lead}${key()}: ${anchor()} ${scalar()}`);
      else if (kind === 1 || kind === 2) lines.push(`${lead}${key()}: ${alias()}`);
      else if (kind === 3) {
        const merged = alias(true);
        lines.push(merged.startsWith('*') ? `${lead}<<: ${merged}` : `${lead}${key()}: ${merged}`);
      } else if ((kind === 4 || kind === 5 || kind === 6) && depth < 3) {
        // An anchored block mapping or list (its entries may define and alias the same name).
        lines.push(`${lead}${key()}: ${anchor(true, kind !== 6)}`);
        const definition = opened;
        if (kind === 6) for (let j = 1 + pick(3); j > 0; j--) item(indent, depth + 1);
        else mapping(`${indent}  `, depth + 1);
        close(definition);
      } else if (kind === 7 || kind === 8) {
        // A one-line flow mapping js-yaml reads, or a multi-line flow list (the flow reader's region), anchored now and then.
        const outer = kind === 7 || pick(2) === 0 ? ` ${anchor(true, kind === 7)}` : '';
        const definition = outer === '' ? -1 : opened;
        const inner = `${anchor()} ${scalar()}`;
        lines.push(kind === 7 ? `${lead}${key()}:${outer} {m: ${inner}, n: ${alias()}}` : `${lead}${key()}:${outer} [${inner},\n${indent}  ${alias()}]`);
        close(definition);
      } else if (kind === 9) lines.push(`${lead}${anchor()} ${key()}: ${scalar()}`);
      // An anchored empty node (null).
      else if (kind === 10) lines.push(`${lead}${key()}: ${anchor()}`);
      else lines.push(`${lead}${key()}: ${scalar()}`);
    }
  };
  mapping('', 0);
  return `${lines.join('\n')}\n`;
}

/** A name defined twice or more in the text. */
function redefines(text: string): boolean {
  const defined = text.match(/&[abc]\b/g) ?? [];
  return new Set(defined).size < defined.length;
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
  assert.equal(reading.kubectlRefuses, full.kubectlRefuses, text);
  assert.deepStrictEqual(reading.duplicates, full.duplicates, text);
}

/** Each shape where go-yaml and js-yaml bind a name differently, or alike, with what kubectl reads (checked below). */
const SHAPES: readonly (readonly [string, unknown])[] = [
  ['a: &d 1\nb: *d\nc: &d 2\nd: *d\n', { a: 1, b: 1, c: 2, d: 2 }], // one after another: alike
  ['x: &a\n  y: &a 1\n  z: *a\nw: *a\n', { x: { true: 1, z: 1 }, w: 1 }], // nested: the inner one after the close
  ['x: &a\n- &a 1\n- *a\nw: *a\n', { x: [1, 1], w: 1 }],
  ['x: &a\n  y: &a\n    q: &a 3\n  z: *a\nw: *a\n', { x: { true: { q: 3 }, z: 3 }, w: 3 }], // three deep
  ['x: &a {y: &a 1}\nw: *a\n', { x: { true: 1 }, w: 1 }], // one-line flow js-yaml reads
  ['x: &a [&a 1,\n  2]\nw: *a\n', { x: [1, 2], w: 1 }], // a region defining its own name
  ['x: &a\n  y: [&a 1,\n    2]\nw: *a\n', { x: { true: [1, 2] }, w: 1 }], // a block mapping holding a region that defines it
  ['x: &a\n  y: &a {k: 1}\n  j: 2\nw: {<<: *a}\n', { x: { true: { k: 1 }, j: 2 }, w: { k: 1 } }], // merged after
  ['x: &a\n  y: &a 1\nv: &a 5\nw: *a\n', { x: { true: 1 }, v: 5, w: 5 }], // redefined again after the close
  ['x: &a\n  &a k: 1\nw: *a\n', { x: { k: 1 }, w: 'k' }], // an anchored key
  ['x: &a\n- &a k: 1\nw: *a\n', { x: [{ k: 1 }], w: 'k' }], // an anchored key in a compact mapping
  ['x: &a !!map\n  y: &a 1\nw: *a\n', { x: { true: 1 }, w: 1 }], // a tagged collection
  ['x: &a\n  y: &a\n  z: 1\nw: *a\n', { x: { true: null, z: 1 }, w: null }], // an anchored empty node
  ['x: &a\n  y: &b\n    z: &a 1\n  v: *a\nw: *a\nu: *b\n', { x: { true: { z: 1 }, v: 1 }, w: 1, u: { z: 1 } }], // another name between
  // An alias to a region defines nothing: `*c` must not make the region's `&b` the last (the kubectl sample found it).
  ['x: &b\n  p: &c [&b 1,\n    2]\n  q: &b\n    r: s\n  t: *c\nw: *b\n', { x: { p: [1, 2], q: { r: 's' }, t: [1, 2] }, w: { r: 's' } }],
];

test('each redefinition shape is read on the lean path as the full reader and kubectl read it', () => {
  for (const [body, expected] of SHAPES) {
    const text = `on: yes\n${body}`;
    const reading = readLean(text);
    assert.ok(reading, `read on the lean path: ${JSON.stringify(text)}`);
    checkAgainstFullReader(text, reading);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(reading.value)), { true: true, ...(expected as object) }, text);
  }
  // An alias inside the collection its name stands for: go-yaml's "value contains itself", the full reader's to say.
  const itself = 'on: yes\nx: &a\n  y: &a 1\n  z: &a\n    w: *a\n';
  assert.equal(readLean(itself), undefined);
  assert.match((fullReading(itself) as { refused: string }).refused, /anchor 'a' value contains itself/);
});

test('generated documents with names defined again read on the lean path as the full exact reader reads them, or are left to it', () => {
  let total = 0;
  let lean = 0;
  let redefined = 0;
  let rebound = 0;
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const text = anchorDocument(seed);
      total++;
      const rebindsBefore = anchorRebindCount();
      const reading = readLean(text);
      if (reading === undefined) return;
      lean++;
      if (redefines(text)) redefined++;
      if (anchorRebindCount() > rebindsBefore) rebound++;
      checkAgainstFullReader(text, reading);
    }),
    { numRuns: Number(process.env.KFGUARD_FUZZ_RUNS ?? 1500) },
  );
  // Most given-up documents alias a name not defined yet, or the collection holding the alias.
  assert.ok(lean > total / 4, `only ${lean} of ${total} generated documents were read on the lean path`);
  // Redefinitions are read here (a check refusing any name defined twice fails this) ...
  assert.ok(redefined > lean / 2, `only ${redefined} of ${lean} read on the lean path defined a name twice`);
  // ... and so are the shapes where js-yaml's binding was undone (an alias after a nested redefinition among them).
  assert.ok(rebound > lean / 10, `only ${rebound} of ${lean} read on the lean path had a name bound back at a collection's close`);
});

test('the bench mixes with an anchor defined twice are read on the lean path, the `yaml` parser never', () => {
  const mixes = [...HOSTILE_CLASSES, ...FULL_READER_MIXES].filter((c) => c.name.includes('anchor defined twice'));
  assert.ok(mixes.length >= 3, `${mixes.length} mixes`);
  for (const hostile of mixes) {
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

test('redefinition shapes and generated documents read on the lean path read as kubectl reads them', requiresKubectl(), () => {
  const wrap = (body: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: anchors\ndata:\n${body.replace(/^/gm, '  ').trimEnd()}\n`;
  const texts = SHAPES.map(([body]) => wrap(`on: yes\n${body}`));
  let rebound = 0;
  for (let seed = 1; texts.length < SHAPES.length + 80 && seed < 100_000; seed++) {
    const text = anchorDocument(seed);
    if (!redefines(text)) continue;
    const wrapped = wrap(text);
    const [leanBefore, rebindsBefore] = [leanReadCount(), anchorRebindCount()];
    parseYamlStream(wrapped, DEFAULT_PARSE_LIMITS);
    if (leanReadCount() === leanBefore) continue;
    if (anchorRebindCount() > rebindsBefore) rebound++;
    texts.push(wrapped);
  }
  assert.equal(texts.length, SHAPES.length + 80);
  assert.ok(rebound > 8, `only ${rebound} of 80 sampled documents had a name bound back`);
  // One kubectl call per batch of texts; each text's objects are compared with that text's reading.
  const oracle = kubectlDecodeAll(texts);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
