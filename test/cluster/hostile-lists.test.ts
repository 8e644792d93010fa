// A hostile or broken API server must not hang `scan --cluster` (continue tokens without end) nor
// make a failed or restarted list leave findings behind (objects without a name cannot be taken back
// by identity). Issue 11, items 6 and 7.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiClient } from '../../src/sources/cluster/api-client.js';
import { connect } from '../../src/sources/cluster/connection.js';
import { listAll } from '../../src/sources/cluster/list.js';
import { runCli, tempDir } from '../helpers/cli.js';
import type { JsonReport } from './helpers.js';

type Mode = 'same-token' | 'endless' | 'fail' | 'gone';

const minerPod = (name: string | undefined): unknown => ({
  metadata: { ...(name === undefined ? {} : { name }), namespace: 'default', resourceVersion: '1' },
  spec: { containers: [{ name: 'c', image: 'alpine', command: ['sh', '-c', './xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ'] }] },
});

/** An API server serving Namespaces and Pods, its pod list misbehaving as `mode` says. */
function hostileServer(mode: () => Mode): { server: Server; podLists: () => number } {
  let podsCalls = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'] });
    if (url.pathname === '/apis') return json(200, { kind: 'APIGroupList', groups: [] });
    if (url.pathname === '/version') return json(200, { major: '1', minor: '30', gitVersion: 'v1.30.0' });
    if (url.pathname === '/api/v1') {
      const verbs = ['list', 'get', 'watch'];
      return json(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'namespaces', namespaced: false, kind: 'Namespace', verbs }, { name: 'pods', namespaced: true, kind: 'Pod', verbs }] });
    }
    if (url.pathname === '/api/v1/namespaces') return json(200, { kind: 'NamespaceList', metadata: { resourceVersion: '3' }, items: [{ metadata: { name: 'default' } }] });
    if (url.pathname === '/api/v1/pods') {
      podsCalls++;
      const token = url.searchParams.get('continue');
      switch (mode()) {
        case 'same-token':
          return json(200, { kind: 'PodList', metadata: { continue: 'again' }, items: [] });
        case 'endless':
          return json(200, { kind: 'PodList', metadata: { continue: `t${podsCalls}` }, items: [] });
        case 'fail':
          if (!token) return json(200, { kind: 'PodList', metadata: { continue: 't1', resourceVersion: '5' }, items: [minerPod(undefined)] });
          return json(500, { kind: 'Status', message: 'boom' });
        case 'gone':
          if (!token && podsCalls % 3 === 1) return json(200, { kind: 'PodList', metadata: { continue: 't1', resourceVersion: '5' }, items: [minerPod(undefined)] });
          if (token) return json(410, { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: 'expired' });
          return json(200, { kind: 'PodList', metadata: { resourceVersion: '6' }, items: [minerPod(undefined)] });
      }
    }
    return json(404, { kind: 'Status', code: 404 });
  });
  return { server, podLists: () => podsCalls };
}

describe('hostile pod lists', { timeout: 60_000 }, () => {
  let mode: Mode = 'fail';
  const { server, podLists } = hostileServer(() => mode);
  const dir = tempDir('kfguard-hostile-');
  const kubeconfig = join(dir.path, 'kubeconfig');
  let calls0 = 0;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\n`,
    );
  });
  after(() => {
    server.close();
    dir.cleanup();
  });

  const scan = async (): Promise<{ code: number; report: JsonReport; stderr: string }> => {
    calls0 = podLists();
    const run = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json', '--fail-on', 'none']);
    return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
  };
  const miners = (report: JsonReport): string[] => report.findings.filter((f) => f.resource.kind === 'Pod' && f.severity === 'critical').map((f) => `${f.ruleId} ${f.resource.namespace}/${f.resource.name}`);

  test('a continue token answered twice stops the list: a gap naming pods, not a hang', async () => {
    mode = 'same-token';
    const { report } = await scan();
    assert.ok(report.coverage.some((c) => /^could not list pods \(all namespaces\): .*same continue token twice for pods/.test(c.reason)), JSON.stringify(report.coverage));
    assert.equal(podLists() - calls0, 2, 'stopped at the first repeat');
  });

  test('continue tokens without end stop at the page cap, with an error naming the resource', async () => {
    mode = 'endless';
    calls0 = podLists();
    const client = new ApiClient(await connect({ kubeconfig, env: {} }), { retryDelayMs: 1 });
    const pods = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true } as Parameters<typeof listAll>[1];
    await assert.rejects(listAll(client, pods, undefined, 500, undefined, 25), /still handing out continue tokens for pods after 25 pages/);
    assert.equal(podLists() - calls0, 25);
  });

  test('an unnamed miner on page 1 of a list that then fails: the gap, and no finding left behind', async () => {
    mode = 'fail';
    const { report } = await scan();
    assert.ok(report.coverage.some((c) => c.reason.startsWith('could not list pods (all namespaces)')), JSON.stringify(report.coverage));
    assert.deepEqual(miners(report), []);
  });

  test('an unnamed miner in a list restarted after a 410: reported once, and the unnamed object is an input error', async () => {
    mode = 'gone';
    const { code, report, stderr } = await scan();
    assert.equal(report.coverage.filter((c) => c.reason.startsWith('could not list')).length, 0, JSON.stringify(report.coverage));
    const found = miners(report);
    assert.ok(found.length > 0, 'the miner is still judged');
    assert.equal(new Set(found).size, found.length, `each finding once: ${found.join(', ')}`);
    assert.equal(code, 2, 'input error: a real API server never answers an unnamed object');
    assert.match(stderr, /pods \(all namespaces\): 1 object\(s\) without a name, which a real API server always sets/);
  });
});
