// The bundle as users run it: client-node sits in a chunk loaded only by `scan --cluster`, and the
// bundled copy still talks to the API server (the fake one, or a real one: see test-cluster.ts).
// live-suite: portable
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { spawn } from 'node:child_process';
import { objectsOfYaml, type JsonReport } from './helpers.js';
import { clusterWith } from './test-cluster.js';

const DIST = join(REPO_ROOT, 'dist');

/** Every file the entry point loads before running a command: its static imports, transitively. */
function staticallyLoaded(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(DIST, file), 'utf8');
  for (const [, target] of text.matchAll(/(?:^|[;}\n])\s*import\s*[^("']*?from\s*"(\.\/[^"]+)"/g)) {
    staticallyLoaded(join(file, '..', target!).replace(/^\.\//, ''), seen);
  }
  return seen;
}

describe('built kfguard and live clusters', () => {
  test('@kubernetes/client-node is not loaded at startup', () => {
    const loaded = staticallyLoaded('kfguard.js');
    assert.ok(loaded.size > 1, 'the import reader found nothing');
    const clientChunks = readdirSync(join(DIST, 'chunks')).filter((f) => readFileSync(join(DIST, 'chunks', f), 'utf8').includes('loadFromCluster'));
    assert.ok(clientChunks.length > 0, 'client-node not found in the bundle');
    for (const chunk of clientChunks) assert.ok(!loaded.has(join('chunks', chunk)), `${chunk} loads at startup`);
  });

  test('the binary scans the cluster', async () => {
    const cluster = await clusterWith(
      objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: miner, namespace: default}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333"]}]}`),
    );
    try {
      // Not runBin: spawnSync would block this process, where the fake server answers.
      const run = await runBinAsync(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json']);
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.ok(report.findings.some((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === 'miner' && f.origin?.kind === 'cluster'));
    } finally {
      await cluster.close();
    }
  });
});

function runBinAsync(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), ...args], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
