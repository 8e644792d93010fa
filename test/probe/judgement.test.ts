// How a probe judges what it is told: answers that look like protection but are not (a namespaced
// Argo Server's 403, a proxy's 407, a WAF's block page), answers that look like data but are not
// (a catch-all `[]`, a list answered with its errors), and budgets that must not let one slow
// target starve the rest. Each case failed before the fix it names.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { parseHeaders } from '../../src/probe/targets.js';
import { startFakeMlService, type FakeMlService, type FakeMlServiceOptions } from '../../src/testing/fake-ml-services/server.js';
import { probe, verdictOf } from './helpers.js';

const servers: FakeMlService[] = [];
const plain: Server[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const server of plain) {
    server.closeAllConnections();
    server.close();
  }
});
async function serve(options: FakeMlServiceOptions): Promise<FakeMlService> {
  const server = await startFakeMlService(options);
  servers.push(server);
  return server;
}
async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  plain.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}
const json = (status: number, value: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) =>
  void res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));

describe('Argo Server installed for one namespace', () => {
  test('its managed namespace, named by /api/v1/info, is asked: an open namespaced server is open, not protected by its 403s elsewhere', async () => {
    const server = await serve({ products: ['argo'], argoManagedNamespace: 'ml-team' });
    const run = await probe([server.url]);
    const verdict = verdictOf(run, server.url);
    assert.equal(verdict.verdict, 'open', verdict.detail);
    assert.ok(server.requests.some((r) => r.url === '/api/v1/workflows/ml-team'), 'the managed namespace was not asked');
    const finding = run.report.findings.find((f) => f.ruleId === 'argo-server-auth-mode-server');
    assert.ok(finding?.evidence.some((e) => e.includes('/api/v1/workflows/ml-team')), finding?.evidence.join('\n'));
  });

  test('--namespace is asked too; a 403 for namespaces it may not list, with its info open, is unjudged (error), never protected', async () => {
    // The same server, but its info names nothing: the namespaces asked all answer 403.
    const server = await serve({
      products: ['argo'],
      argoManagedNamespace: 'ml-team',
      raw: { '/api/v1/info': json(200, { modals: {}, navColor: '', links: [], columns: [] }) },
    });
    const unjudged = await probe([server.url]);
    assert.equal(verdictOf(unjudged, server.url).verdict, 'error', verdictOf(unjudged, server.url).detail);
    assert.match(verdictOf(unjudged, server.url).detail, /not authentication/);
    const asked = await probe([server.url], { namespaces: ['ml-team'] });
    assert.equal(verdictOf(asked, server.url).verdict, 'open');
  });

  test('a namespace an answer names is used only when it is a valid name: no path tricks from the server', async () => {
    const server = await serve({ products: ['argo'], raw: { '/api/v1/info': json(200, { managedNamespace: '../../api/v1/evil?x=', links: [] }) } });
    await probe([server.url]);
    assert.ok(!server.requests.some((r) => r.url.includes('evil')), server.requests.map((r) => r.url).join('\n'));
    assert.ok(server.requests.some((r) => r.url === '/api/v1/workflows/argo'));
  });

  test('client auth mode (401 on workflows) stays protected', async () => {
    const server = await serve({ products: ['argo'], mode: 'native-auth', argoManagedNamespace: 'ml-team' });
    assert.equal(verdictOf(await probe([server.url]), server.url).verdict, 'protected');
  });
});

describe('time budgets', () => {
  test('a hanging target does not spend the budgets of the targets queued behind it (--concurrency 1 and 2)', async () => {
    const hanging = await listen(() => undefined);
    const fast = await Promise.all(Array.from({ length: 6 }, () => serve({ products: ['ollama'] })));
    for (const concurrency of [1, 2]) {
      const run = await probe([hanging, ...fast.map((f) => f.url)], { concurrency, http: { timeoutMs: 400 }, targetBudgetMs: 2000, totalBudgetMs: 60_000 });
      assert.equal(verdictOf(run, hanging).verdict, 'error');
      assert.match(verdictOf(run, hanging).detail, /per-target budget of 2 s ran out/);
      for (const target of fast) {
        const verdict = verdictOf(run, target.url);
        assert.equal(verdict.verdict, 'open', `concurrency ${concurrency}: ${target.url} ${verdict.detail}`);
      }
    }
  });

  test('the total budget stays global: it stops every target, queued or not', async () => {
    const hanging = await listen(() => undefined);
    const fast = await serve({ products: ['ollama'] });
    const run = await probe([hanging, fast.url], { concurrency: 1, http: { timeoutMs: 5000 }, targetBudgetMs: 60_000, totalBudgetMs: 400 });
    assert.match(verdictOf(run, hanging).detail, /total time budget ran out/);
    assert.match(verdictOf(run, fast.url).detail, /total time budget ran out|time budget spent/);
  });
});

describe('lists need positive marks', () => {
  test('a catch-all JSON API answering [] everywhere is not-found, not an open Ray or Jupyter', async () => {
    const url = await listen((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    const run = await probe([url]);
    assert.equal(verdictOf(run, url).verdict, 'not-found', verdictOf(run, url).detail);
    assert.deepEqual(run.report.findings, []);
  });

  test('a catch-all answering a list of unrelated objects is not-found', async () => {
    const url = await listen((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":1,"title":"hello"}]'));
    assert.equal(verdictOf(await probe([url]), url).verdict, 'not-found');
  });

  test('an open Ray with no jobs yet ([]) is still open: its version endpoint identifies it', async () => {
    const server = await serve({ raw: { '/api/version': json(200, { version: '4', ray_version: '2.9.3', ray_commit: 'abc' }), '/api/jobs/': json(200, []) } });
    assert.equal(verdictOf(await probe([server.url]), server.url).verdict, 'open');
  });

  test('Kubernetes Dashboard with skip-login whose service account may not list: namespaces empty, the 403 in errors, not open', async () => {
    // Shape: kubernetes/dashboard modules/api namespace list (listMeta, namespaces, errors) with the
    // API server's refusal carried as a non-critical error, as the dashboard returns it.
    const refused = { listMeta: { totalItems: 0 }, namespaces: [], errors: [{ ErrStatus: { status: 'Failure', reason: 'Forbidden', code: 403, message: 'namespaces is forbidden: User "system:serviceaccount:kubernetes-dashboard:kubernetes-dashboard" cannot list resource "namespaces"' } }] };
    const server = await serve({ raw: { '/api/v1/namespace': json(200, refused), '/api/v1/login/status': json(200, { tokenPresent: false, headerPresent: false, httpsMode: true }) } });
    const run = await probe([server.url]);
    assert.notEqual(verdictOf(run, server.url).verdict, 'open');
    assert.deepEqual(run.report.findings, []);
  });
});

describe('refusals that are not authentication', () => {
  test('a proxy asking for credentials (407) leaves every target unjudged (error), never protected', async () => {
    const url = await listen((_req, res) => void res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"' }).end());
    const run = await probe([url]);
    assert.equal(verdictOf(run, url).verdict, 'error');
    assert.match(verdictOf(run, url).detail, /proxy asks for credentials/);
  });

  test('a Cloudflare bot/WAF block page (403 with cf-ray) is unjudged; a Cloudflare Access login redirect is protection', async () => {
    const blocked = await listen((_req, res) => void res.writeHead(403, { 'content-type': 'text/html', server: 'cloudflare', 'cf-ray': '8a1b2c3d4e5f-AMS' }).end('<title>Attention Required! | Cloudflare</title><h1>Sorry, you have been blocked</h1>'));
    const run = await probe([blocked]);
    assert.equal(verdictOf(run, blocked).verdict, 'error', verdictOf(run, blocked).detail);
    assert.match(verdictOf(run, blocked).detail, /Cloudflare/);
    const access = await listen((req, res) => void res.writeHead(302, { location: `https://team.cloudflareaccess.com/cdn-cgi/access/login/kf.example.com?kid=abc&redirect_url=${encodeURIComponent(req.url ?? '/')}` }).end());
    assert.equal(verdictOf(await probe([access]), access).verdict, 'protected');
  });

  test('a rate limit (429) is unjudged', async () => {
    const url = await listen((_req, res) => void res.writeHead(429, { 'retry-after': '60' }).end());
    assert.equal(verdictOf(await probe([url]), url).verdict, 'error');
  });
});

describe('headers', () => {
  test('identity and token headers of every common proxy are refused, ordinary ones accepted', () => {
    for (const name of ['X-Goog-IAP-JWT-Assertion', 'X-Amzn-Oidc-Data', 'X-Amzn-Oidc-Accesstoken', 'X-Amzn-Oidc-Identity', 'Private-Token', 'X-Auth-Token', 'X-Api-Key', 'Apikey', 'X-Forwarded-Access-Token', 'X-Forwarded-Preferred-Username', 'X-Auth-Request-Preferred-Username', 'X-Ms-Client-Principal-Name', 'Impersonate-User', 'X-Remote-Group', 'X-Vault-Token', 'X-CSRF-Token', 'X-Session-Id']) {
      assert.throws(() => parseHeaders([`${name}: value-1234`]), /refused/, name);
    }
    for (const name of ['Host', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Probe-Run', 'Accept-Language', 'User-Agent']) assert.doesNotThrow(() => parseHeaders([`${name}: v`]), name);
  });

  test('a server that echoes the request never gets the --header values into the report', async () => {
    const server = await serve({
      raw: {
        '/api/tags': (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ models: [{ name: 'llama', echoed: req.headers['x-probe-run'] }] })),
        '/v1/models': (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: String(req.headers['x-probe-run']) }], seen: req.headers })),
      },
    });
    const run = await probe([server.url], { http: { headers: { 'x-probe-run': 'ci-run-secretish-42' } } });
    assert.equal(verdictOf(run, server.url).verdict, 'open');
    assert.ok(!JSON.stringify(run.report).includes('ci-run-secretish-42'), 'the --header value was echoed into the report');
  });

  test('--header values go to the target host only, never to another host a redirect leads to', async () => {
    const other = await serve({ products: ['ollama'] });
    const redirecting = await serve({ raw: { '/api/tags': (_req, res) => void res.writeHead(302, { location: `http://localhost:${new URL(other.url).port}/api/tags` }).end() } });
    await probe([redirecting.url], { http: { followCrossHost: true, headers: { 'x-probe-run': 'ci-42' } } });
    assert.ok(redirecting.requests.every((r) => r.headers['x-probe-run'] === 'ci-42'));
    assert.ok(other.requests.length > 0 && other.requests.every((r) => r.headers['x-probe-run'] === undefined), 'the header followed the redirect to another host');
  });
});

describe('model servers', () => {
  test('/v2/health/ready (Open Inference Protocol) is asked and identifies KServe/Triton', async () => {
    const server = await serve({ raw: { '/v2/health/ready': json(200, { ready: true }) } });
    const run = await probe([server.url]);
    assert.ok(server.requests.some((r) => r.url === '/v2/health/ready'));
    assert.ok(verdictOf(run, server.url).products.some((p) => /Open Inference/.test(p)), JSON.stringify(verdictOf(run, server.url)));
    assert.deepEqual(run.report.findings, [], 'a public readiness endpoint is not an open model server');
  });
});
