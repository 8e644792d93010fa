import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INLINING_BUDGET_FLAG, inliningBudgetFlag } from '../../src/cli/inlining-budget.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { runCli } from '../helpers/cli.js';
import { serve, type ServedCluster } from './helpers.js';

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'team-a' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };

/** Runs the CLI in process and returns the V8 flags it set. */
async function flagsSetBy(argv: readonly string[], env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<string[]> {
  const set: string[] = [];
  const run = await runCli(argv, { env, setV8Flags: (flag) => void set.push(flag) });
  assert.ok(run.code === 0 || run.code === 1, `${argv.join(' ')} exited ${run.code}: ${run.stderr}`);
  return set;
}

describe('scan --cluster and snapshot compile with a smaller inlining budget', () => {
  let cluster: ServedCluster;
  before(async () => {
    cluster = await serve({ objects: [POD] });
  });
  after(() => cluster.close());

  test('scan --cluster sets the budget before listing', async () => {
    assert.deepEqual(await flagsSetBy(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '--fail-on', 'none', '-f', 'json']), [INLINING_BUDGET_FLAG]);
  });

  test('snapshot sets it too', async () => {
    assert.deepEqual(await flagsSetBy(['snapshot', '--kubeconfig', cluster.kubeconfig, '-o', '-', '-q']), [INLINING_BUDGET_FLAG]);
  });

  test("the user's own inlining flag in NODE_OPTIONS wins", async () => {
    const env = { PATH: process.env.PATH, NODE_OPTIONS: '--max-inlined-bytecode-size-cumulative=920' };
    assert.deepEqual(await flagsSetBy(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '--fail-on', 'none', '-f', 'json'], env), []);
  });

  test('a file scan keeps V8 defaults', async () => {
    assert.deepEqual(await flagsSetBy(['scan', join(REPO_ROOT, 'examples'), '--fail-on', 'none', '-f', 'json']), []);
  });
});

describe('which inlining flags count as the user setting it', () => {
  test('node arguments and NODE_OPTIONS, any spelling', () => {
    assert.equal(inliningBudgetFlag([], undefined), INLINING_BUDGET_FLAG);
    assert.equal(inliningBudgetFlag(['--max-old-space-size=2048'], '--heap-growing-percent=50'), INLINING_BUDGET_FLAG);
    assert.equal(inliningBudgetFlag(['--no-turbo-inlining'], undefined), undefined);
    assert.equal(inliningBudgetFlag(['--turbo_inlining'], undefined), undefined);
    assert.equal(inliningBudgetFlag([], '--max_inlined_bytecode_size=100'), undefined);
    assert.equal(inliningBudgetFlag([], '--stress-inline'), undefined);
  });

  // setFlagsFromString only warns on a flag V8 does not know: check this Node's V8 has it, and
  // that a misspelt one is refused, so the check itself can fail.
  test("this Node's V8 knows the flag", () => {
    const run = spawnSync(process.execPath, [INLINING_BUDGET_FLAG, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0);
    assert.doesNotMatch(run.stderr, /unrecognized|unknown|bad option/i);
    const unknown = spawnSync(process.execPath, [INLINING_BUDGET_FLAG.replace('cumulative', 'cumulatve'), '-e', '0'], { encoding: 'utf8' });
    assert.match(`${unknown.stderr}${unknown.status}`, /unrecognized|bad option|[1-9]/i);
  });
});
