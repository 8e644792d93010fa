import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isRecord } from '../../src/core/object.js';
import { formatPath, type PathSegment } from '../../src/core/path.js';
import { FALLBACK, locateInBlockYaml } from '../../src/sources/block-locate.js';
import { locate } from '../../src/sources/locate.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

/** Every path to every node of an object, plus one missing child per mapping. */
function pathsOf(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = [], depth = 0): PathSegment[][] {
  out.push(prefix);
  if (depth > 14) return out;
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out, depth + 1));
  else if (isRecord(value)) {
    out.push([...prefix, 'kfguard-missing-field']);
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, key], out, depth + 1);
  }
  return out;
}

test('block locator handles compact and indented sequences, quoted keys and scalars', () => {
  const text = ['---', 'a:', '  "b.c": 1', 'list:', '- x: 1', '  y: [1, 2]', '- 7', 'nested:', '  - k: v', 'rules:', '- {}', '- from: x'].join('\n');
  const at = (...segments: PathSegment[]) => {
    const offset = locateInBlockYaml(text, 0, text.length, segments);
    return offset === FALLBACK ? 'fallback' : text.slice(offset, offset + 3);
  };
  assert.equal(at('a', 'b.c'), '"b.');
  assert.equal(at('list', 0, 'y'), 'y: ');
  assert.equal(at('list', 1).split('\n')[0], '7');
  assert.equal(at('nested', 0, 'k'), 'k: ');
  assert.equal(at('list', 0, 'y', 1), 'fallback');
  assert.equal(at('a', 'missing'), 'a:\n');
  assert.equal(at('rules', 0).split('\n')[0], '{}');
  assert.equal(at('rules', 0, 'from'), 'fallback');
  assert.equal(at('rules', 1, 'from'), 'fro');
});

describe('block locator agrees with the full YAML parser', requiresShared(), () => {
  test('on every node of every corpus document it answers for', async () => {
    const dirs = [sharedPath('corpus', 'kubeflow'), sharedPath('corpus', 'wild')];
    const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => `${dir}/${f}`));
    const { objects } = await collectManifests({ paths: files, cwd: '/', readStdin: async () => Buffer.alloc(0) });
    let compared = 0;
    let fellBack = 0;
    for (const { object, origin } of objects) {
      if (object.kind === 'CustomResourceDefinition') continue;
      for (const segments of pathsOf(object)) {
        const path = formatPath(segments);
        const fast = locate(origin, path);
        const full = locate(origin, path, 'parser');
        assert.deepEqual(fast, full, `${origin.file}: ${object.kind}/${object.metadata?.name} ${path}`);
        const document = origin.document!;
        const prefix = origin.pathPrefix ? [origin.pathPrefix] : [];
        if (prefix.length === 0 && locateInBlockYaml(document.text, document.start, document.end, segments) === FALLBACK) fellBack++;
        compared++;
      }
    }
    assert.ok(compared > 100_000, `compared only ${compared} paths`);
    assert.ok(fellBack / compared < 0.1, `the fast path answered only ${compared - fellBack} of ${compared} paths`);
  });
});
