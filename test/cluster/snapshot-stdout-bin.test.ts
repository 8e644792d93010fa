// `kfguard snapshot -o -` writes the snapshot to stdout, as `-` is stdin for `scan`, so it pipes
// into `kfguard scan -` or a ticket; it once wrote a file named `-` in the working directory.
// The built binary against the fake API server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfFiles, runBuiltCli, serve, type JsonReport } from './helpers.js';

const EXAMPLES = ['compromised-pipeline/miner-pods.yaml', 'exposed-kubeflow/istio-gateway.yaml'].map((f) => join(REPO_ROOT, 'examples', f));

/** The built CLI, not blocking this process (where the fake server answers), in `cwd`, fed `input`. */
function run(args: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), ...args], { cwd: options.cwd ?? REPO_ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

describe('kfguard snapshot -o - (built binary, fake API server)', () => {
  test('writes to stdout, creates no file named -, and scanning it from stdin gives the live findings', async () => {
    const cluster = await serve({ objects: objectsOfFiles(...EXAMPLES), forbidden: ['secrets'] });
    try {
      // Run in the cluster's temporary directory: a file named `-` would land there.
      const snapshot = await run(['snapshot', '-o', '-', '--kubeconfig', cluster.kubeconfig], { cwd: cluster.dir });
      assert.equal(snapshot.status, 0, snapshot.stderr);
      assert.equal(existsSync(join(cluster.dir, '-')), false, 'a file named - was written');
      assert.match(snapshot.stdout, /^# kfguard snapshot of cluster context /);
      assert.match(snapshot.stdout, /^# not included: could not list secrets/m);
      assert.match(snapshot.stderr, /written to stdout/);
      const offline = await run(['scan', '-', '-f', 'json', '--fail-on', 'none'], { input: snapshot.stdout });
      const live = await runBuiltCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
      const key = (report: JsonReport): string[] => report.findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.kind}/${f.resource.name} ${f.message}`).sort();
      const liveReport = JSON.parse(live.stdout) as JsonReport;
      assert.ok(liveReport.findings.length > 0);
      assert.deepEqual(key(JSON.parse(offline.stdout) as JsonReport), key(liveReport));
      assert.ok((JSON.parse(offline.stdout) as JsonReport).coverage.some((c) => c.reason.startsWith('could not list secrets')));
      // A file path still writes the file.
      const file = join(cluster.dir, 'snap.yaml');
      assert.equal((await runBuiltCli(['snapshot', '-o', file, '--kubeconfig', cluster.kubeconfig])).code, 0);
      assert.equal(readFileSync(file, 'utf8').split('\n---\n').length, snapshot.stdout.split('\n---\n').length);
    } finally {
      await cluster.close();
    }
  });
});
