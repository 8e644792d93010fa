// Runs the test files with Node's test runner, several files at a time.
//
//   node scripts/run-tests.mjs [--suite all|unit|corpus|browser] [NODE_TEST_FLAG]... [FILE|DIR]...
//
// Node 20's runner takes no globs, so the files are listed here. Its default concurrency is
// `availableParallelism() - 1`, one file at a time on a 2-core machine, although most files spend
// their time waiting on child processes and I/O; `--test-concurrency` (default: cores + 1, or
// KFGUARD_TEST_CONCURRENCY) runs several. Any other flag (`--test-name-pattern=x`, `--test-only`,
// `--test-reporter=dot`, ...) is handed to Node unchanged.
//
// Suites, so the slow ones can run alone:
//   browser  the HTML report driven in Chromium (html-browser.test.ts)
//   corpus   files that read ../shared (they call requiresShared() from src/testing/shared.ts)
//   unit     every other test: all files but the browser's, with the tests that call
//            requiresShared() skipped by name and reason (KFGUARD_TEST_SUITE=unit), so a file
//            mixing both kinds still has its other tests run
//   all      every file (the default)
//
// A file holding the line `// run-tests: alone` measures time (the linear growth tests, and the
// few with a wall-clock bound): it runs after the others, one file at a time, so their load
// cannot skew its readings.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const SUITES = ['all', 'unit', 'corpus', 'browser'];
// Node flags whose value may come as the next argument (`--test-name-pattern foo`).
const FLAGS_WITH_VALUE = new Set([
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
]);

function usage(message) {
  process.stderr.write(`run-tests: ${message}\nusage: node scripts/run-tests.mjs [--suite ${SUITES.join('|')}] [--test-* flags] [FILE|DIR]...\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const roots = [];
const nodeFlags = [];
let suite = 'all';
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--suite' || arg.startsWith('--suite=')) {
    suite = arg.includes('=') ? arg.slice('--suite='.length) : args[++i];
    if (!SUITES.includes(suite)) usage(`unknown suite "${suite}"`);
  } else if (arg === '--help' || arg === '-h') {
    usage('runs the test files');
  } else if (arg.startsWith('-')) {
    nodeFlags.push(arg);
    if (FLAGS_WITH_VALUE.has(arg)) {
      if (i + 1 >= args.length) usage(`${arg} needs a value`);
      nodeFlags.push(args[++i]);
    }
  } else {
    roots.push(arg);
  }
}

const files = [];
for (const root of roots.length > 0 ? roots : ['test', 'src']) {
  if (root.endsWith('.test.ts')) {
    files.push(root);
    continue;
  }
  let entries;
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    usage(`cannot read ${root}: ${error.code ?? error.message}`);
  }
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.test.ts')) files.push(join(entry.parentPath ?? entry.path, entry.name));
  }
}

const ALONE_MARKER = /^\/\/ run-tests: alone$/m;

function inSuite(file) {
  if (suite === 'all') return true;
  if (file.endsWith('-browser.test.ts')) return suite === 'browser';
  if (suite === 'unit') return true;
  return suite === 'corpus' && readFileSync(file, 'utf8').includes('requiresShared(');
}

const selected = files.filter(inSuite).sort();
if (selected.length === 0) usage(`no test files in the ${suite} suite under ${roots.join(', ') || 'test, src'}`);

const concurrencyGiven = nodeFlags.some((flag) => flag.startsWith('--test-concurrency'));
const concurrency = process.env.KFGUARD_TEST_CONCURRENCY ?? String(availableParallelism() + 1);
const timeoutGiven = nodeFlags.some((flag) => flag.startsWith('--test-timeout'));
const reporterGiven = nodeFlags.some((flag) => flag.startsWith('--test-reporter'));

function runNodeTest(testFiles, filesAtOnce) {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      ...(reporterGiven ? [] : ['--test-reporter=spec']),
      ...(timeoutGiven ? [] : ['--test-timeout=240000']),
      ...(concurrencyGiven ? [] : [`--test-concurrency=${filesAtOnce}`]),
      ...nodeFlags,
      ...testFiles,
    ],
    { stdio: 'inherit', env: { ...process.env, KFGUARD_TEST_SUITE: suite } },
  );
  return result.status ?? 1;
}

if (suite === 'unit') process.stdout.write('run-tests: unit suite: tests that need ../shared are skipped, each with its reason; `npm run test:corpus` runs them\n');
const alone = selected.filter((file) => ALONE_MARKER.test(readFileSync(file, 'utf8')));
const together = selected.filter((file) => !alone.includes(file));
let status = 0;
if (together.length > 0) status = runNodeTest(together, concurrency);
if (alone.length > 0) {
  process.stdout.write(`\nrun-tests: ${alone.length} timing-sensitive file(s) on their own: ${alone.join(', ')}\n`);
  status = Math.max(status, runNodeTest(alone, '1'));
}
process.exit(status);
