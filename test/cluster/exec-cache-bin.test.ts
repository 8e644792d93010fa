// An exec credential plugin that gives no expirationTimestamp is run once per scan, not once per
// request (kubectl keeps such a credential until the server refuses it), and a credential the
// server refuses (401) is asked for again once. The built binary against the fake API server.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../helpers/cli.js';
import { objectsOfYaml, runBuiltCli, serve, type JsonReport } from './helpers.js';

const OBJECTS = objectsOfYaml(
  Array.from({ length: 3 }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: team-${i}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-${i}}\nspec: {containers: [{name: c, image: nginx}]}`).join('\n---\n'),
);

/** A plugin that counts its runs in `counter`; its first `staleRuns` runs give a token the server refuses. */
function plugin(dir: string, token: string, staleRuns = 0): { path: string; runs: () => number } {
  const counter = join(dir, 'runs');
  writeFileSync(counter, '');
  const path = join(dir, 'plugin.mjs');
  writeFileSync(
    path,
    `import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'x');
const run = readFileSync(${JSON.stringify(counter)}, 'utf8').length;
const token = run <= ${staleRuns} ? 'stale' : ${JSON.stringify(token)};
process.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: {token}}));`,
  );
  return { path, runs: () => readFileSync(counter, 'utf8').length };
}

describe('exec credential plugin without expirationTimestamp (built binary, fake API server)', () => {
  test('one run for a whole scan', async () => {
    const dir = tempDir();
    const token = 'token-without-expiry';
    const { path, runs } = plugin(dir.path, token);
    const cluster = await serve({ objects: OBJECTS, token }, { exec: { command: process.execPath, args: [path] } });
    try {
      const run = await runBuiltCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      const refused = (JSON.parse(run.stdout) as JsonReport).coverage.filter((c) => c.reason.startsWith('could not'));
      assert.deepEqual(refused, []);
      // Discovery and a list per kind: dozens of requests, one plugin run.
      assert.ok(cluster.server.requests.length > 10, `only ${cluster.server.requests.length} requests`);
      assert.equal(runs(), 1);
    } finally {
      await cluster.close();
      dir.cleanup();
    }
  });

  test('a refused (401) credential is asked for again, once, and the scan succeeds', async () => {
    const dir = tempDir();
    const token = 'fresh-token';
    const { path, runs } = plugin(dir.path, token, 1);
    const cluster = await serve({ objects: OBJECTS, token }, { exec: { command: process.execPath, args: [path] } });
    try {
      const run = await runBuiltCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(runs(), 2);
    } finally {
      await cluster.close();
      dir.cleanup();
    }
  });
});
