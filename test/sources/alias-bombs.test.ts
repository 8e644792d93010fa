import assert from 'node:assert/strict';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { HOSTILE_CLASSES } from '../../bench/hostile-inputs.js';
import { scanText } from '../../bench/hostile-scan.js';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { MAX_MERGED_ENTRIES, MERGE_BOMB } from '../../src/sources/go-yaml-values.js';
import { comparedPairs, describeDifferences } from '../../src/sources/reading-diff.js';
import { parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * Issue 17, second review: alias bombs in flow and block text took 17-29 s (and 2.2 GB) before
 * kfguard refused them, walking the expanded tree or building merged copies before the cap looked.
 * These tests count work, not time: the refusal comes from the caps, and the comparison of the two
 * readings walks each shared pair once. Timing is test/sources/hostile-growth.test.ts's.
 */

const BOMBS = HOSTILE_CLASSES.filter((c) => c.name.startsWith('alias bomb'));

test('there are alias bomb classes to test', () => {
  assert.equal(BOMBS.length, 4);
});

for (const bomb of BOMBS) {
  // 54 KB takes the exact reader first (under MAX_UNCONFIRMED_BYTES), 200 KB js-yaml first.
  for (const size of [54 * 1024, 200 * 1024]) {
    test(`${bomb.name} (${size / 1024} KB) is refused at line 1 as an alias bomb, and its raw text still searched`, async () => {
      const text = bomb.generate(size);
      const read = parseYamlStream(text);
      assert.equal(read.errors.length, 1);
      assert.equal(read.errors[0]!.line, 1);
      assert.match(read.errors[0]!.message, /refusing a likely alias bomb$/);
      assert.equal(read.documents.length, 1);
      assert.equal(read.documents[0]!.refused, true);
      const scan = await scanText(text);
      assert.equal(scan.errors, 1);
      assert.ok(scan.findings >= 1, 'the miner in the refused document is found in its raw text');
    });
  }
}

test('merges past MAX_MERGED_ENTRIES are refused before they are copied, in flow and block text', () => {
  const anchor = `{${Array.from({ length: 3000 }, (_, i) => `k${i}: v`).join(', ')}}`;
  const merges = Math.ceil(MAX_MERGED_ENTRIES / 3000) + 1;
  const flow = `x: &a ${anchor}\ny: [${'{<<: *a}, '.repeat(merges)}]\n`;
  const block = `x: &a ${anchor}\ny:\n${'- <<: *a\n'.repeat(merges)}`;
  for (const text of [flow, block]) assert.throws(() => decodeLikeKubectl(text), (e: Error) => e.message === MERGE_BOMB);
  // Under the cap the merges are read as go-yaml reads them.
  const fewer = Math.floor(MAX_MERGED_ENTRIES / 3000) - 1;
  const read = decodeLikeKubectl(`x: &a ${anchor}\nlist: [${'{<<: *a, k1: w}, '.repeat(fewer)}]\n`).value as { list: Record<string, string>[] };
  assert.equal(read.list.length, fewer);
  assert.equal(read.list.at(-1)!.k2999, 'v');
  assert.equal(read.list.at(-1)!.k1, 'w');
});

test('the two readings of an aliased document are compared once per shared pair', () => {
  // Under the caps: 100 aliases of a 3,000-key map expand to 300,000 nodes.
  const anchor = `{${Array.from({ length: 3000 }, (_, i) => `k${i}: v`).join(', ')}}`;
  const text = `x: &a ${anchor}\nlist: [${'*a, '.repeat(100)}]\nz: {flag: off}\n`;
  const kubernetes = decodeLikeKubectl(text).value;
  const yaml12 = yaml.load(text);
  // The anchor's 3,000 entries once, each alias twice (an entry of the list, a pair found equal),
  // the few nodes around them: 3,209 today; without the memo of equal pairs 303,209.
  const work = comparedPairs(kubernetes, yaml12);
  assert.ok(work <= 3000 + 3 * 100 + 20, `compared ${work} pairs and entries`);
  // The difference (`off`, a boolean for go-yaml) is still found.
  assert.equal(describeDifferences(kubernetes, yaml12).length, 1);
});

test('a difference inside a shared node is reported at every place it appears', () => {
  const k8s = { v: true };
  const y12 = { v: 'yes' };
  const notes = describeDifferences({ a: k8s, b: k8s }, { a: y12, b: y12 });
  assert.equal(notes.length, 2);
  assert.match(notes[0]!.text, /^at a\.v /);
  assert.match(notes[1]!.text, /^at b\.v /);
});
