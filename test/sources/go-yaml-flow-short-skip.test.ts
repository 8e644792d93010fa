import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { FLOW_PLACEHOLDER, findFlowRegions, SHORT_SKIP, tooShortToRead } from '../../src/sources/go-yaml-flow-regions.js';
import { leanFlowRegions } from '../../src/sources/go-yaml-lean-flow.js';
import { readLean } from '../../src/sources/go-yaml-lean.js';
import { nullKeyMarkCount } from '../../src/sources/go-yaml-values.js';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';

/**
 * Short flow collections are not read when they cannot become a region (glued2, issue 17): the
 * finder skips a `[...]` closing before the placeholder would fit only when its reading could
 * leave nothing behind (go-yaml-flow-regions.ts tooShortToRead). Every reading must be the one
 * reading every collection gives, and the skip must happen.
 */

/** Short collections of every shape: the ones that may be skipped and the ones that must be read (null keys, merges, aliases, anchors, tags, quotes, comments). */
const SHORT = ['[]', '[ ]', '[a]', '[? x]', '[?x]', '[a, b]', '[a: b]', '[? a: b]', '[? ~]', '[~]', '[? null]', '[?, x]', '[: x]', '[*a]', '[&a x]', '[!t x]', '["a"]', "['a']", '[a #c]', '[<<: x]', '{~}', '{a, a}', '{? x}', '[-]', '[a,]', '[a:b]', '[NULL: 1]', '[@a]', '[%a]', '[[a]]', '[{}]', '[a}', '[a, ['];
/** Long ones (regions on both paths) and a glued one, beside the short ones. */
const LONG = ['[alpha, beta, gamma]', '{k: 1, k: 2, j: yes}', '[a,\n        b]', '{<<: {a: 1}, b: 2, c: 3}', '[? ~, longer, entries]', '[?glued, and, longer]'];

const item = fc.tuple(fc.constantFrom(...SHORT, ...LONG, 'x', '&top y', '*top'), fc.constantFrom('', ' # c'));
const doc = fc.array(item, { minLength: 1, maxLength: 12 }).map((items) =>
  'top: &top {t: 1}\nenv:\n' + items.map(([value, after], i) => `  - name: V${i}\n    value: ${value}${after}\n`).join(''),
);

/** What a reading shows, comparable: values, notes, duplicates, refusals, errors (thrown ones too). */
function shown(read: () => unknown): string {
  try {
    return JSON.stringify(read(), (_key, value: unknown) => (value instanceof Map ? [...value] : value instanceof Set ? [...value] : value instanceof Error ? `${value.name}: ${value.message}` : value));
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

function readings(text: string): Record<string, string> {
  const marks = nullKeyMarkCount();
  const regions = findFlowRegions(text).map((region) => [region.start, region.reading.end]);
  const leanRegions = leanFlowRegions(text)?.regions.map((region) => [region.start, region.reading.end]);
  return {
    regions: JSON.stringify(regions),
    lean: JSON.stringify(leanRegions ?? null),
    marks: String(nullKeyMarkCount() - marks),
    full: shown(() => decodeLikeKubectl(text)),
    readLean: shown(() => readLean(text)),
  };
}

function withoutSkip<T>(run: () => T): T {
  SHORT_SKIP.enabled = false;
  try {
    return run();
  } finally {
    SHORT_SKIP.enabled = true;
  }
}

test('skipping short flow collections changes no reading, note, repeat or refusal, and happens', () => {
  const before = SHORT_SKIP.skipped;
  fc.assert(
    fc.property(doc, (text) => {
      const skipped = readings(text);
      const read = withoutSkip(() => readings(text));
      assert.deepEqual(skipped, read, text);
    }),
    { numRuns: 400, seed: 2 },
  );
  assert.ok(SHORT_SKIP.skipped > before, 'no short collection was skipped');
});

test('the finder skips a short plain sequence and nothing it would have to read', () => {
  const text = 'a: [? x]\nb: [x, y]\nc: [? ~]\nd: [*a]\ne: [&a x]\nf: {a, a}\ng: [<<: x]\nh: [alpha, beta, gamma]\n';
  const before = SHORT_SKIP.skipped;
  const regions = findFlowRegions(text);
  assert.equal(SHORT_SKIP.skipped - before, 2);
  assert.deepEqual(regions.map((region) => text.slice(region.start, region.reading.end)), ['[alpha, beta, gamma]']);
  assert.deepEqual(regions, withoutSkip(() => findFlowRegions(text)));
});

test('tooShortToRead: what a short span may hold', () => {
  const skips = (span: string): boolean => tooShortToRead(span, 0, span.length, FLOW_PLACEHOLDER.length);
  for (const span of ['[]', '[ ]', '[a]', '[? x]', '[a, b]', '[a: b]', '[? a: b]', '[v1.2/x=y]']) assert.ok(skips(span), span);
  // Null keys, merges, aliases, anchors, tags, quotes, comments, directives' and reserved indicators, mappings, nesting, empty entries, a glued indicator, and long ones.
  for (const span of ['[? ~]', '[~]', '[? null]', '[Null: 1]', '[?, x]', '[: x]', '[*a]', '[<<: x]', '[&a x]', '[!t x]', '["a"]', "['a']", '[a #c]', '[%a]', '[@a]', '[`a]', '{a, a}', '{}', '[[a]]', '[a,]', '[,a]', '[?x]', '[a:b]', '[a, b, cde]', '[a\n]'])
    {assert.ok(!skips(span), span);}
});

test('kubectl reads the edge cases as the exact reader does with the skip', requiresKubectl(), () => {
  const texts = ['[? x]', '[? ~]', '[?, x]', '[a: b]', '[]', '[? a: b]', '[*top]'].map((value) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ntop: &top {t: 1}\nx: ${value}\ny: [alpha, beta, gamma]\n`);
  const oracle = kubectlDecodeAll(texts, {}, 1);
  texts.forEach((text, i) => assert.deepEqual(compareWithKubectl(text, oracle[i]!), [], text));
});
