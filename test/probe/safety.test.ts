// What a probe may and may not do, checked against local servers that record every request and
// against hostile ones: huge bodies, silence, redirect loops, other hosts and schemes, tokens and
// terminal escapes in answers.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { Agent } from 'undici';
import { MAX_BODY_BYTES, probeGet } from '../../src/probe/http-client.js';
import { startFakeMlService, type FakeMlService, type FakeMlServiceOptions } from '../../src/testing/fake-ml-services/server.js';
import { HTTP_DEFAULTS, probe, verdictOf } from './helpers.js';

const servers: FakeMlService[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));
async function serve(options: FakeMlServiceOptions): Promise<FakeMlService> {
  const server = await startFakeMlService(options);
  servers.push(server);
  return server;
}

describe('read-only and anonymous', () => {
  test('every request is a GET with no credentials, cookies or identity headers, and no job is ever submitted', async () => {
    const server = await serve({ products: ['kubeflow-dashboard', 'kfp', 'jupyter', 'argo', 'ray', 'kubernetes-dashboard', 'mlflow', 'tensorboard', 'ollama', 'vllm', 'kserve'], gateway: 'none' });
    const protectedServer = await serve({ products: ['kubeflow-dashboard', 'kfp'], gateway: 'oauth2-proxy' });
    await probe([server.url, protectedServer.url]);
    const requests = [...server.requests, ...protectedServer.requests];
    assert.ok(requests.length > 30, `only ${requests.length} requests`);
    for (const request of requests) {
      assert.equal(request.method, 'GET', `${request.method} ${request.url}`);
      for (const header of ['authorization', 'cookie', 'proxy-authorization', 'kubeflow-userid', 'x-api-key']) assert.equal(request.headers[header], undefined, `${header} sent to ${request.url}`);
      assert.doesNotMatch(request.url, /upload|submit|\/create\b|password/i);
    }
    // Following oauth2-proxy's redirect to Dex must not carry a cookie set on the way.
    assert.ok(protectedServer.requests.some((r) => r.url.startsWith('/oauth2/start')), 'the same-host redirect was followed');
  });

  test('only http: and https: are followed: a redirect to file: or another scheme stops there', async () => {
    const server = await serve({
      raw: {
        '/api/tags': (_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
        '/api/jobs/': (_req, res) => void res.writeHead(302, { location: 'gopher://127.0.0.1:70/' }).end(),
      },
    });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'not-found');
    assert.ok(server.requests.every((r) => r.method === 'GET'));
  });

  test('a redirect to another host is recorded and not followed unless --follow-cross-host', async () => {
    const other = await serve({ products: ['ollama'] });
    const otherPort = new URL(other.url).port;
    // 127.0.0.1 and localhost are different hosts to the probe, as they are to a browser.
    const redirecting = await serve({ raw: { '/api/tags': (_req, res) => void res.writeHead(302, { location: `http://localhost:${otherPort}/api/tags` }).end() } });
    const stayed = await probe([redirecting.url]);
    assert.equal(other.requests.length, 0, 'the other host was contacted');
    // Not followed, so not judged: a redirect to another host says nothing about authentication.
    assert.equal(verdictOf(stayed, redirecting.url).verdict, 'not-found');
    assert.match(JSON.stringify(verdictOf(stayed, redirecting.url)), /another host/);
    const followed = await probe([redirecting.url], { http: { followCrossHost: true } });
    assert.ok(other.requests.some((r) => r.url === '/api/tags'));
    assert.equal(verdictOf(followed, redirecting.url).verdict, 'open');
  });

  test('a redirect that only adds a slash to the asked path is not a login page, whatever the path says', async () => {
    const server = await serve({ raw: { '/api/v1/login/status': (_req, res) => void res.writeHead(301, { location: '/api/v1/login/status/' }).end() } });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'not-found');
  });

  test('a redirect loop ends after a bounded number of hops', async () => {
    let hops = 0;
    const server = await serve({ raw: { '/v1/models': (_req, res) => void (hops++, res.writeHead(302, { location: '/v1/models' }).end()) } });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'not-found');
    assert.ok(hops <= 7, `${hops} hops`);
  });
});

describe('bounded', () => {
  test('a list longer than the body cap still shows its shape: a busy open Ray Jobs API is open', async () => {
    const jobs = Array.from({ length: 150 }, (_, i) => ({ job_id: `raysubmit_${i}`, submission_id: `raysubmit_${i}`, status: 'SUCCEEDED', entrypoint: `python train.py --epochs ${i} ${'x'.repeat(400)}` }));
    const body = JSON.stringify(jobs);
    assert.ok(body.length > 64 * 1024);
    const json = (value: string) => (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'application/json' }).end(value);
    const server = await serve({ raw: { '/api/version': json(JSON.stringify({ version: '2.9.0', ray_version: '2.9.0', ray_commit: 'abc' })), '/api/jobs/': json(body) } });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'open');
  });

  test('the body read stops at 64 KiB however much the server sends', async () => {
    let sent = 0;
    const endless = createServer((_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = (): void => {
        while (!res.destroyed && sent < 512 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/api/tags`;
      const dispatcher = new Agent();
      const outcome = await probeGet(url, HTTP_DEFAULTS, dispatcher, new AbortController().signal);
      await dispatcher.close();
      assert.ok(outcome.ok);
      assert.equal(outcome.answer.body.length, MAX_BODY_BYTES);
      assert.equal(outcome.answer.truncated, true);
      assert.ok(sent < 64 * 1024 * 1024, `the server pushed ${sent} bytes before the probe hung up`);
    } finally {
      endless.closeAllConnections();
      endless.close();
    }
  });

  test('a server that never answers costs one timeout per request, and the target is an error', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      const started = process.hrtime.bigint();
      const run = await probe([url], { http: { timeoutMs: 300 }, concurrency: 64 });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      assert.equal(verdictOf(run, url).verdict, 'error');
      assert.match(verdictOf(run, url).detail, /no answer within 0.3 s/);
      assert.ok(seconds < 20, `took ${seconds} s`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test('the per-target and total budgets stop a slow target, and say so', async () => {
    const slow = createServer((_req, res) => void setTimeout(() => res.writeHead(404).end(), 200));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
      const perTarget = await probe([url], { concurrency: 1, targetBudgetMs: 500 });
      assert.match(JSON.stringify(verdictOf(perTarget, url)), /per-target budget of 0.5 s ran out|time budget spent/);
      const total = await probe([url, url.replace('127.0.0.1', 'localhost')], { concurrency: 1, totalBudgetMs: 500 });
      assert.ok(total.report.extensions.probedTargets?.some((t) => /total time budget|time budget spent/.test(t.detail)), JSON.stringify(total.report.extensions.probedTargets));
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  test('--concurrency bounds the requests in flight over all targets', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting = createServer((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(404).end();
      }, 20);
    });
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    try {
      const port = (counting.address() as AddressInfo).port;
      const urls = [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://127.0.0.1:${port}/a/`];
      const run = await probe(urls, { concurrency: 3 });
      assert.ok(peak <= 3, `server saw ${peak} at once`);
      assert.ok(run.peakConcurrency <= 3 && run.peakConcurrency >= 2, `limiter peak ${run.peakConcurrency}`);
    } finally {
      counting.closeAllConnections();
      counting.close();
    }
  });
});

describe('hostile answers are shown safely', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ';
  test('tokens, credential fields and terminal escapes in an open answer never reach the report', async () => {
    const body = JSON.stringify({
      models: [{ name: '\u001b]52;c;cm0gLXJmIH4=\u0007evil\u001b[2J', token: 'hunter2-plain-secret', api_key: 'sk-live-0123456789abcdefghijklmnop', note: `Bearer ${JWT}` }],
      session: '5f4dcc3b5aa765d61d8327deb882cf99aabbccdd',
    });
    const server = await serve({ raw: { '/api/tags': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body) } });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'open');
    const everything = JSON.stringify(run.report);
    for (const secret of ['hunter2-plain-secret', 'sk-live-0123456789abcdefghijklmnop', JWT, '5f4dcc3b5aa765d61d8327deb882cf99aabbccdd']) assert.ok(!everything.includes(secret), `${secret} leaked`);
    assert.ok(run.report.findings.some((f) => f.evidence.some((line) => line.includes('\\u001b]52'))), 'the escape is shown as visible text');
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(run.report.findings.flatMap((f) => f.evidence).join('')), 'control characters in the evidence');
  });

  test('a login redirect\'s state and client id are not printed, only the parameter names', async () => {
    const server = await serve({ products: ['kubeflow-dashboard'], gateway: 'authservice' });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'protected');
    assert.ok(!JSON.stringify(run.report).includes('c3RhdGUtdG9rZW4tMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A'));
  });
});
