// `kfguard watch --alert-webhook` as users run it: the built binary against the fake API server and
// a receiver that is down (503) for longer than the old five attempts lasted. The critical miner
// finding must still arrive once the receiver is back (findings are de-duplicated: a record given
// up on is an alert lost for good); user:password in the URL goes as Basic auth; neither the
// password nor the query's token is ever printed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfYaml, serve, waitFor } from './helpers.js';

const OUTAGE_MS = 12_000;

describe('kfguard watch --alert-webhook (built binary, fake API server)', () => {
  test('a receiver down for 12 s still gets the critical alert; credentials go as Basic auth and are never printed', async () => {
    const received: { authorization?: string; url?: string; body: { kind: string; finding?: { ruleId: string; severity: string; resource: { name: string } } } }[] = [];
    let downUntil = 0;
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        if (Date.now() < downUntil) return void res.writeHead(503).end();
        received.push({ ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(req.url ? { url: req.url } : {}), body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const cluster = await serve({ objects: [] });
    const url = `http://alice:s3cret-pw@127.0.0.1:${(receiver.address() as AddressInfo).port}/hook?token=tok-abc123`;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '--alert-webhook', url], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    try {
      await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
      downUntil = Date.now() + OUTAGE_MS;
      cluster.server.create(
        objectsOfYaml(`apiVersion: v1
kind: Pod
metadata: {name: miner, namespace: team-a}
spec: {containers: [{name: c, image: xmrig/xmrig:latest, args: [-o, "stratum+tcp://pool.supportxmr.com:3333"]}]}`)[0]!,
      );
      await waitFor(() => received.some((r) => r.body.finding?.resource.name === 'miner'), OUTAGE_MS + 25_000, `the miner alert after the outage (stderr: ${stderr})`);
      const alert = received.find((r) => r.body.finding?.resource.name === 'miner')!;
      assert.equal(alert.body.finding?.severity, 'critical');
      assert.equal(alert.authorization, `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`);
      assert.equal(alert.url, '/hook?token=tok-abc123');
      assert.doesNotMatch(stderr, /s3cret-pw|tok-abc123|alice/, stderr);
      assert.match(stderr, /alert webhook http:\/\/127\.0\.0\.1:\d+\/hook\?…: HTTP 503/);
      // Said when the receiver went away and when it came back, not at every retry.
      assert.ok(stderr.split('\n').filter((l) => l.includes('alert webhook')).length <= 4, stderr);
    } finally {
      child.kill('SIGKILL');
      await cluster.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
