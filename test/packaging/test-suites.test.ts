import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { tempDir } from '../helpers/cli.js';

/**
 * `npm run test:unit` runs every test that does not need ../shared (issue 17): a file mixing both
 * kinds is in the unit suite, its corpus tests skipped there with a visible reason, and still in
 * the corpus suite. It used to leave out such files whole.
 */
const dir = tempDir('kfguard-suites-');
after(() => dir.cleanup());
const shared = pathToFileURL(join(REPO_ROOT, 'src', 'testing', 'shared.ts')).href;
const file = join(dir.path, 'mixed.test.ts');
writeFileSync(
  file,
  `import { test } from 'node:test';\nimport { requiresShared } from '${shared}';\n` +
    `test('needs nothing', () => {});\ntest('reads the corpus', requiresShared(), () => {});\n`,
);

function runSuite(suite: string): { status: number | null; stdout: string } {
  // NODE_TEST_CONTEXT (set, even empty) makes the inner runner think it runs inside this test file and skip its files.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'run-tests.mjs'), '--suite', suite, '--test-reporter=tap', file], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...env, KFGUARD_TEST_SUITE: '', CI: '' },
  });
  return { status: run.status, stdout: run.stdout + run.stderr };
}

test('the unit suite runs a mixed file: its own tests pass, the corpus ones skip with their reason', () => {
  const { status, stdout } = runSuite('unit');
  assert.equal(status, 0, stdout);
  assert.match(stdout, /^ok \d+ - needs nothing$/m);
  assert.match(stdout, /^ok \d+ - reads the corpus # SKIP needs \.\.\/shared: run by `npm run test:corpus`/m);
  assert.match(stdout, /unit suite: tests that need \.\.\/shared are skipped/);
});

test('the corpus suite still takes the file, and does not skip its corpus test for being a unit run', () => {
  const { status, stdout } = runSuite('corpus');
  assert.equal(status, 0, stdout);
  assert.match(stdout, /^ok \d+ - reads the corpus/m);
  assert.doesNotMatch(stdout, /SKIP needs \.\.\/shared: run by/);
});
