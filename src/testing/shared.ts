import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The read-only `../shared` folder beside the repository (corpus, schemas, reference). */
export const SHARED_DIR = resolve(process.env.KFGUARD_SHARED_DIR ?? join(repoRoot, '..', 'shared'));

export const sharedAvailable = existsSync(join(SHARED_DIR, 'corpus'));

let announced = false;

/**
 * Options for node:test's `test`/`describe` that skip corpus tests with a printed reason when
 * `../shared` is missing, or in the unit suite. Under CI=true a missing `../shared` is a failure, never a skip.
 */
export function requiresShared(): { skip: string | false } {
  // `npm run test:unit` runs every file but leaves these tests to the corpus suite (scripts/run-tests.mjs).
  if (process.env.KFGUARD_TEST_SUITE === 'unit') return { skip: 'needs ../shared: run by `npm run test:corpus`, not the unit suite' };
  if (sharedAvailable) return { skip: false };
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but the shared corpus is missing at ${SHARED_DIR}; CI must provide ../shared`);
  }
  const reason = `../shared not found at ${SHARED_DIR}; corpus tests skipped`;
  if (!announced) {
    announced = true;
    process.stderr.write(`kfguard tests: ${reason}\n`);
  }
  return { skip: reason };
}

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

export const REPO_ROOT = repoRoot;
