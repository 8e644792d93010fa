import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT, requiresShared, sharedPath } from '../../src/testing/shared.js';
import { generateCertificates } from '../../src/webhook/certs.js';
import { pipelinePod, review, send, startServer } from './harness.js';

describe('certificate reload', requiresShared(), () => {
  test('a rotated certificate is served on the next connection; a mismatched pair is refused and the old one kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-certs-'));
    const first = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] });
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    writeFileSync(cert, first.cert);
    writeFileSync(key, first.key);
    // A long interval: the test triggers the check itself instead of waiting on a timer.
    const running = await startServer({ certs: first, certFiles: { cert, key, intervalMs: 3_600_000 } });
    try {
      const before = await running.get('/healthz');
      const rotated = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'], ca: { cert: first.caCert, key: first.caKey } });
      // Half a rotation: the new cert with the old key does not load, the old pair keeps serving.
      writeFileSync(cert, rotated.cert);
      await running.server.checkCertificates();
      assert.equal((await running.get('/healthz')).serial, before.serial);
      writeFileSync(key, rotated.key);
      await running.server.checkCertificates();
      const after = await running.get('/healthz');
      assert.equal(after.status, 200);
      assert.notEqual(after.serial, before.serial);
      assert.equal(after.serial.toLowerCase(), new (await import('node:crypto')).X509Certificate(rotated.cert).serialNumber.toLowerCase());
      const metrics = (await running.get('/metrics')).text;
      assert.match(metrics, /kfguard_webhook_cert_reloads_total\{result="reloaded"\} [1-9]/);
      assert.match(metrics, /kfguard_webhook_cert_reloads_total\{result="failed"\} [1-9]/);
    } finally {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kfguard webhook serve (built CLI)', requiresShared(), () => {
  test('SIGTERM drains: a review in flight is answered, then the process exits 0', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfguard-serve-'));
    const certs = await generateCertificates({ service: 'kfguard-webhook', namespace: 'kfguard', extraNames: ['127.0.0.1'] });
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'webhook', 'serve', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--port', '0', '--address', '127.0.0.1', '--snapshot-from', sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'), '--shutdown-delay', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const poll = setInterval(() => {
          const line = stdout.split('\n').find((l) => l.includes('snapshot loaded; ready'));
          const listening = /"port":(\d+)/.exec(stdout);
          if (line && listening) {
            clearInterval(poll);
            resolve(Number(listening[1]));
          }
        }, 50);
        child.on('exit', () => reject(new Error(`server exited early: ${stdout}`)));
      });
      assert.equal((await send(port, certs.caCert, 'GET', '/readyz')).status, 200);
      // Headers and half the body now, the rest after SIGTERM: the review is in flight during the drain.
      const body = Buffer.from(review(pipelinePod()));
      const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/validate', ca: certs.caCert, agent: false, servername: 'kfguard-webhook.kfguard.svc', headers: { 'content-length': body.length } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.write(body.subarray(0, 100), () => {
          child.kill('SIGTERM');
          // Give the signal time to arrive before finishing the body; the drain must wait regardless.
          setTimeout(() => req.end(body.subarray(100)), 300);
        });
      });
      const answered = await reply;
      assert.equal(answered.status, 200, answered.text);
      assert.equal(JSON.parse(answered.text).response.allowed, true);
      assert.equal(await exited, 0);
      assert.match(stdout, /draining in-flight reviews/);
      assert.match(stdout, /"shutdownDelaySeconds":1/);
      assert.match(stdout, /"msg":"stopped"/);
      // Logs never carry the object: no container command, no image from the body.
      assert.doesNotMatch(stdout, /kfp\.dsl\.executor_main|python:3\.9/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
