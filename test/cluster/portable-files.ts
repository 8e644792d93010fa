/**
 * Which test/cluster files run against a real API server too: those holding the line
 * `// live-suite: portable` (see test-cluster.ts). scripts/kind-e2e.sh lists them by name, in
 * PORTABLE_FILES=(...); portable.test.ts checks the two agree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/testing/shared.js';

export const PORTABLE_MARK = '// live-suite: portable';
export const CLUSTER_TESTS = join(REPO_ROOT, 'test', 'cluster');
export const KIND_SCRIPT = join(REPO_ROOT, 'scripts', 'kind-e2e.sh');

/** Paths relative to the repository root, sorted. */
export function portableFiles(): string[] {
  return readdirSync(CLUSTER_TESTS)
    .filter((f) => f.endsWith('.test.ts') && readFileSync(join(CLUSTER_TESTS, f), 'utf8').split('\n').some((line) => line.trim() === PORTABLE_MARK))
    .map((f) => `test/cluster/${f}`)
    .sort();
}

/** The files the kind script runs: the words of its `PORTABLE_FILES=( ... )` array. */
export function kindScriptFiles(script = readFileSync(KIND_SCRIPT, 'utf8')): string[] {
  const match = /^PORTABLE_FILES=\(([^)]*)\)/m.exec(script);
  if (!match) throw new Error('scripts/kind-e2e.sh has no PORTABLE_FILES=( ... ) array');
  return match[1]!.split(/\s+/).filter((word) => word !== '' && word !== '\\').sort();
}
