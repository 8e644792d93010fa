// Connection failures name their cause: the missing kubeconfig file, the credential plugin that
// failed and how, a port that does not speak TLS.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, tempDir } from '../helpers/cli.js';
import { serve } from './helpers.js';

async function plainHttpServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('connection errors', () => {
  test('$KUBECONFIG naming a missing file: the file is named', async () => {
    const dir = tempDir();
    try {
      const missing = join(dir.path, 'nonexistent');
      const run = await runCli(['scan', '--cluster'], { env: { KUBECONFIG: missing, HOME: dir.path } });
      assert.equal(run.code, 2);
      assert.ok(run.stderr.includes(`$KUBECONFIG names ${missing}, which does not exist`), run.stderr);
    } finally {
      dir.cleanup();
    }
  });

  test('an exec credential plugin that fails silently: its command and exit code are named', async () => {
    const dir = tempDir();
    const plugin = join(dir.path, 'get-token.sh');
    writeFileSync(plugin, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const cluster = await serve({ objects: [] }, { exec: { command: plugin, args: ['--secret-arg', 'hunter2'] } });
    try {
      const run = await runCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /cannot read the API of .* \(context fake\): exec credential plugin .*get-token\.sh exited with code 3 and wrote nothing to stderr/);
      assert.doesNotMatch(run.stderr, /hunter2/, 'arguments may hold secrets; kubectl names the executable only');
      assert.equal(cluster.server.requests.length, 0, 'nothing is sent without credentials');
    } finally {
      await cluster.close();
      dir.cleanup();
    }
  });

  test('https to a port that speaks plain http: the server does not speak TLS there', async () => {
    const { server, port } = await plainHttpServer();
    try {
      const run = await runCli(['hunt', '--kfp', `https://127.0.0.1:${port}`]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /does not speak TLS on port \d+/);
      assert.doesNotMatch(run.stderr, /NODE_EXTRA_CA_CERTS/);
    } finally {
      server.close();
    }
  });

  test('scan --cluster against a plain-http port: the server does not speak TLS there', async () => {
    const { server, port } = await plainHttpServer();
    const dir = tempDir();
    try {
      const kubeconfig = join(dir.path, 'kubeconfig');
      writeFileSync(kubeconfig, JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'plain', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'plain',
      }));
      const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /does not speak TLS on port \d+/);
    } finally {
      server.close();
      dir.cleanup();
    }
  });
});
