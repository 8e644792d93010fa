// Every fingerprinted product, open and protected, against local fakes of its real answers
// (src/testing/fake-ml-services/products.ts names the upstream source of each shape).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startFakeMlService, type FakeMlService, type FakeMlServiceOptions, type GatewayAuth } from '../../src/testing/fake-ml-services/server.js';
import type { FakeProduct } from '../../src/testing/fake-ml-services/products.js';
import { probe, verdictOf } from './helpers.js';

const servers: FakeMlService[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));
async function serve(options: FakeMlServiceOptions): Promise<FakeMlService> {
  const server = await startFakeMlService(options);
  servers.push(server);
  return server;
}

/** Product → the rule id and severity an open instance must be reported under, and the path that proves it. */
const OPEN_CASES: readonly { product: FakeProduct; ruleId: string; severity: string; proof: string; prefix?: string }[] = [
  { product: 'kubeflow-dashboard', ruleId: 'kubeflow-dashboard-exposed', severity: 'critical', proof: '/api/workgroup/env-info' },
  { product: 'kfp', ruleId: 'kubeflow-dashboard-exposed', severity: 'critical', proof: '/pipeline/apis/v2beta1/healthz' },
  { product: 'jupyter', ruleId: 'jupyter-empty-token', severity: 'critical', proof: '/api/status', prefix: '/notebook/team-a/nb-1' },
  { product: 'argo', ruleId: 'argo-server-auth-mode-server', severity: 'critical', proof: '/api/v1/workflows/argo' },
  { product: 'ray', ruleId: 'ray-dashboard-no-auth', severity: 'critical', proof: '/api/jobs/' },
  { product: 'kubernetes-dashboard', ruleId: 'kubernetes-dashboard-auth-bypass', severity: 'critical', proof: '/api/v1/namespace' },
  { product: 'mlflow', ruleId: 'ml-tracking-server-exposed', severity: 'high', proof: '/api/2.0/mlflow/experiments/search' },
  { product: 'tensorboard', ruleId: 'ml-tracking-server-exposed', severity: 'high', proof: '/data/environment' },
  { product: 'ollama', ruleId: 'ml-service-exposed', severity: 'high', proof: '/api/tags' },
  { product: 'vllm', ruleId: 'ml-service-exposed', severity: 'high', proof: '/v1/models' },
  { product: 'kserve', ruleId: 'ml-service-exposed', severity: 'high', proof: '/v2/models' },
];

describe('open products are reported under the manifest rules\' ids', () => {
  for (const c of OPEN_CASES) {
    test(`${c.product} with no authentication is open: ${c.ruleId}`, async () => {
      const server = await serve({ products: [c.product], ...(c.prefix ? { prefix: c.prefix } : {}) });
      const run = await probe([server.url]);
      assert.equal(verdictOf(run, server.url).verdict, 'open');
      const finding = run.report.findings.find((f) => f.ruleId === c.ruleId);
      assert.ok(finding, `no ${c.ruleId} finding: ${JSON.stringify(run.report.findings.map((f) => f.ruleId))}`);
      assert.equal(finding.source, 'probe');
      assert.equal(finding.origin?.kind, 'probe');
      assert.ok(finding.evidence.some((line) => line.includes(c.proof)), finding.evidence.join('\n'));
      // Only the product that answered: a fake serving one product gives findings of one rule id.
      assert.deepEqual([...new Set(run.report.findings.map((f) => f.ruleId).filter((id) => id !== 'kfp-single-user-exposed'))], [c.ruleId]);
    });
  }

  test('the rule ids carry the severity the fingerprint data or the rule gives', async () => {
    const server = await serve({ products: ['mlflow', 'kubeflow-dashboard'] });
    const run = await probe([server.url]);
    const bySeverity = Object.fromEntries(run.report.findings.map((f) => [f.ruleId, f.severity]));
    for (const c of OPEN_CASES.filter((x) => x.product === 'mlflow' || x.product === 'kubeflow-dashboard')) assert.equal(bySeverity[c.ruleId], c.severity);
  });

  test('KFP reporting multi_user false also proves kfp-single-user-exposed; multi-user KFP does not', async () => {
    const single = await serve({ products: ['kfp'] });
    const multi = await serve({ products: ['kfp'], kfpMultiUser: true });
    const run = await probe([single.url, multi.url]);
    const ids = (url: string) => run.report.findings.filter((f) => f.origin?.kind === 'probe' && f.origin.url === url).map((f) => f.ruleId).sort();
    assert.deepEqual(ids(single.url), ['kfp-single-user-exposed', 'kubeflow-dashboard-exposed']);
    assert.deepEqual(ids(multi.url), ['kubeflow-dashboard-exposed'], 'a healthz answered through the gateway still shows the door open');
  });

  test('the notebook prefix is part of the URL: the same server at its root is not a notebook', async () => {
    const server = await serve({ products: ['jupyter'], prefix: '/notebook/team-a/nb-1' });
    const root = new URL('/', server.url).href;
    const run = await probe([server.url, root]);
    assert.equal(verdictOf(run, server.url).verdict, 'open');
    assert.equal(verdictOf(run, root).verdict, 'not-found');
  });
});

describe('protected products', () => {
  const NATIVE: readonly FakeProduct[] = ['jupyter', 'argo', 'ray', 'kubernetes-dashboard', 'mlflow', 'vllm'];
  for (const product of NATIVE) {
    test(`${product} with its own authentication on is protected, with no finding`, async () => {
      const server = await serve({ products: [product], mode: 'native-auth' });
      const run = await probe([server.url]);
      const verdict = verdictOf(run, server.url);
      assert.equal(verdict.verdict, 'protected', verdict.detail);
      assert.deepEqual(run.report.findings, []);
    });
  }

  test('JupyterHub (its API needs a token) is protected and identified by its public version endpoint', async () => {
    const server = await serve({ products: ['jupyterhub'] });
    const verdict = verdictOf(await probe([server.url]), server.url);
    assert.equal(verdict.verdict, 'protected');
    assert.ok(verdict.products.includes('JupyterHub'));
  });

  const GATEWAYS: readonly [GatewayAuth, RegExp][] = [
    ['oauth2-proxy', /401 Unauthorized.*redirect to oauth2-proxy login|redirect to oauth2-proxy login.*401 Unauthorized/],
    ['oauth2-proxy-sign-in', /oauth2-proxy sign-in page/],
    ['authservice', /redirect to Dex login/],
    ['istio-jwt', /RBAC: access denied/],
    ['google-iap', /Google IAP/],
    ['cognito', /Cognito/],
  ];
  for (const [gateway, signal] of GATEWAYS) {
    test(`Kubeflow behind ${gateway} is protected, and the detail says why`, async () => {
      const server = await serve({ products: ['kubeflow-dashboard', 'kfp', 'jupyter'], gateway });
      const run = await probe([server.url]);
      const verdict = verdictOf(run, server.url);
      assert.equal(verdict.verdict, 'protected');
      assert.match(verdict.detail, signal);
      assert.deepEqual(run.report.findings, []);
    });
  }

  test('oauth2-proxy answers API routes with 401 and pages with a 302 to /oauth2/start (api_routes)', async () => {
    const server = await serve({ products: ['kubeflow-dashboard'], gateway: 'oauth2-proxy' });
    const run = await probe([server.url]);
    const result = run.report.extensions.probedTargets?.[0];
    assert.ok(result);
    assert.match(result.detail, /401 Unauthorized/);
    assert.match(result.detail, /redirect to oauth2-proxy login/);
  });
});

describe('not one of these products', () => {
  test('a single-page app that answers every path with its HTML shell and 200 is not-found, not open', async () => {
    const server = await serve({ products: [], fallback: 'spa-shell' });
    const run = await probe([server.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'not-found');
    assert.deepEqual(run.report.findings, []);
  });

  test('a server that answers 404 everywhere is not-found; a port nobody listens on is error and an input error', async () => {
    const server = await serve({ products: [] });
    const closed = await serve({ products: [] });
    await closed.close();
    const run = await probe([server.url, closed.url]);
    assert.equal(verdictOf(run, server.url).verdict, 'not-found');
    assert.equal(verdictOf(run, closed.url).verdict, 'error');
    assert.equal(run.report.errors.length, 1);
    assert.equal(run.report.errors[0]?.file, closed.url);
    assert.match(run.report.errors[0]?.message ?? '', /ECONNREFUSED/);
  });
});
