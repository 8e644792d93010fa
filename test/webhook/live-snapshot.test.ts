// `kfguard webhook serve` without --snapshot-from, built binary against the fake API server: the
// snapshot comes from informers, /readyz turns ready once synced and names the kinds the account
// may not list, the snapshot follows the cluster, and reviews are judged over it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { generateCertificates } from '../../src/webhook/certs.js';
import { objectsOfYaml, serve, waitFor } from '../cluster/helpers.js';
import { minerPod, review, send } from './harness.js';

describe('kfguard webhook serve with a live snapshot (built CLI, fake API server)', () => {
  test('ready once synced, gaps in /readyz and logs, follows the cluster, denies a miner', { timeout: 60_000 }, async () => {
    const cluster = await serve({
      objects: objectsOfYaml(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec: {selector: {app: web}, ports: [{port: 80}]}`),
      forbidden: ['secrets'],
    });
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-serve-live-'));
    const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] });
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'webhook', 'serve', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--port', '0', '--address', '127.0.0.1', '--kubeconfig', cluster.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor(() => stdout.includes('snapshot synced; ready') && /"port":(\d+)/.test(stdout), 30_000, `ready (${stdout})`);
      const port = Number(/"port":(\d+)/.exec(stdout)![1]);
      const ready = await send(port, certs.caCert, 'GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.json.snapshot.source, 'live cluster (list and watch)');
      assert.ok(ready.json.coverageGaps.includes('could not list secrets: forbidden'), JSON.stringify(ready.json.coverageGaps));
      assert.match(stdout, /"gap":"could not list secrets: forbidden"/);
      const before = ready.json.snapshot.objects as number;
      assert.ok(before >= 1);
      // The snapshot follows the cluster.
      cluster.server.create(objectsOfYaml(`apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-a}
data: {a: b}`)[0]!);
      const deadline = Date.now() + 10_000;
      let now = before;
      while (now <= before && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        now = (await send(port, certs.caCert, 'GET', '/readyz')).json.snapshot.objects as number;
      }
      assert.equal(now, before + 1);
      const denied = await send(port, certs.caCert, 'POST', '/validate', review(minerPod()));
      assert.equal(denied.status, 200);
      assert.equal(denied.json.response.allowed, false);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a --snapshot-from path that does not exist: exit 2 naming it, never ready over an empty snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-serve-missing-'));
    const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard' });
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    const missing = join(dir, 'no-such-install.yaml');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'webhook', 'serve', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--port', '0', '--snapshot-from', missing], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Before the check, the server became ready over nothing and kept running.
    const stop = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(stop);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 2);
    assert.ok(stderr.includes(`--snapshot-from ${missing}: no such file`), stderr);
  });

  test('no cluster configured and no --snapshot-from: exit 2 with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-serve-none-'));
    const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard' });
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'webhook', 'serve', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: dir } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 2);
    assert.match(stderr, /no cluster configured/);
  });
});
