import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLikeKubectl } from '../../src/sources/go-yaml-decode.js';
import { readLean } from '../../src/sources/go-yaml-lean.js';
import { MAX_MERGED_ENTRIES, MERGE_BOMB } from '../../src/sources/go-yaml-values.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';

/**
 * MAX_MERGED_ENTRIES caps the entries merges copy in one document, wherever the merges are: a flow
 * collection read by the flow reader (over lines, so both exact readers hand it to that reader)
 * once counted from zero, so many of them, each under the cap, copied millions of entries unrefused
 * (attackmerge: 3,000 regions merging a 3,000-key anchor took 7 s and 1.5 GB for 92 KB).
 */

const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => `k${i}: v`);

/** Each flow mapping merges a block anchor outside it: read again with the alias resolved. */
function outsideAnchor(anchorKeys: number, regions: number): string {
  return `a: &a\n${keys(anchorKeys).map((k) => `  ${k}`).join('\n')}\nl:\n${'- {<<: *a,\n   z: 1}\n'.repeat(regions)}`;
}

/** Each flow mapping merges an anchor defined inside it: copied when the regions are first found. */
function insideAnchor(anchorKeys: number, aliases: number, regions: number): string {
  const item = `- {x: &x {${keys(anchorKeys).join(', ')}},\n   <<: [${Array(aliases).fill('*x').join(', ')}]}\n`;
  return `l:\n${item.repeat(regions)}`;
}

function refusedAsBomb(text: string): void {
  assert.equal(readLean(text), undefined, 'the lean path must leave a merge past the cap to the full reader');
  assert.throws(() => decodeLikeKubectl(text), (e: Error) => e.message === MERGE_BOMB);
  const { documents, errors } = parseYamlStream(text, DEFAULT_PARSE_LIMITS);
  assert.ok(errors.some((e) => e.message === MERGE_BOMB), JSON.stringify(errors).slice(0, 300));
  assert.ok(documents.every((d) => d.refused), 'a document past the cap is refused, never read');
}

test('flow collections over lines share the document cap on merged entries: past it the document is refused', () => {
  const regions = 100;
  const anchorKeys = Math.floor(MAX_MERGED_ENTRIES / regions) + 10;
  // Each region copies well under the cap; together they pass it.
  refusedAsBomb(outsideAnchor(anchorKeys, regions));
  refusedAsBomb(insideAnchor(100, 26, regions));
});

test('flow collections over lines under the cap together are read as before', () => {
  const regions = 100;
  const text = outsideAnchor(Math.floor(MAX_MERGED_ENTRIES / regions) - 10, regions);
  const full = decodeLikeKubectl(text);
  const items = (full.value as { l: Record<string, string>[] }).l;
  assert.equal(items.length, regions);
  assert.equal(items[99]!.k0, 'v');
  const lean = readLean(text);
  assert.ok(lean, 'read on the lean path');
  assert.deepStrictEqual(lean.value, full.value);
  const inside = insideAnchor(100, 24, regions);
  assert.deepStrictEqual(readLean(inside)?.value ?? decodeLikeKubectl(inside).value, decodeLikeKubectl(inside).value);
  assert.equal(parseYamlStream(inside, DEFAULT_PARSE_LIMITS).errors.length, 0);
});
