import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadAll } from 'js-yaml';
import { UNREAD_DOCUMENT_KIND } from '../../src/core/unread-document.js';
import { junitFormatter } from '../../src/report/junit.js';
import { policyReportFormatter } from '../../src/report/policyreport.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { renderOptions, scanFiles } from './helpers/formats-fixtures.js';
import { descendants, parseXml } from './helpers/xml-reader.js';

/** One readable ConfigMap, then a document refused for its syntax; the second file's refused document holds a miner. */
const PLAIN = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n';
const MINER = 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\nspec: {containers: [{name: m, image: x, args: ["-o", "stratum+tcp://pool.example.com:3333"]}]}\n';

describe('a document kfguard could not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-unread-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'plain.yaml'), PLAIN);
  writeFileSync(join(dir, 'miner.yaml'), MINER);

  test('gets no passing JUnit testcase: its input error is the one error testcase, a miner in it a failure', async () => {
    const report = await scanFiles(dir, ['plain.yaml', 'miner.yaml'], ALL_RULES);
    const root = parseXml(junitFormatter.render(report, renderOptions()));
    const unread = descendants(root, 'testcase').filter((c) => (c.attributes.name ?? '').startsWith(UNREAD_DOCUMENT_KIND));
    const passing = unread.filter((c) => c.children.length === 0).map((c) => `${c.attributes.classname} ${c.attributes.name}`);
    assert.deepEqual(passing, []);
    assert.ok(unread.length > 0, 'the miner in the refused text fails its testcases');
    assert.deepEqual([...new Set(unread.flatMap((c) => c.children.map((child) => child.name)))], ['failure']);
    const input = descendants(root, 'testsuite').find((s) => s.attributes.name === 'kfguard-input');
    assert.equal(input?.attributes.errors, '2');
    // The readable document is still judged by every rule that matches it.
    assert.ok(descendants(root, 'testcase').some((c) => c.attributes.name === 'ConfigMap a' && c.children.length === 0));
  });

  test('gets no pass result in a PolicyReport', async () => {
    const report = await scanFiles(dir, ['plain.yaml', 'miner.yaml'], ALL_RULES);
    const documents = loadAll(policyReportFormatter.render(report, renderOptions())) as { results: { result: string; resources?: { kind: string }[] }[] }[];
    const results = documents.flatMap((d) => d.results);
    const unread = results.filter((r) => r.resources?.some((ref) => ref.kind === UNREAD_DOCUMENT_KIND));
    assert.deepEqual([...new Set(unread.map((r) => r.result))], ['fail']);
    assert.equal(results.filter((r) => r.result === 'error').length, 2);
  });
});
