// Layering runs one way (docs/architecture.md, issue 9): core/ at the bottom, Kubernetes helpers
// above it, detection and reporting above those, and no file importing itself back round a cycle.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { describeCycle, findCycles } from './cycles.js';
import { readImportGraph, type ImportEdge } from './import-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const graph = readImportGraph(root);

/** `src/rbac/access-graph.ts` → `rbac`; files directly in src/ have no folder. */
const folderOf = (file: string): string | undefined => file.split('/').slice(1, -1)[0];
const show = (edge: ImportEdge): string => `${edge.from}:${edge.line} → ${edge.to}${edge.typeOnly ? ' (type)' : ''}`;
const crossing = (from: string, forbidden: readonly string[], allowTypes = false): ImportEdge[] =>
  graph.edges.filter(
    (edge) =>
      folderOf(edge.from) === from && forbidden.includes(folderOf(edge.to) ?? '') && !(allowTypes && edge.typeOnly),
  );

/**
 * Imports from core/ into other layers that are allowed for now. Empty: the engine takes the
 * inventory and the locator from its callers. An entry that no longer matches a real import fails
 * the test, so the list cannot go stale.
 */
const KNOWN_VIOLATIONS_BEING_REMOVED: readonly string[] = [];

const DETECTION = ['threat', 'exposure', 'rbac', 'platforms'];

describe('source layering', () => {
  test('the import reader sees the whole tree and resolves every relative import', () => {
    assert.deepEqual(graph.unresolved, []);
    // Guards against a reader that silently finds nothing (wrong root, broken parse): then every
    // rule below would pass vacuously.
    assert.ok(graph.files.length > 100, `only ${graph.files.length} files under src/`);
    assert.ok(graph.edges.some((e) => e.from === 'src/scan.ts' && e.to === 'src/report/report.ts'));
    assert.ok(graph.edges.some((e) => e.from === 'src/config/load.ts' && e.to === 'src/config/parse.ts'), 'dynamic import()');
  });

  test('core/ imports nothing from any other src/ folder', () => {
    const edges = graph.edges.filter((edge) => folderOf(edge.from) === 'core' && folderOf(edge.to) !== 'core');
    const found = edges.map((edge) => `${edge.from} → ${edge.to}`);
    const stale = KNOWN_VIOLATIONS_BEING_REMOVED.filter((known) => !found.includes(known));
    assert.deepEqual(stale, [], 'these known violations are gone: remove them from KNOWN_VIOLATIONS_BEING_REMOVED');
    const fresh = edges.filter((edge) => !KNOWN_VIOLATIONS_BEING_REMOVED.includes(`${edge.from} → ${edge.to}`));
    assert.deepEqual(fresh.map(show), []);
  });

  test('no import cycle between folders of src/ (files directly in src/ are the entry points and stand apart)', () => {
    const folderEdges = graph.edges
      .map((edge) => ({ ...edge, from: folderOf(edge.from) ?? '', to: folderOf(edge.to) ?? '' }))
      .filter((edge) => edge.from !== '' && edge.to !== '' && edge.from !== edge.to);
    const folders = [...new Set(folderEdges.flatMap((edge) => [edge.from, edge.to]))];
    assert.deepEqual(findCycles(folders, folderEdges).map(describeCycle), []);
  });

  test('no import cycle between files in src/', () => {
    // Type-only imports count: they still tie the two files' designs together.
    const cycles = findCycles(graph.files, graph.edges).map(describeCycle);
    assert.deepEqual(cycles, []);
  });

  test('k8s/ imports nothing from rules, detection, report, cli or fix', () => {
    const forbidden = ['rules', 'threat', 'exposure', 'rbac', 'report', 'cli', 'fix'];
    assert.deepEqual(crossing('k8s', forbidden).map(show), []);
  });

  test('report/ imports only types from rules/ and the detection folders', () => {
    assert.deepEqual(crossing('report', ['rules', ...DETECTION], true).map(show), []);
  });
});
