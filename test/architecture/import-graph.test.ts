// The layering test is only as good as its import reader: these pin down what it sees.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { describeCycle, findCycles } from './cycles.js';
import { readImportGraph } from './import-graph.js';

const root = mkdtempSync(join(tmpdir(), 'kfguard-layering-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

write({
  'src/a/main.ts': [
    "import {\n  one,\n  two,\n} from '../b/runtime.js';",
    "import type { T } from '../b/types.js';",
    "import { type U, type V } from '../b/inline-types.js';",
    "import { type W, value } from '../b/mixed.js';",
    "import '../b/side-effect.js';",
    "export * from '../b/star.js';",
    "export type { X } from '../b/reexported-type.js';",
    "export const lazy = () => import('../b/lazy.js');",
    'export type Y = typeof import("../b/type-query.js");',
    "// import { fake } from '../b/comment.js';",
    "const text = \"import { fake } from '../b/string.js'\";",
    "import { z } from 'zod';",
    "import { readFileSync } from 'node:fs';",
    "import { gone } from './missing.js';",
  ].join('\n'),
  ...Object.fromEntries(
    ['runtime', 'types', 'inline-types', 'mixed', 'side-effect', 'star', 'reexported-type', 'lazy', 'type-query', 'comment', 'string'].map(
      (name) => [`src/b/${name}.ts`, ''],
    ),
  ),
  'src/c/one.ts': "import { two } from './two.js';",
  'src/c/two.ts': "import type { three } from './three.js';",
  'src/c/three.ts': "export { one } from './one.js';",
});

describe('import reader', () => {
  const graph = readImportGraph(root);
  const fromMain = new Map(graph.edges.filter((e) => e.from === 'src/a/main.ts').map((e) => [e.to.replace('src/b/', ''), e]));

  test('finds static, re-exported and dynamic relative imports, and nothing in comments or strings', () => {
    assert.deepEqual(
      [...fromMain.keys()].sort(),
      ['inline-types.ts', 'lazy.ts', 'mixed.ts', 'reexported-type.ts', 'runtime.ts', 'side-effect.ts', 'star.ts', 'type-query.ts', 'types.ts'],
    );
    assert.equal(fromMain.get('runtime.ts')?.line, 1);
  });

  test('tells type-only imports from ones that run code', () => {
    const typeOnly = [...fromMain].filter(([, e]) => e.typeOnly).map(([name]) => name).sort();
    assert.deepEqual(typeOnly, ['inline-types.ts', 'reexported-type.ts', 'type-query.ts', 'types.ts']);
  });

  test('reports relative imports that resolve to no file', () => {
    assert.deepEqual(graph.unresolved, ["src/a/main.ts:17 './missing.js'"]);
  });

  test('names a cycle as a chain, type-only links included', () => {
    assert.deepEqual(findCycles(graph.files, graph.edges).map(describeCycle), ['c/one.ts → c/two.ts → c/three.ts → c/one.ts']);
  });
});
